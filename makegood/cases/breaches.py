"""The breach watch: warn before a first-response clock runs out, and record it when it does.

`clock_sweep` runs every 15 seconds (the `sweep_clocks` task). For each open case still waiting
for a first response it does two things, each once per clock (a reopen starts a fresh clock):

- the alert, when the clock is about to run out: ALERT_SHARE (20%) of the channel's target
  left, at least ALERT_MIN_LEAD (30 seconds, so a one-minute phone target warns at half time,
  one or two sweeps ahead), counted as the clock counts (opening hours for business-hours
  targets). The owner is told, or the case's team while nobody owns it, in their queue;
- the breach, when the due time has passed: recorded on the case, its timeline, the audit log,
  and told to the owner or team.

Each case is claimed with a conditional UPDATE (`... WHERE first_response_alerted_at IS NULL`)
whose row count says whether this sweep won it, so two sweeps running at once (two workers, or
a retry) never alert or record twice. The candidates are read off two partial indexes that hold
only cases still waiting (`case_clock_alert_idx`, `case_clock_breach_idx`), one range per open
status: a sweep reads the cases whose moment has come, not the backlog, at 100,000 cases too.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from makegood.cases.audit import audit_record
from makegood.cases.business_hours import add_open_time
from makegood.cases.clock import ClockConfig, clock_config
from makegood.cases.kinds import EventKind
from makegood.cases.models import OPEN_STATUSES, Case, Channel, Notification
from makegood.cases.queue import format_span
from makegood.cases.timeline import case_event_add, notify_owner_or_team

ALERT_SHARE = 0.2
ALERT_MIN_LEAD = timedelta(seconds=30)
# Claimed per sweep and per kind; anything left over waits 15 seconds for the next sweep.
SWEEP_BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    alerted: int
    breached: int


def alert_lead(target: timedelta) -> timedelta:
    """How long before the due time the alert goes out (never more than the whole target)."""
    return min(target, max(target * ALERT_SHARE, ALERT_MIN_LEAD))


def clock_sweep(*, now: datetime | None = None) -> SweepResult:
    """Record the breaches that happened, then raise the alerts that are due. Safe to run twice."""
    now = now or timezone.now()
    breached = sum(_record_breach(pk, now=now) for pk in _breach_candidates(now))
    alerted = sum(_raise_alert(pk, now=now) for pk in _alert_candidates(now, clock_config()))
    return SweepResult(alerted=alerted, breached=breached)


def _waiting(status: str) -> Q:
    # An equality on status (one index range per status, as the queue does) and the partial
    # index's own condition, so that the planner picks the index.
    return Q(status=status, first_responded_at__isnull=True)


def breach_candidates(status: str, now: datetime) -> QuerySet[Case]:
    """Cases in `status` whose clock ran out and is not recorded yet (off case_clock_breach_idx)."""
    return Case.objects.filter(
        _waiting(status), first_response_breached_at__isnull=True, first_response_due_at__lte=now
    ).order_by("first_response_due_at")


def _breach_candidates(now: datetime) -> list[int]:
    ids: list[int] = []
    for status in OPEN_STATUSES:
        ids += breach_candidates(status, now).values_list("pk", flat=True)[:SWEEP_BATCH]
    return ids


def _alert_windows(now: datetime, config: ClockConfig) -> tuple[Q, datetime]:
    """Which waiting cases are inside their alert window, as one condition, and the latest due
    time any of them can have (the index range to read).

    A case is in its window when the time left, counted as its clock counts, is at most the
    lead: its due time is at or before `now` plus the lead, added in its team's opening hours
    for business-hours channels.
    """
    plain: dict[datetime, list[str]] = {}  # real-time windows: their end, and their channels
    conditions: list[Q] = []
    latest = now
    for channel in Channel.values:
        lead = alert_lead(config.target(channel))
        scheduled = {
            team_id: add_open_time(now, lead, schedule)
            for team_id in config.schedules
            if (schedule := config.schedule_for(channel, team_id)) is not None
        }
        if not scheduled:
            plain.setdefault(now + lead, []).append(channel)
        else:
            # Real time for the teams without a schedule, each scheduled team's own window.
            conditions.append(
                Q(channel=channel, first_response_due_at__lte=now + lead) & ~Q(team_id__in=list(scheduled))
            )
            conditions += [
                Q(channel=channel, team_id=team_id, first_response_due_at__lte=until)
                for team_id, until in scheduled.items()
            ]
        latest = max(latest, now + lead, *scheduled.values())
    conditions += [Q(channel__in=channels, first_response_due_at__lte=end) for end, channels in plain.items()]
    return reduce(operator.or_, conditions), latest


def alert_candidates(status: str, now: datetime, config: ClockConfig) -> QuerySet[Case]:
    """Cases in `status` inside their alert window, not alerted yet (off case_clock_alert_idx)."""
    windows, latest = _alert_windows(now, config)
    return Case.objects.filter(
        _waiting(status),
        windows,
        first_response_alerted_at__isnull=True,
        first_response_due_at__gt=now,
        first_response_due_at__lte=latest,
    ).order_by("first_response_due_at")


def _alert_candidates(now: datetime, config: ClockConfig) -> list[int]:
    ids: list[int] = []
    for status in OPEN_STATUSES:
        ids += alert_candidates(status, now, config).values_list("pk", flat=True)[:SWEEP_BATCH]
    return ids


def _claim(pk: int, when: Q, **marker: datetime) -> Case | None:
    """Set the marker if this sweep is the first to (and the case still waits, and `when` still
    holds); then the case as it is now, else None."""
    (field,) = marker
    won = (
        Case.objects.filter(when, pk=pk, status__in=OPEN_STATUSES, first_responded_at__isnull=True)
        .filter(**{f"{field}__isnull": True})
        .update(**marker)
    )
    if not won:
        return None
    return (
        Case.objects.select_related("customer")
        .only("id", "received_at", "channel", "owner_id", "team_id", "first_response_due_at", "customer__name")
        .get(pk=pk)
    )


def _due_text(case: Case) -> str:
    """`10:01 GMT (phone)`: in the location's time zone where it has opening hours, else the site's."""
    schedule = clock_config().schedules.get(case.team_id) if case.team_id is not None else None
    due = timezone.localtime(case.first_response_due_at, schedule.time_zone if schedule is not None else None)
    return f"{due:%H:%M %Z} ({case.get_channel_display().lower()})"


@transaction.atomic
def _raise_alert(pk: int, *, now: datetime) -> int:
    # A clock that already ran out gets no warning: the breach is recorded instead.
    case = _claim(pk, Q(first_response_due_at__gt=now), first_response_alerted_at=now)
    if case is None:
        return 0
    left = format_span(case.first_response_due_at - now)
    body = f"{left} left to give {case.customer.name or 'the customer'} a first response, due {_due_text(case)}."
    case_event_add(
        case,
        kind=EventKind.CLOCK_ALERT,
        at=now,
        body=body,
        data={"first_response_due_at": case.first_response_due_at.isoformat()},
    )
    notify_owner_or_team(case, kind=Notification.Kind.CLOCK_ALERT, message=f"{case.reference}: {body}", at=now)
    return 1


@transaction.atomic
def _record_breach(pk: int, *, now: datetime) -> int:
    case = _claim(pk, Q(first_response_due_at__lte=now), first_response_breached_at=now)
    if case is None:
        return 0
    due = case.first_response_due_at
    body = f"No first response by {_due_text(case)}; the customer is still waiting."
    case_event_add(
        case,
        kind=EventKind.CLOCK_BREACHED,
        at=now,
        body=body,
        data={"first_response_due_at": due.isoformat()},
    )
    audit_record(
        actor=None,
        action="case.first_response_breached",
        obj=case,
        changes={"first_response_due_at": due.isoformat(), "first_response_breached_at": now.isoformat()},
        at=now,
    )
    notify_owner_or_team(case, kind=Notification.Kind.CLOCK_BREACHED, message=f"{case.reference}: {body}", at=now)
    return 1
