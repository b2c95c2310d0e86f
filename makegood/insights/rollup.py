"""Keeping `CaseFigures` up to date: the definitions of what a case counts as, in one place.

The refresh is incremental. It remembers the highest id it has read of each source (timeline
events, grants, escalations, follow-up answers) and recomputes only the cases those new rows
belong to, plus the cases whose first-response clock was still running (time alone can decide
them), plus the earlier cases of the same customers (their "next contact" may have changed).
The worker runs it every few minutes (`settings.MAKEGOOD_PERIODIC_TASKS`); a full rebuild is
`figures_refresh(full=True)`.

Definitions (each KPI in `kpis.py` reads these columns):

- first response: the first reply or recorded live contact by a person. The automatic
  acknowledgement is a different kind of line and never counts; a reopen does not restart it
  (the case keeps the response it had before the reopen: chatwoot#12058).
- its delay: counted as the channel's target counts (opening hours for business-hours targets).
- first resolution: the first time the case became resolved; reopens are counted within 30 days
  of it.
- the resolver: whoever owns the case now that it is resolved (only the owner may resolve).
- the customer's answer: the latest follow-up answer (a case reopened and then satisfied counts
  as satisfied; `ever_dissatisfied` remembers the first "no").
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from makegood.cases.business_hours import open_time_between
from makegood.cases.clock import clock_config
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Status
from makegood.causes.models import CaseCause
from makegood.followup.models import FollowUp, FollowUpAnswer, Outcome, State
from makegood.insights.bulk import rows_write
from makegood.insights.daily import days_refresh, local_days
from makegood.insights.models import DAYS_SOURCE, CaseFigures, RollupState
from makegood.insights.previous import previous_refresh
from makegood.remedies.models import Escalation, Grant, Purpose

CHUNK = 2000
FULL_COMMIT = 20_000
FULL_CACHE_KIB = 256 * 1024
REOPEN_WINDOW = timedelta(days=30)
RESPONSES = (EventKind.REPLY_SENT, EventKind.CONTACT)
TIMELINE_KINDS = (*RESPONSES, EventKind.OWNERSHIP_TAKEN, EventKind.STATUS_CHANGED, EventKind.REOPENED)
# How far back a customer's earlier cases are looked at when a new one arrives.
NEXT_CONTACT_LOOKBACK = timedelta(days=120)
ZERO = Decimal(0)

# Every column but the links to the customer's previous cases (`previous.py` writes those after).
COLUMNS = [f.name for f in CaseFigures._meta.concrete_fields if not f.name.startswith("previous_")]


@dataclass
class RefreshReport:
    cases: int = 0
    seconds: float = 0.0


def _state(source: str) -> RollupState:
    state, _ = RollupState.objects.get_or_create(source=source)
    return state


def _new_ids(source: str, model: Any, case_field: str) -> tuple[set[int], int]:
    """Case ids of rows added since the last refresh, and the highest row id now."""
    last = _state(source).last_id
    rows = model.objects.filter(pk__gt=last).values_list("pk", case_field)
    ids, top = set(), last
    for pk, case_id in rows.iterator(chunk_size=10000):
        ids.add(case_id)
        top = max(top, pk)
    return ids, top


def touched_case_ids(since: datetime | None) -> tuple[set[int], dict[str, int]]:
    sources = {
        "events": (CaseEvent, "case_id"),
        "grants": (Grant, "case_id"),
        "escalations": (Escalation, "case_id"),
        "answers": (FollowUpAnswer, "follow_up__case_id"),
        "followups": (FollowUp, "case_id"),
    }
    ids: set[int] = set()
    tops: dict[str, int] = {}
    for source, (model, field) in sources.items():
        found, tops[source] = _new_ids(source, model, field)
        ids |= found
    if since is not None:
        # Asked since (a follow-up's state changes without a new row), or a clock still running.
        ids |= set(FollowUp.objects.filter(sent_at__gte=since).values_list("case_id", flat=True))
    ids |= set(
        CaseFigures.objects.filter(within_target__isnull=True, first_response_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    return ids, tops


def _with_earlier_cases_of_customers(ids: set[int]) -> set[int]:
    """A new case changes the "next contact" of its customer's earlier cases (one query a chunk)."""
    found = set(ids)
    id_list = list(ids)
    for start in range(0, len(id_list), CHUNK):
        chunk = id_list[start : start + CHUNK]
        received: dict[int, list[datetime]] = defaultdict(list)
        for customer_id, received_at in Case.objects.filter(pk__in=chunk).values_list("customer_id", "received_at"):
            received[customer_id].append(received_at)
        if not received:
            continue
        moments = [at for ats in received.values() for at in ats]
        for pk, customer_id, at in Case.objects.filter(
            customer_id__in=list(received),
            received_at__gte=min(moments) - NEXT_CONTACT_LOOKBACK,
            received_at__lt=max(moments),
        ).values_list("pk", "customer_id", "received_at"):
            if any(later - NEXT_CONTACT_LOOKBACK <= at < later for later in received[customer_id]):
                found.add(pk)
    return found


def figures_refresh(*, full: bool = False, case_ids: Iterable[int] | None = None) -> RefreshReport:
    """Recompute the figures of the cases that changed (or of every case, `full`)."""
    started = timezone.now()
    timer = time.perf_counter()
    tops: dict[str, int] = {}
    if full:
        ids = set(Case.objects.values_list("pk", flat=True))
        for source, model in (
            ("events", CaseEvent),
            ("grants", Grant),
            ("escalations", Escalation),
            ("answers", FollowUpAnswer),
            ("followups", FollowUp),
        ):
            tops[source] = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    elif case_ids is not None:
        ids = set(case_ids)
    else:
        since = RollupState.objects.filter(source="events").values_list("refreshed_at", flat=True).first()
        ids, tops = touched_case_ids(since)
        ids = _with_earlier_cases_of_customers(ids)
    ordered = sorted(ids)
    received: set[datetime] = set()
    customers: set[int] = set()
    # A full refresh commits every FULL_COMMIT cases: each commit writes every index page its rows
    # touched, and a million cases in small commits rewrote the same pages hundreds of times.
    per_commit = FULL_COMMIT if full else CHUNK
    with _roomy_cache(full):
        for first in range(0, len(ordered), per_commit):
            with transaction.atomic():
                for start in range(first, min(first + per_commit, len(ordered)), CHUNK):
                    # Every case from the first id to the last, on a full refresh: read by range.
                    chunk_received, chunk_customers = _refresh_chunk(
                        ordered[start : start + CHUNK], now=started, whole=full
                    )
                    received |= chunk_received
                    customers |= chunk_customers
    # Each case's previous case of its customer: every customer whose cases changed, whole.
    previous_refresh(None if full else customers)
    # The days those cases fall on, summed again (every day on a full refresh, or the first time).
    if full or not RollupState.objects.filter(source=DAYS_SOURCE).exists():
        days_refresh()
    else:
        days_refresh(local_days(received))
    RollupState.objects.update_or_create(source=DAYS_SOURCE, defaults={"refreshed_at": started})
    for source, top in tops.items():
        RollupState.objects.update_or_create(source=source, defaults={"last_id": top, "refreshed_at": started})
    return RefreshReport(cases=len(ordered), seconds=time.perf_counter() - timer)


def _first_response_seconds(channel: str, team_id: int | None, start: datetime, end: datetime) -> float:
    schedule = clock_config().schedule_for(channel, team_id)
    if schedule is None:
        return max(0.0, (end - start).total_seconds())
    return open_time_between(start, end, schedule).total_seconds()


class CaseRow(NamedTuple):
    pk: int
    received_at: datetime
    channel: str
    team_id: int | None
    location: str | None
    customer_id: int
    owner_id: int | None
    status: str
    resolved_at: datetime | None
    reopen_count: int


@contextmanager
def _roomy_cache(full: bool) -> Iterator[None]:
    """SQLite keeps 2 MB of pages by default: a full refresh writes a dozen indexes of every case,
    so it gets FULL_CACHE_KIB while it runs (PostgreSQL's buffers are the server's)."""
    if not full or connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{FULL_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


@transaction.atomic
def _refresh_chunk(ids: list[int], *, now: datetime, whole: bool = False) -> tuple[set[datetime], set[int]]:
    """Recompute and write the figures of these cases; returns their receipt times (for the days)
    and their customers. `whole`: `ids` are every case from the first to the last (read by range)."""

    def of(field: str) -> Q:
        if whole:
            return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
        return Q(**{f"{field}__in": ids})

    cases = [
        CaseRow(*row)
        for row in Case.objects.filter(of("pk")).values_list(
            "pk",
            "received_at",
            "channel",
            "team_id",
            "team__location",
            "customer_id",
            "owner_id",
            "status",
            "resolved_at",
            "reopen_count",
        )
    ]
    timeline: dict[int, list[tuple[str, datetime, int | None, Any]]] = defaultdict(list)
    for case_id, kind, at, actor_id, data in (
        CaseEvent.objects.filter(of("case_id"), kind__in=TIMELINE_KINDS)
        .order_by("at", "pk")
        .values_list("case_id", "kind", "at", "actor_id", "data")
    ):
        timeline[case_id].append((kind, at, actor_id, data))
    causes = dict(CaseCause.objects.filter(of("case_id")).values_list("case_id", "cause_id"))
    escalated = set(Escalation.objects.filter(of("case_id")).values_list("case_id", flat=True))
    approved = set(Grant.objects.filter(of("case_id"), authorized_by__isnull=False).values_list("case_id", flat=True))
    money: dict[tuple[int, str], tuple[Decimal, Decimal]] = {
        (r["case_id"], r["purpose"]): (r["cost_sum"] or ZERO, r["value_sum"] or ZERO)
        for r in Grant.objects.filter(of("case_id"))
        .values("case_id", "purpose")
        .annotate(cost_sum=Sum("cost"), value_sum=Sum("value"))
        .order_by()
    }
    surveyed = set(
        FollowUp.objects.filter(of("case_id"))
        .filter(Q(sent_at__isnull=False) | Q(state__in=[State.ANSWERED, State.NO_RESPONSE]))
        .values_list("case_id", flat=True)
    )
    answers: dict[int, list[tuple[bool, int, str]]] = defaultdict(list)
    for case_id, resolved, satisfaction, outcome in (
        FollowUpAnswer.objects.filter(of("follow_up__case_id"))
        .order_by("answered_at", "pk")
        .values_list("follow_up__case_id", "resolved", "satisfaction", "outcome")
    ):
        answers[case_id].append((resolved, satisfaction, outcome))
    customers = {c.customer_id for c in cases}
    contacts: dict[int, list[datetime]] = defaultdict(list)
    earliest = min((c.received_at for c in cases), default=now)
    for customer_id, received_at in (
        Case.objects.filter(customer_id__in=customers, received_at__gt=earliest)
        .order_by("received_at")
        .values_list("customer_id", "received_at")
    ):
        contacts[customer_id].append(received_at)
    clock = clock_config()
    rows = []
    for case in cases:
        rows.append(
            _figures_of(
                case,
                timeline=timeline.get(case.pk, []),
                cause_id=causes.get(case.pk),
                escalated=case.pk in escalated,
                approved=case.pk in approved,
                compensation=money.get((case.pk, Purpose.COMPENSATION), (ZERO, ZERO)),
                restitution=money.get((case.pk, Purpose.RESTITUTION), (ZERO, ZERO)),
                surveyed=case.pk in surveyed,
                answers=answers.get(case.pk, []),
                next_contact=next((at for at in contacts.get(case.customer_id, []) if at > case.received_at), None),
                target=clock.target(case.channel),
                now=now,
            )
        )
    rows_write(CaseFigures, COLUMNS, ([row[c] for c in COLUMNS] for row in rows), conflict="case")
    return {case.received_at for case in cases}, customers


def _figures_of(
    case: CaseRow,
    *,
    timeline: list[tuple[str, datetime, int | None, Any]],
    cause_id: int | None,
    escalated: bool,
    approved: bool,
    compensation: tuple[Decimal, Decimal],
    restitution: tuple[Decimal, Decimal],
    surveyed: bool,
    answers: list[tuple[bool, int, str]],
    next_contact: datetime | None,
    target: timedelta,
    now: datetime,
) -> dict[str, Any]:
    first_response = next((at for kind, at, _, _ in timeline if kind in RESPONSES), None)
    first_owner = next((actor for kind, _, actor, _ in timeline if kind == EventKind.OWNERSHIP_TAKEN), None)
    first_resolved = next(
        (
            at
            for kind, at, _, data in timeline
            if kind == EventKind.STATUS_CHANGED and isinstance(data, dict) and data.get("to") == Status.RESOLVED
        ),
        None,
    )
    reopens_30 = (
        sum(1 for kind, at, _, _ in timeline if kind == EventKind.REOPENED and at <= first_resolved + REOPEN_WINDOW)
        if first_resolved is not None
        else 0
    )
    seconds = None
    within: bool | None = None
    if first_response is not None:
        seconds = _first_response_seconds(case.channel, case.team_id, case.received_at, first_response)
        within = seconds <= target.total_seconds()
    elif _first_response_seconds(case.channel, case.team_id, case.received_at, now) > target.total_seconds():
        within = False  # nobody answered and the target has passed: missed, whatever happens next
    is_resolved = case.status in (Status.RESOLVED, Status.CLOSED)
    resolved_at = case.resolved_at if is_resolved else None
    if is_resolved and resolved_at is None:
        # Imported history is closed without a resolution line: its closing is its resolution.
        resolved_at = first_resolved
    last = answers[-1] if answers else None
    return {
        "case": case.pk,
        "received_at": case.received_at,
        "channel": case.channel,
        "team": case.team_id,
        "location": case.location or "",
        "cause": cause_id,
        "customer": case.customer_id,
        "owner": case.owner_id,
        "first_owner": first_owner,
        "first_response_at": first_response,
        "first_response_seconds": seconds,
        "within_target": within,
        "first_resolved_at": first_resolved,
        "is_resolved": is_resolved,
        "resolved_at": resolved_at,
        "resolution_seconds": (resolved_at - case.received_at).total_seconds() if resolved_at else None,
        "resolver": case.owner_id if is_resolved else None,
        "escalated": escalated,
        "manager_approved": approved,
        "reopen_count": case.reopen_count,
        "reopens_within_30_days": reopens_30,
        "next_contact_at": next_contact,
        "surveyed": surveyed or bool(answers),
        "answered": bool(answers),
        "satisfaction": last[1] if last else None,
        "confirmed_resolved": last[0] if last else None,
        "ever_dissatisfied": any(outcome == Outcome.REOPENED for _, _, outcome in answers),
        "compensation_cost": compensation[0],
        "compensation_value": compensation[1],
        "restitution_cost": restitution[0],
        "refreshed_at": now,
    }
