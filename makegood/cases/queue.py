"""The queue: a team's open cases, most urgent first, and the first-response clock as text.

Most urgent is what the customers need (`queue_for`): high priority first, then the least time
left, with long-breached cases below the fresh ones; the views that narrow it are `queue_views.py`.

The queue page must stay fast at 100,000 cases, so the rows are read in index order off
`case_queue_idx` (team, status, due time) with the customer and owner joined in, only the
columns the page shows, and the story cut short in the database.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse

from makegood.accounts.models import Team
from makegood.cases.models import OPEN_STATUSES, Case, Channel, Feeling, Priority, Status, case_reference
from makegood.cases.selectors import team_cases_visible_to

QUEUE_LIMIT = 100
COUNT_CAP = 10_000
STORY_PREVIEW_CHARS = 140
STORY_PREVIEW_SHOWN = 110


class ClockState:
    RUNNING = "running"
    BREACHED = "breached"
    RESPONDED = "responded"
    RESPONDED_LATE = "responded_late"


@dataclass(frozen=True)
class Clock:
    """The first-response clock of one case at one moment, as the page shows it."""

    state: str
    text: str
    due_at: datetime
    responded_at: datetime | None

    @property
    def is_breached(self) -> bool:
        return self.state == ClockState.BREACHED

    @property
    def is_running(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.BREACHED)


def format_span(span: timedelta) -> str:
    """`4:32`, `1:02:05`, or `3d 4h` for anything a day or longer (the browser uses the same rule)."""
    seconds = int(abs(span.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def clock_of(case: Case, *, now: datetime) -> Clock:
    return clock_at(case.first_response_due_at, case.first_responded_at, now=now)


def clock_at(due: datetime, responded: datetime | None, *, now: datetime) -> Clock:
    if responded is not None:
        late = responded > due
        return Clock(
            state=ClockState.RESPONDED_LATE if late else ClockState.RESPONDED,
            text="responded late" if late else "responded",
            due_at=due,
            responded_at=responded,
        )
    left = due - now
    if left.total_seconds() < 0:
        return Clock(state=ClockState.BREACHED, text=f"{format_span(left)} overdue", due_at=due, responded_at=None)
    return Clock(state=ClockState.RUNNING, text=f"{format_span(left)} left", due_at=due, responded_at=None)


def format_target(target: timedelta) -> str:
    """A response target in words: `1 minute`, `1 hour`, `1 hour 30 minutes`."""
    minutes = int(target.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@dataclass(frozen=True)
class QueueRow:
    """One row, with everything the template prints worked out here and one dot deep: rendering
    100 rows must stay cheap, and template filters, `{% url %}` and long lookups per row are not."""

    pk: int
    reference: str
    url: str
    take_url: str
    channel: str
    customer_name: str
    # What the feeling detector read in the customer's words ("" when nothing was detected).
    feeling: str
    # A second failure within 90 days: much harder to recover, so it is flagged.
    repeat_failure: bool
    story_preview: str
    owner_id: int | None
    owner_name: str
    mine: bool
    clock_state: str
    clock_text: str
    breached: bool
    # The sweep recorded that the first-response target was missed (cases/breaches.py).
    breach_recorded: bool
    # High after the customer said the recovery did not work; how many times they said so.
    high_priority: bool
    reopen_count: int
    # Only for a clock that is still running: the browser counts down to it.
    due_iso: str


def _preview(text: str, limit: int = STORY_PREVIEW_SHOWN) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _url_maker(name: str) -> Callable[[str], str]:
    """`reverse` once per page, not once per row."""
    placeholder = "MG-0000-000000"
    before, after = reverse(name, kwargs={"reference": placeholder}).split(placeholder)
    return lambda reference: f"{before}{reference}{after}"


# The columns a row shows, read as plain values: building ~200 model instances (each case with its
# customer and owner) took more of the page's CPU than rendering it.
ROW_COLUMNS = (
    "id",
    "received_at",
    "channel",
    "detected_feeling",
    "is_repeat_failure",
    "owner_id",
    "first_response_due_at",
    "first_responded_at",
    "first_response_breached_at",
    "priority",
    "reopen_count",
    "customer__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)
_CHANNEL_LABELS = dict(Channel.choices)
_FEELING_LABELS = dict(Feeling.choices)


def queue_rows_of(records: Iterable[dict[str, Any]], *, now: datetime, viewer_id: int | None) -> list[QueueRow]:
    """`records`: `ROW_COLUMNS` and `story_preview` of each case, as `QuerySet.values` gives them."""
    case_url, take_url = _url_maker("case_detail"), _url_maker("case_take")
    rows = []
    for r in records:
        reference = case_reference(r["id"], r["received_at"])
        owner_id = r["owner_id"]
        owner_name = ""
        if owner_id is not None:
            owner_name = f"{r['owner__first_name']} {r['owner__last_name']}".strip() or r["owner__username"]
        due = r["first_response_due_at"]
        clock = clock_at(due, r["first_responded_at"], now=now)
        feeling = r["detected_feeling"]
        rows.append(
            QueueRow(
                pk=r["id"],
                reference=reference,
                url=case_url(reference),
                take_url=take_url(reference),
                channel=str(_CHANNEL_LABELS.get(r["channel"], r["channel"])),
                customer_name=r["customer__name"] or "(no name)",
                feeling=str(_FEELING_LABELS.get(feeling, feeling)) if feeling else "",
                repeat_failure=r["is_repeat_failure"],
                story_preview=_preview(r["story_preview"] or ""),
                owner_id=owner_id,
                owner_name=owner_name,
                mine=owner_id is not None and owner_id == viewer_id,
                clock_state=clock.state,
                clock_text=clock.text,
                breached=clock.is_breached,
                breach_recorded=r["first_response_breached_at"] is not None,
                high_priority=r["priority"] == Priority.HIGH,
                reopen_count=r["reopen_count"],
                due_iso=due.isoformat() if clock.is_running else "",
            )
        )
    return rows


@dataclass(frozen=True)
class Queue:
    team: Team | None
    rows: list[QueueRow]
    total: int
    now: datetime

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)

    @property
    def total_label(self) -> str:
        """`1,234`, or `10,000 or more` once the count reached COUNT_CAP."""
        return f"{self.total:,}" + (" or more" if self.total >= COUNT_CAP else "")


UNROUTED_SLUG = "unrouted"


def queue_team_for(user: User | AnonymousUser, *, slug: str = "") -> Team | None:
    """The team whose queue to show: the one asked for, else the person's own, else the unrouted one.

    Asking for another team shows only what `cases_visible_to` lets the person see there. None is
    the *Unrouted* view: cases in no team (asked for as `unrouted`, or when there is no team yet).
    """
    if slug == UNROUTED_SLUG:
        return None
    if slug:
        team = Team.objects.filter(slug=slug).first()
        if team is not None:
            return team
    profile = getattr(user, "staff", None)
    if profile is not None and profile.team_id is not None:
        # Through the profile, so that the page header's look-up of the same team is cached.
        return profile.team
    return Team.objects.receiving_unrouted()


def queue_records(ids: list[int]) -> list[dict[str, Any]]:
    """The rows of these cases, in this order: only the columns the queue shows, the story cut
    short in the database."""
    records = (
        Case.objects.filter(pk__in=ids)
        .annotate(story_preview=Substr("story", 1, STORY_PREVIEW_CHARS))
        .values(*ROW_COLUMNS, "story_preview")
    )
    by_id = {r["id"]: r for r in records}
    return [by_id[pk] for pk in ids if pk in by_id]


BY_DUE = ("first_response_due_at", "pk")
BY_DUE_DESC = ("-first_response_due_at", "-pk")
# A case whose target passed less than this long ago can still be saved by answering now, so it
# keeps its place among the running clocks; one breached longer ago goes below them (still shown,
# most recently breached first) instead of burying the fresh cases under a month of backlog.
RECENT_BREACH = timedelta(hours=1)


# What each step of the order reads: a case's id and due time, which are all it is sorted on.
Key = tuple[int, datetime]


def _keys(cases: QuerySet[Case], order: tuple[str, str], limit: int) -> list[Key]:
    return list(cases.order_by(*order).values_list("pk", "first_response_due_at")[:limit])


def _due_key(key: Key) -> tuple[datetime, int]:
    return key[1], key[0]


def _due_desc_key(key: Key) -> tuple[float, int]:
    return -key[1].timestamp(), -key[0]


def _by_status(cases: QuerySet[Case], order: tuple[str, str], limit: int) -> Iterable[Key]:
    """New and opened cases in `order`, each slice read straight off the (team, status, due)
    index with an equality on status (with `status IN (...)` SQLite leaves the index and sorts)."""
    new = _keys(cases.filter(status=Status.NEW), order, limit)
    opened = _keys(cases.filter(status=Status.OPEN), order, limit)
    return heapq.merge(new, opened, key=_due_key if order == BY_DUE else _due_desc_key)


def queue_for(
    user: User | AnonymousUser,
    *,
    team: Team | None,
    now: datetime,
    limit: int = QUEUE_LIMIT,
    narrowed: Q | None = None,
) -> Queue:
    """The `limit` most urgent open cases (of a view, when `narrowed`) and how many there are.

    Most urgent, in this order, each awaiting a first response unless said otherwise:
    1. high priority: reopened (the customer was told "we put it first in line") or a second
       failure within 90 days, by due time;
    2. the least time left before the target, including those breached within RECENT_BREACH;
    3. breached longer ago, most recently breached first;
    4. answered cases still open, high priority first, by due time.
    Each step reads at most `limit` ids, and only while there is room, so no query sorts the
    team's whole backlog however large; then the rows picked are read in one query.
    """
    # Neither filtered on status nor ordered here: each step reads a slice with an equality on
    # status (with `status IN (...)` as well, SQLite leaves the index and sorts).
    cases = team_cases_visible_to(user, team=team)
    if narrowed is not None:
        cases = cases.filter(narrowed)
    awaiting = cases.filter(first_responded_at__isnull=True)
    high = Q(priority=Priority.HIGH) | Q(is_repeat_failure=True)
    picked: list[int] = []
    seen: set[int] = set()

    def take(keys: Iterable[Key]) -> None:
        for pk, _due in keys:
            if len(picked) >= limit:
                return
            if pk not in seen:
                seen.add(pk)
                picked.append(pk)

    # Few cases are high priority: sorting them is cheap, so one query serves both statuses. But
    # finding them looks at every open case of the team: their ids and due times come off
    # `case_queue_views_idx` alone (no table read).
    take(_keys(awaiting.filter(high, status__in=OPEN_STATUSES), BY_DUE, limit))
    cutoff = now - RECENT_BREACH
    if len(picked) < limit:
        take(_by_status(awaiting.filter(first_response_due_at__gte=cutoff), BY_DUE, limit))
    if len(picked) < limit:
        take(_by_status(awaiting.filter(first_response_due_at__lt=cutoff), BY_DUE_DESC, limit))
    if len(picked) < limit:
        answered = cases.filter(status__in=OPEN_STATUSES, first_responded_at__isnull=False)
        take(_keys(answered.filter(priority=Priority.HIGH), BY_DUE, limit))
        take(_keys(answered, BY_DUE, limit))
    total = len(picked)
    if total == limit:
        # Counting is the one step that grows with the backlog; past COUNT_CAP it stops ("10,000+").
        total = cases.filter(status__in=OPEN_STATUSES).order_by().values("pk")[:COUNT_CAP].count()
    rows = queue_rows_of(queue_records(picked), now=now, viewer_id=user.pk)
    return Queue(team=team, rows=rows, total=total, now=now)
