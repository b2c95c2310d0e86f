"""Reading the improvement loop: the Pareto of causes, a cause's recurring cases, trends,
suggestion acceptance, the owner's queue items. Counted in the database, over the cases the
person may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from makegood.cases.models import Case
from makegood.cases.selectors import cases_visible_to
from makegood.causes.models import CaseCause, Cause, Choice, Failure
from makegood.improvement.access import causes_for, owned_causes_q
from makegood.improvement.models import ActionState, CauseAlarm, ImprovementAction, OwnerNotice
from makegood.improvement.series import cause_series, last_complete_week
from makegood.remedies.selectors import remedy_cost_by

DEFAULT_DAYS = 90
TREND_WEEKS = 52


def _since(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days), time.min))


def _dissatisfied() -> Q:
    """A follow-up answer that says the recovery did not work (not resolved, or 1-2 out of 5)."""
    return Q(follow_ups__answer__resolved=False) | Q(follow_ups__answer__satisfaction__lte=2)


@dataclass
class ParetoRow:
    cause: Cause
    count: int
    system: int
    person: int
    cost: dict[str, Decimal] = field(default_factory=dict)
    dissatisfied: int = 0
    cumulative_share: float = 0.0

    @property
    def cost_total(self) -> Decimal:
        """For ordering only: amounts of different currencies are never added up for display."""
        return sum(self.cost.values(), Decimal(0))


def pareto(user: User, *, days: int = DEFAULT_DAYS, by: str = "count") -> list[ParetoRow]:
    """Causes of the cases the user may see, received in the last `days` days, biggest first."""
    cases = cases_visible_to(user).filter(received_at__gte=_since(days), root_cause__isnull=False)
    visible_causes = {c.pk: c for c in causes_for(user)}
    counts = (
        cases.values("root_cause__cause")
        .annotate(
            n=Count("pk"),
            system=Count("pk", filter=Q(root_cause__failure=Failure.SYSTEM)),
            person=Count("pk", filter=Q(root_cause__failure=Failure.PERSON)),
        )
        .order_by()
    )
    rows = {
        r["root_cause__cause"]: ParetoRow(visible_causes[r["root_cause__cause"]], r["n"], r["system"], r["person"])
        for r in counts
        if r["root_cause__cause"] in visible_causes
    }
    for (cause_id, currency), total in remedy_cost_by(cases=cases, key="root_cause__cause").items():
        if cause_id in rows:
            rows[cause_id].cost[currency] = total
    unhappy = (
        cases.filter(_dissatisfied()).values("root_cause__cause").annotate(n=Count("pk", distinct=True)).order_by()
    )
    for r in unhappy:
        if r["root_cause__cause"] in rows:
            rows[r["root_cause__cause"]].dissatisfied = r["n"]

    def metric(row: ParetoRow) -> float:
        if by == "cost":
            return float(row.cost_total)
        return float(row.dissatisfied if by == "dissatisfied" else row.count)

    ordered = sorted(rows.values(), key=lambda r: (-metric(r), -r.count, r.cause.label))
    grand = sum(metric(r) for r in ordered) or 1.0
    running = 0.0
    for row in ordered:
        running += metric(row)
        row.cumulative_share = running / grand
    return ordered


@dataclass(frozen=True)
class CaseRow:
    case: Case
    cost: dict[str, Decimal]
    dissatisfied: bool
    failure: str


def cause_cases(user: User, cause: Cause, *, days: int = DEFAULT_DAYS, limit: int = 200) -> list[CaseRow]:
    """The cause's recurring cases the user may see, the costliest and unhappiest first."""
    cases = cases_visible_to(user).filter(root_cause__cause=cause, received_at__gte=_since(days))
    costs: dict[int, dict[str, Decimal]] = {}
    for (case_id, currency), total in remedy_cost_by(cases=cases, key="pk").items():
        costs.setdefault(case_id, {})[currency] = total
    unhappy = set(cases.filter(_dissatisfied()).values_list("pk", flat=True))
    page = list(cases.select_related("customer", "root_cause").order_by("-received_at", "-pk")[:limit])
    rows = [CaseRow(c, costs.get(c.pk, {}), c.pk in unhappy, c.root_cause.failure) for c in page]
    return sorted(
        rows, key=lambda r: (-sum(r.cost.values(), Decimal(0)), not r.dissatisfied, -r.case.received_at.timestamp())
    )


@dataclass(frozen=True)
class Trend:
    weeks: list[date]
    counts: list[int]
    volumes: list[int] | None
    live_markers: list[tuple[date, str]]  # (week, fix title)
    alarm_markers: list[tuple[date, str]]  # (week, kind label)


def cause_trend(cause: Cause, *, today: date | None = None, weeks: int = TREND_WEEKS) -> Trend:
    last = last_complete_week(today or timezone.localdate())
    span = [last - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    series = cause_series(cause.pk, span)
    lives = [
        (a.went_live_on, a.title)
        for a in ImprovementAction.objects.filter(cause=cause, went_live_on__gte=span[0]).order_by("went_live_on")
        if a.went_live_on is not None
    ]
    alarms = [(a.week, str(a.get_kind_display())) for a in CauseAlarm.objects.filter(cause=cause, week__gte=span[0])]
    return Trend(span, series.counts, series.volumes, lives, alarms)


@dataclass(frozen=True)
class Acceptance:
    total: int
    first: int
    other: int
    own: int

    def share(self, n: int) -> float | None:
        return n / self.total if self.total else None


def suggestion_acceptance(*, days: int = DEFAULT_DAYS) -> Acceptance:
    """How often the employee took the first suggested cause, another one, or chose their own."""
    rows = dict(
        CaseCause.objects.filter(imported=False, set_at__gte=_since(days))
        .exclude(choice=Choice.NOT_SUGGESTED)
        .values_list("choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    first, other, own = rows.get(Choice.FIRST, 0), rows.get(Choice.OTHER, 0), rows.get(Choice.OWN, 0)
    return Acceptance(total=first + other + own, first=first, other=other, own=own)


@dataclass(frozen=True)
class OwnerQueue:
    overdue: list[ImprovementAction]
    notices: list[OwnerNotice]


def owner_queue(user: User, *, today: date | None = None) -> OwnerQueue:
    """What the queue shows a process owner: their overdue fixes and unread notices."""
    today = today or timezone.localdate()
    mine = Q(owner_id=user.pk) | owned_causes_q(user, "cause__")
    overdue = list(
        ImprovementAction.objects.filter(mine, state__in=[ActionState.OPEN, ActionState.IN_PROGRESS], due_on__lt=today)
        .select_related("cause__category")
        .order_by("due_on", "pk")[:20]
    )
    notices = list(OwnerNotice.objects.filter(user=user, read_at__isnull=True)[:20])
    return OwnerQueue(overdue=overdue, notices=notices)


def recent_cases_of(user: User, cause: Cause, *, days: int = DEFAULT_DAYS) -> QuerySet[Case]:
    return cases_visible_to(user).filter(root_cause__cause=cause, received_at__gte=_since(days))
