"""Watching causes with the CUSUM (stats.py), from the periodic task `watch_causes`.

- Rising: for a cause nobody is fixing, the last `MONITOR_WEEKS` weeks against its rate over the
  `BASELINE_WEEKS` before them. An alarm tells the cause's owner before anyone opened a fix.
- Relapse: after a fix went live, the weeks after the first `SETTLE_WEEKS` against the rate in
  those settling weeks, watching for a climb back toward the rate before the fix. An alarm reopens
  the fix and tells its owner.
Each alarm is recorded once per cause, kind and week (a unique row), however often the sweep runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from makegood.causes.models import Cause
from makegood.improvement.models import ActionState, AlarmKind, CauseAlarm, ImprovementAction
from makegood.improvement.series import cause_series, last_complete_week, week_of
from makegood.improvement.services import action_reopen, notice_send
from makegood.improvement.stats import CUSUM_SHIFT, cusum

MONITOR_WEEKS = 12
BASELINE_WEEKS = 26
SETTLE_WEEKS = 8
# Below this many complaints in the baseline, a rate is too uncertain to watch against.
MIN_BASELINE_COUNT = 5
MAX_SHIFT = 4.0


@dataclass(frozen=True)
class Watch:
    weeks: list[date]
    statistics: list[float]
    alarm_weeks: list[date]
    shift: float


def rising_watch(cause_id: int, *, today: date) -> Watch | None:
    last = last_complete_week(today)
    weeks = [
        last - timedelta(weeks=BASELINE_WEEKS + MONITOR_WEEKS - 1 - i) for i in range(BASELINE_WEEKS + MONITOR_WEEKS)
    ]
    series = cause_series(cause_id, weeks)
    base_count = sum(series.counts[:BASELINE_WEEKS])
    if base_count < MIN_BASELINE_COUNT:
        return None
    exposure = series.exposure
    rate = base_count / sum(exposure[:BASELINE_WEEKS])
    result = cusum(series.counts[BASELINE_WEEKS:], [rate * e for e in exposure[BASELINE_WEEKS:]])
    monitored = weeks[BASELINE_WEEKS:]
    return Watch(monitored, result.statistics, [monitored[i] for i in result.alarms], CUSUM_SHIFT)


def relapse_watch(action: ImprovementAction, *, today: date) -> Watch | None:
    if action.went_live_on is None:
        return None
    live = week_of(action.went_live_on)
    last = last_complete_week(today)
    settle_start = live + timedelta(weeks=1)
    monitor_start = settle_start + timedelta(weeks=SETTLE_WEEKS)
    if monitor_start > last:
        return None
    before_weeks = [live - timedelta(weeks=BASELINE_WEEKS - i) for i in range(BASELINE_WEEKS)]
    after_weeks = [settle_start + timedelta(weeks=i) for i in range((last - settle_start).days // 7 + 1)]
    before, after = cause_series(action.cause_id, before_weeks), cause_series(action.cause_id, after_weeks)
    settle_count = sum(after.counts[:SETTLE_WEEKS])
    settle_exposure = sum(after.exposure[:SETTLE_WEEKS])
    # An empty settling period still has a rate to climb from: half a complaint over its weeks.
    post_rate = max(settle_count, 0.5) / settle_exposure
    pre_rate = sum(before.counts) / sum(before.exposure) if sum(before.counts) else 0.0
    # Climbing back means heading for the rate before the fix; without a clear fall, any 1.5-fold rise.
    shift = min(MAX_SHIFT, pre_rate / post_rate) if pre_rate > post_rate * CUSUM_SHIFT else CUSUM_SHIFT
    exposure = after.exposure[SETTLE_WEEKS:]
    result = cusum(after.counts[SETTLE_WEEKS:], [post_rate * e for e in exposure], shift=shift)
    monitored = after_weeks[SETTLE_WEEKS:]
    return Watch(monitored, result.statistics, [monitored[i] for i in result.alarms], shift)


def _record(cause: Cause, kind: str, week: date, statistic: float, action: ImprovementAction | None) -> bool:
    """True when this alarm is new (the unique row makes a second sweep a no-op)."""
    if CauseAlarm.objects.filter(cause=cause, kind=kind, week=week).exists():
        return False
    try:
        with transaction.atomic():
            CauseAlarm.objects.create(cause=cause, kind=kind, week=week, statistic=statistic, action=action)
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class WatchResult:
    rising: int
    relapses: int


def causes_watch(*, today: date | None = None) -> WatchResult:
    today = today or timezone.localdate()
    rising = relapses = 0
    being_fixed = set(
        ImprovementAction.objects.filter(
            state__in=[ActionState.OPEN, ActionState.IN_PROGRESS, ActionState.LIVE]
        ).values_list("cause_id", flat=True)
    )
    for cause in Cause.objects.filter(active=True).select_related("category"):
        if cause.pk in being_fixed:
            continue
        watch = rising_watch(cause.pk, today=today)
        for week in watch.alarm_weeks if watch else []:
            statistic = watch.statistics[watch.weeks.index(week)] if watch else 0.0
            if _record(cause, AlarmKind.RISING, week, statistic, None):
                rising += 1
                notice_send(
                    user_id=cause.effective_owner_id,
                    message=(
                        f"{cause.label} is rising (CUSUM alarm in the week of {week:%d %b}). Nobody is fixing it yet."
                    ),
                    url=reverse("improvement_cause", args=[cause.pk]),
                )
    live = ImprovementAction.objects.filter(state__in=[ActionState.LIVE, ActionState.REVIEWED]).select_related(
        "cause__category"
    )
    for action in live:
        watch = relapse_watch(action, today=today)
        for week in watch.alarm_weeks if watch else []:
            statistic = watch.statistics[watch.weeks.index(week)] if watch else 0.0
            if _record(action.cause, AlarmKind.RELAPSE, week, statistic, action):
                relapses += 1
                action_reopen(
                    action=action,
                    reason=(
                        f"Complaints of {action.cause.label} climbed back (CUSUM alarm in the week of {week:%d %b})."
                    ),
                )
    return WatchResult(rising=rising, relapses=relapses)
