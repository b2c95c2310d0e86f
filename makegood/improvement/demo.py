"""The demo's outer loop: a year of history, owners for the causes, weekly volumes, two fixes that
went live months ago (one worked, one did not), a cause rising with nobody fixing it (the CUSUM's
alarm) and customers' suggestions in the inbox.

Called by `makegood seed_demo` after the live demo is loaded. The history goes in through the
import path (makegood/history): back-dated, closed, and nobody is e-mailed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from makegood.cases.models import Case, Status
from makegood.causes.models import Cause, CauseCategory
from makegood.history.importer import history_import
from makegood.improvement.models import ActionState
from makegood.improvement.monitor import causes_watch
from makegood.improvement.series import week_of
from makegood.improvement.services import action_advance, action_open, action_review, volumes_record
from makegood.recovery.models import Suggestion

WEEKS = 52
SEED = 2026


@dataclass(frozen=True)
class Stream:
    """Weekly complaints of one cause in the history: a rate before and after a week, a team, a story."""

    cause: str
    team: str
    story: str
    before: float
    after: float
    change_week: int  # weeks ago; the rate changes after it (0: never)


STREAMS = (
    # Fixed, and it worked: the tracked courier with a photo on delivery.
    Stream(
        "Courier lost or damaged the delivery",
        "online-desk",
        "My parcel never arrived; tracking says delivered.",
        7.5,
        2.4,
        21,
    ),
    # Fixed, and it did not: texting customers when the workshop slips did not shorten the wait.
    Stream(
        "Delay in our own process",
        "riverside-store",
        "My bike is still at the workshop, weeks after the promised day.",
        4.5,
        4.8,
        18,
    ),
    # Rising these last weeks, and nobody has opened a fix yet.
    Stream("Faulty or failed product", "online-desk", "The e-bike battery dies after a few kilometres.", 2.5, 8.0, 5),
    Stream("Rude or dismissive treatment", "old-town-store", "The person at the counter was dismissive.", 2.5, 2.5, 0),
    Stream("Billing or payment handled wrongly", "online-desk", "I was charged twice for one order.", 4.5, 4.5, 0),
    Stream(
        "Workmanship below standard", "northgate-store", "The brakes were not adjusted after the service.", 2.5, 2.5, 0
    ),
    Stream("Order picked or packed wrongly", "online-desk", "The box had the wrong frame size in it.", 4.0, 4.0, 0),
)

SUGGESTIONS = (
    ("Courier lost or damaged the delivery", "Send a photo when the parcel is delivered."),
    ("Courier lost or damaged the delivery", "Please send a photo of where the parcel was left."),
    ("Courier lost or damaged the delivery", "A photo of the delivered parcel would help."),
    ("Delay in our own process", "Text me when my bike is ready to collect."),
    ("Delay in our own process", "Send a text when the bike is ready."),
    ("Delay in our own process", "Open the workshop on Sundays."),
    ("Faulty or failed product", "Test the batteries before you sell the e-bikes."),
    ("Rude or dismissive treatment", "Train the counter staff to explain gears without talking down."),
)


def _live_counts(cause: str, weeks: list[date]) -> list[int]:
    """The live demo's own complaints of the cause per week (its last 90 days)."""
    from makegood.causes.models import CaseCause
    from makegood.improvement.series import weekly_counts

    return weekly_counts(CaseCause.objects.filter(cause__name=cause, imported=False), weeks)


def _history_rows(today: date) -> list[tuple[int, dict[str, str]]]:
    """Each stream's weekly rate, made up by the history *on top of* the live demo's own cases,
    so that the last 90 days (where both exist) show the same rate as the year before them."""
    rng = np.random.default_rng(SEED)
    this_week = week_of(today)
    weeks = [this_week - timedelta(weeks=ago) for ago in range(WEEKS, 0, -1)]
    rows: list[tuple[int, dict[str, str]]] = []
    number = 1
    for stream in STREAMS:
        live = _live_counts(stream.cause, weeks)
        for ago, week, already in zip(range(WEEKS, 0, -1), weeks, live, strict=True):
            rate = stream.after if stream.change_week and ago < stream.change_week else stream.before
            for _ in range(max(0, int(rng.poisson(rate)) - already)):
                moment = datetime.combine(
                    week + timedelta(days=int(rng.integers(0, 7))), time(int(rng.integers(8, 19)))
                )
                number += 1
                rows.append(
                    (
                        number,
                        {
                            "external_id": f"RC-HIST-{number:05d}",
                            "received_at": timezone.make_aware(moment).isoformat(),
                            "story": stream.story,
                            "root_cause": stream.cause,
                            "failure": "person"
                            if "Rude" in stream.cause or "Workmanship" in stream.cause
                            else "system",
                            "team": stream.team,
                        },
                    )
                )
    return sorted(rows, key=lambda item: item[1]["received_at"])


def _volumes(today: date) -> dict[date, int]:
    """Orders and workshop visits per week: a spring peak, a summer plateau, a quiet winter."""
    this_week = week_of(today)
    weeks = {}
    for ago in range(WEEKS + 1, 0, -1):
        week = this_week - timedelta(weeks=ago)
        season = 1 + 0.25 * np.sin(2 * np.pi * (week.timetuple().tm_yday - 80) / 365)
        weeks[week] = int(900 * season)
    return weeks


def _owners() -> dict[str, User]:
    users = {u.username: u for u in User.objects.filter(username__in=["ellen", "omar", "grace"])}
    ellen = users.get("ellen")
    if ellen is not None:
        CauseCategory.objects.filter(owner__isnull=True).update(owner=ellen)
    if "omar" in users:
        Cause.objects.filter(name__in=["Delay in our own process", "Workmanship below standard"]).update(
            owner=users["omar"]
        )
    return users


@transaction.atomic
def improvement_demo_load(*, now: datetime | None = None) -> dict[str, int]:
    """Load the outer loop's demo (once: a second run finds its history and does nothing)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if Case.objects.filter(external_id__startswith="RC-HIST-").exists():
        return {"history": 0}
    users = _owners()
    ellen, omar = users.get("ellen"), users.get("omar")
    if ellen is None or omar is None:
        return {"history": 0}
    report = history_import(
        _history_rows(today), {f: f for f in ("external_id", "received_at", "story", "root_cause", "failure", "team")}
    )
    volumes_record(weeks=_volumes(today), user=ellen)

    courier = Cause.objects.get(name="Courier lost or damaged the delivery")
    worked = action_open(
        cause=courier,
        user=ellen,
        title="Switch to a tracked courier that photographs every delivery",
        owner=ellen,
        due_on=today - timedelta(weeks=22),
        expected_reduction=50,
        review_on=today - timedelta(weeks=4),
        cases=list(
            Case.objects.filter(root_cause__cause=courier).exclude(customer__email="").order_by("-received_at")[:6]
        ),
        at=now - timedelta(weeks=26),
    )
    delay = Cause.objects.get(name="Delay in our own process")
    did_not = action_open(
        cause=delay,
        user=ellen,
        title="Text customers the day the workshop knows it will be late",
        owner=omar,
        due_on=today - timedelta(weeks=19),
        expected_reduction=30,
        review_on=today - timedelta(weeks=2),
        at=now - timedelta(weeks=22),
    )
    for action, weeks_ago in ((worked, 21), (did_not, 18)):
        action_advance(action=action, user=ellen, at=now - timedelta(weeks=weeks_ago + 1))
        action_advance(
            action=action,
            user=ellen,
            went_live_on=today - timedelta(weeks=weeks_ago),
            at=now - timedelta(weeks=weeks_ago),
        )
    for action in (worked, did_not):
        action_review(action=action, user=ellen, note="Reviewed on the agreed date.", at=now)
    # A fix nobody has finished: overdue in its owner's queue.
    action_open(
        cause=Cause.objects.get(name="Rude or dismissive treatment"),
        user=ellen,
        title="Counter staff coaching: explaining without talking down",
        owner=omar,
        due_on=today - timedelta(days=10),
        expected_reduction=40,
        review_on=today + timedelta(weeks=12),
        at=now - timedelta(weeks=6),
    )
    _suggestions(now)
    watched = causes_watch(today=today)
    return {
        "history": report.imported,
        "rising": watched.rising,
        "relapses": watched.relapses,
        "state": int(worked.state == ActionState.REVIEWED),
    }


def _suggestions(now: datetime) -> None:
    """Suggestions from the Thank step and follow-ups of resolved demo cases, into the owners' inboxes."""
    for i, (cause_name, text) in enumerate(SUGGESTIONS):
        case = (
            Case.objects.filter(root_cause__cause__name=cause_name, status__in=[Status.RESOLVED, Status.CLOSED])
            .exclude(external_id__startswith="RC-HIST-")
            .order_by("-received_at")[i % 3 : i % 3 + 1]
            .first()
        ) or Case.objects.filter(root_cause__cause__name=cause_name).order_by("-received_at").first()
        if case is not None:
            Suggestion.objects.create(case=case, text=text, created_at=now - timedelta(days=len(SUGGESTIONS) - i))
