"""The KPI definitions, in code, each a database aggregate over `CaseFigures`.

Every figure has a name in `FIGURES`: the cases behind it are `figure_cases(name)` (the drill-down
page and its CSV list them), so a number on the page is always one click from its cases.
Shares are None when there is nothing to divide by (an empty tile says "no data", not 0%).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber

from makegood import money
from makegood.accounts.models import Role, Team
from makegood.cases.models import Channel
from makegood.causes.models import Cause
from makegood.insights.models import CaseFigures
from makegood.remedies.authority import Policy, policy_merge
from makegood.remedies.models import EmployeeAuthority, RoleAuthority

# The seed's goal: 95% of cases resolved by the first person, without a hand-off.
FCR_GOAL = 0.95
# Industry bands for first-contact resolution (SQM Group's benchmarks): about 70% is average,
# 80% and above is world class.
FCR_INDUSTRY_AVERAGE = 0.70
FCR_WORLD_CLASS = 0.80
REPEAT_CONTACT_DAYS = 7
SATISFIED_FROM = 4
ZERO = Decimal(0)
ROLE_PRECEDENCE = (Role.ADMINISTRATOR, Role.PROCESS_OWNER, Role.MANAGER, Role.FRONTLINE)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _resolved_by_first_owner() -> Q:
    return Q(is_resolved=True, resolver_id=F("first_owner_id"), escalated=False, reopen_count=0)


def _repeat_contact(days: int) -> Q:
    """Another case of the same customer between this one's receipt and `days` after it was resolved."""
    return Q(next_contact_at__isnull=False) & Q(
        next_contact_at__lte=Coalesce(F("first_resolved_at"), F("resolved_at")) + timedelta(days=days)
    )


# name -> (what it lists, the condition). Every figure on the dashboard links to one of these.
FIGURES: dict[str, tuple[str, Callable[[int], Q]]] = {
    "all": ("Every case received", lambda days: Q()),
    "responded": ("Cases a person responded to", lambda days: Q(first_response_at__isnull=False)),
    "within_target": ("First response within the target", lambda days: Q(within_target=True)),
    "missed_target": ("First response late, or still waiting past the target", lambda days: Q(within_target=False)),
    "resolved": ("Resolved or closed", lambda days: Q(is_resolved=True)),
    "ever_resolved": ("Resolved at least once", lambda days: Q(first_resolved_at__isnull=False)),
    "reopened_30": (
        "Reopened within 30 days of the first resolution",
        lambda days: Q(reopens_within_30_days__gt=0),
    ),
    "one_touch": (
        "One-touch: resolved by the first owner, no escalation, never reopened",
        lambda days: _resolved_by_first_owner(),
    ),
    "not_one_touch": (
        "Resolved, but not on one touch",
        lambda days: Q(is_resolved=True) & ~_resolved_by_first_owner(),
    ),
    "no_repeat": (
        "Resolved, and the customer opened no other case soon after",
        lambda days: Q(is_resolved=True) & ~_repeat_contact(days),
    ),
    "repeat_contact": (
        "Resolved, but the customer came back soon after",
        lambda days: Q(is_resolved=True) & _repeat_contact(days),
    ),
    "answered": ("Resolved, and the customer answered the follow-up", lambda days: Q(is_resolved=True, answered=True)),
    "confirmed": ("The customer confirmed it is resolved", lambda days: Q(is_resolved=True, confirmed_resolved=True)),
    "within_authority": (
        "Resolved within the employee's own authority (no escalation, no manager's approval)",
        lambda days: Q(is_resolved=True, escalated=False, manager_approved=False),
    ),
    "surveyed": ("Asked in a follow-up", lambda days: Q(surveyed=True)),
    "satisfied": (
        f"Answered {SATISFIED_FROM} or 5 of 5",
        lambda days: Q(answered=True, satisfaction__gte=SATISFIED_FROM),
    ),
    "compensated": ("Cases with compensation granted", lambda days: Q(compensation_cost__gt=0)),
    "group_quick": ("Recovered quickly: satisfied, resolved within a day", lambda days: _loyalty_group("quick")),
    "group_slow": ("Recovered slowly: satisfied, resolved later", lambda days: _loyalty_group("slow")),
    "group_not_recovered": (
        "Not recovered: dissatisfied, reopened and never satisfied, or silent",
        lambda days: _loyalty_group("not_recovered"),
    ),
}


def _loyalty_group(group: str) -> Q:
    from makegood.insights.loyalty import group_q

    return group_q(group)


def figure_q(name: str, repeat_days: int = REPEAT_CONTACT_DAYS) -> Q:
    return FIGURES[name][1](repeat_days)


def percentiles(
    figures: QuerySet[CaseFigures], column: str, *, by: str | None = None, points: Iterable[float] = (0.5, 0.9)
) -> dict[Any, dict[float, float]]:
    """Nearest-rank percentiles of `column` (its non-null values), per value of `by`: in the database.

    Two queries: the count per group, then only the rows at the wanted ranks (a window function
    numbers them), whatever the number of rows.
    """
    present = figures.filter(**{f"{column}__isnull": False})
    groups = (
        {r[by]: r["n"] for r in present.values(by).annotate(n=Count("pk")).order_by()}
        if by
        else {None: present.count()}
    )
    ranks: dict[Any, dict[int, list[float]]] = {}
    for key, n in groups.items():
        for p in points:
            if n:
                ranks.setdefault(key, {}).setdefault(max(1, math.ceil(p * n)), []).append(p)
    wanted = {rank for by_rank in ranks.values() for rank in by_rank}
    if not wanted:
        return {}
    numbered = present.annotate(
        rank=Window(RowNumber(), partition_by=[F(by)] if by else None, order_by=[F(column).asc(), F("pk").asc()])
    )
    result: dict[Any, dict[float, float]] = {}
    fields = [column, "rank", *([by] if by else [])]
    for row in numbered.filter(rank__in=wanted).values(*fields):
        key = row[by] if by else None
        for point in ranks.get(key, {}).get(row["rank"], []):
            result.setdefault(key, {})[point] = row[column]
    return result


@dataclass
class ChannelResponse:
    channel: str
    label: str
    responded: int
    decided: int
    within_target: int
    share_within_target: float | None
    median_seconds: float | None
    p90_seconds: float | None

    @property
    def missed(self) -> int:
        return self.decided - self.within_target


@dataclass
class Resolver:
    user_id: int | None
    name: str
    resolved: int
    surveyed: int
    answered: int
    satisfied: int
    satisfied_share: float | None
    response_rate: float | None


@dataclass
class CostRow:
    key: str
    label: str
    cases: int
    compensated_cases: int
    cost: Decimal
    value: Decimal
    cost_per_case: Decimal | None
    value_to_cost: float | None
    largest_case_cost: Decimal = ZERO
    cap_per_case: Decimal | None = None
    budget: Decimal | None = None
    filter_param: str = ""
    filter_value: str = ""


@dataclass
class Kpis:
    cases: int
    currency: str
    repeat_days: int
    response: list[ChannelResponse]
    response_overall: ChannelResponse
    resolution: dict[str, Any]
    reopen: dict[str, Any]
    first_contact: dict[str, Any]
    authority: dict[str, Any]
    satisfaction: dict[str, Any]
    resolvers: list[Resolver]
    compensation: dict[str, Any]
    by_cause: list[CostRow] = field(default_factory=list)
    by_employee: list[CostRow] = field(default_factory=list)
    by_team: list[CostRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def clean(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        return clean(asdict(self))  # type: ignore[no-any-return,unused-ignore]


def _name(user: User | None) -> str:
    if user is None:
        return "(nobody)"
    return user.get_full_name() or user.get_username()


def response_by_channel(figures: QuerySet[CaseFigures]) -> tuple[list[ChannelResponse], ChannelResponse]:
    counts = {
        r["channel"]: r
        for r in figures.values("channel")
        .annotate(
            responded=Count("pk", filter=Q(first_response_at__isnull=False)),
            decided=Count("pk", filter=Q(within_target__isnull=False)),
            within=Count("pk", filter=Q(within_target=True)),
        )
        .order_by()
    }
    by_channel = percentiles(figures, "first_response_seconds", by="channel")
    overall_points = percentiles(figures, "first_response_seconds")
    rows = []
    for channel, label in Channel.choices:
        r = counts.get(channel)
        if r is None:
            continue
        points = by_channel.get(channel, {})
        rows.append(
            ChannelResponse(
                channel,
                str(label),
                r["responded"],
                r["decided"],
                r["within"],
                _share(r["within"], r["decided"]),
                points.get(0.5),
                points.get(0.9),
            )
        )
    responded, decided, within = (
        sum(getattr(row, f) for row in rows) for f in ("responded", "decided", "within_target")
    )
    points = overall_points.get(None, {})
    overall = ChannelResponse(
        "", "Every channel", responded, decided, within, _share(within, decided), points.get(0.5), points.get(0.9)
    )
    return rows, overall


def _policies(user_ids: set[int], team_ids: set[int]) -> tuple[dict[int, User], dict[int, Policy], dict[int, Decimal]]:
    """People by id, each one's effective authority, and each team's monthly budget (its members' sum)."""
    users = list(
        User.objects.filter(Q(pk__in=user_ids) | Q(staff__team_id__in=team_ids, is_active=True))
        .select_related("staff")
        .prefetch_related("groups")
    )
    by_role = {r.role: r for r in RoleAuthority.objects.all()}
    overrides = {o.user_id: o for o in EmployeeAuthority.objects.filter(user__in=users)}
    policies: dict[int, Policy] = {}
    budgets: dict[int, Decimal] = {}
    for user in users:
        names = {g.name for g in user.groups.all()}
        role = next((r.value for r in ROLE_PRECEDENCE if r.value in names), "")
        policies[user.pk] = policy_merge(by_role.get(role), overrides.get(user.pk), role=role)
        staff = getattr(user, "staff", None)
        if staff is not None and staff.team_id in team_ids and user.is_active:
            budgets[staff.team_id] = budgets.get(staff.team_id, ZERO) + policies[user.pk].budget_per_month
    return {u.pk: u for u in users}, policies, budgets


def _cost_row(key: str, label: str, r: Mapping[str, Any], **extra: Any) -> CostRow:
    currency = settings.DEFAULT_CURRENCY
    # SQLite sums decimals as floats: back to the currency's places, as PostgreSQL gives them.
    cost, value = (money.quantize(Decimal(str(r[k] or 0)), currency) for k in ("cost", "value"))
    cases = r["cases"]
    return CostRow(
        key=key,
        label=label,
        cases=cases,
        compensated_cases=r["compensated"],
        cost=cost,
        value=value,
        cost_per_case=money.quantize(cost / cases, currency) if cases else None,
        value_to_cost=round(float(value / cost), 2) if cost else None,
        largest_case_cost=money.quantize(Decimal(str(r["largest"] or 0)), currency),
        **extra,
    )


COST_AGGREGATES = {
    "cases": Count("pk"),
    "compensated": Count("pk", filter=Q(compensation_cost__gt=0)),
    "cost": Sum("compensation_cost"),
    "value": Sum("compensation_value"),
    "largest": Max("compensation_cost"),
}


def compensation(
    figures: QuerySet[CaseFigures], months: int
) -> tuple[dict[str, Any], list[CostRow], list[CostRow], list[CostRow]]:
    totals = figures.aggregate(**COST_AGGREGATES)
    total = _cost_row("", "Every case", totals)
    causes = {r["cause"]: r for r in figures.values("cause").annotate(**COST_AGGREGATES).order_by()}
    labels = {
        c.pk: str(c.label) for c in Cause.objects.filter(pk__in=[k for k in causes if k]).select_related("category")
    }
    by_cause = sorted(
        (
            _cost_row(
                str(k or ""),
                labels.get(k, "(no cause yet)") if k else "(no cause yet)",
                r,
                filter_param="cause",
                filter_value=str(k or ""),
            )
            for k, r in causes.items()
        ),
        key=lambda row: (-row.cost, row.label),
    )
    employees = {
        r["resolver"]: r
        for r in figures.filter(is_resolved=True).values("resolver").annotate(**COST_AGGREGATES).order_by()
    }
    teams_rows = {r["team"]: r for r in figures.values("team").annotate(**COST_AGGREGATES).order_by()}
    users, policies, budgets = _policies({k for k in employees if k}, {k for k in teams_rows if k})
    by_employee = []
    for user_id, r in employees.items():
        policy = policies.get(user_id) if user_id else None
        row = _cost_row(
            str(user_id or ""),
            _name(users.get(user_id)) if user_id else "(nobody)",
            r,
            cap_per_case=policy.cap_per_case if policy else None,
            budget=policy.budget_per_month * months if policy else None,
            filter_param="resolver",
            filter_value=str(user_id or ""),
        )
        by_employee.append(row)
    by_employee.sort(key=lambda row: (-row.cost, row.label))
    team_names, team_slugs = {}, {}
    for pk, name, slug in Team.objects.filter(pk__in=[k for k in teams_rows if k]).values_list("pk", "name", "slug"):
        team_names[pk], team_slugs[pk] = name, slug
    by_team = sorted(
        (
            _cost_row(
                str(k or ""),
                team_names.get(k, "(no team)") if k else "(no team)",
                r,
                budget=budgets.get(k, ZERO) * months if k else None,
                filter_param="team",
                filter_value=team_slugs.get(k, "") if k else "",
            )
            for k, r in teams_rows.items()
        ),
        key=lambda row: (-row.cost, row.label),
    )
    summary = asdict(total) | {"months": months}
    return summary, by_cause, by_employee, by_team


def satisfaction_by_resolver(figures: QuerySet[CaseFigures]) -> tuple[dict[str, Any], list[Resolver]]:
    # Named apart from the columns they read (an aggregate may not share a field's name).
    aggregates = {
        "n_resolved": Count("pk"),
        "n_surveyed": Count("pk", filter=Q(surveyed=True)),
        "n_answered": Count("pk", filter=Q(answered=True)),
        "n_satisfied": Count("pk", filter=Q(answered=True, satisfaction__gte=SATISFIED_FROM)),
    }
    resolved = figures.filter(is_resolved=True)
    rows: list[Mapping[str, Any]] = list(
        resolved.values("resolver", "resolver__first_name", "resolver__last_name", "resolver__username")
        .annotate(**aggregates)
        .order_by()
    )
    resolvers = [
        Resolver(
            r["resolver"],
            (f"{r['resolver__first_name']} {r['resolver__last_name']}".strip() or r["resolver__username"])
            if r["resolver"]
            else "(nobody)",
            r["n_resolved"],
            r["n_surveyed"],
            r["n_answered"],
            r["n_satisfied"],
            _share(r["n_satisfied"], r["n_answered"]),
            _share(r["n_answered"], r["n_surveyed"]),
        )
        for r in rows
    ]
    resolvers.sort(key=lambda row: row.name.lower())
    total = {k: sum(getattr(r, k) for r in resolvers) for k in ("resolved", "surveyed", "answered", "satisfied")}
    total["satisfied_share"] = _share(total["satisfied"], total["answered"])
    total["response_rate"] = _share(total["answered"], total["surveyed"])
    return total, resolvers


def kpis_compute(figures: QuerySet[CaseFigures], *, months: int, repeat_days: int = REPEAT_CONTACT_DAYS) -> Kpis:
    response, overall = response_by_channel(figures)
    q = figure_q
    counts = figures.aggregate(
        cases=Count("pk"),
        resolved=Count("pk", filter=q("resolved")),
        ever_resolved=Count("pk", filter=q("ever_resolved")),
        reopen_events=Coalesce(Sum("reopens_within_30_days", filter=q("ever_resolved")), 0),
        reopened=Count("pk", filter=q("reopened_30")),
        customers=Count("customer", filter=q("ever_resolved"), distinct=True),
        customers_reopened=Count("customer", filter=q("reopened_30"), distinct=True),
        one_touch=Count("pk", filter=q("one_touch")),
        no_repeat=Count("pk", filter=q("no_repeat", repeat_days)),
        n_answered=Count("pk", filter=q("answered")),
        confirmed=Count("pk", filter=q("confirmed")),
        within_authority=Count("pk", filter=q("within_authority")),
    )
    resolution_points = percentiles(figures.filter(is_resolved=True), "resolution_seconds").get(None, {})
    resolved = counts["resolved"]
    satisfaction_total, resolvers = satisfaction_by_resolver(figures)
    money_total, by_cause, by_employee, by_team = compensation(figures, months)
    return Kpis(
        cases=counts["cases"],
        currency=settings.DEFAULT_CURRENCY,
        repeat_days=repeat_days,
        response=response,
        response_overall=overall,
        resolution={
            "resolved": resolved,
            "median_seconds": resolution_points.get(0.5),
            "p90_seconds": resolution_points.get(0.9),
        },
        reopen={
            "resolved_cases": counts["ever_resolved"],
            "reopen_events": counts["reopen_events"],
            "reopened_cases": counts["reopened"],
            "customers": counts["customers"],
            "customers_reopened": counts["customers_reopened"],
            "events_per_resolved_case": _share(counts["reopen_events"], counts["ever_resolved"]),
            "cases_rate": _share(counts["reopened"], counts["ever_resolved"]),
            "customers_rate": _share(counts["customers_reopened"], counts["customers"]),
        },
        first_contact={
            "resolved": resolved,
            "one_touch": counts["one_touch"],
            "one_touch_rate": _share(counts["one_touch"], resolved),
            "no_repeat": counts["no_repeat"],
            "no_repeat_rate": _share(counts["no_repeat"], resolved),
            "answered": counts["n_answered"],
            "confirmed": counts["confirmed"],
            "confirmed_rate": _share(counts["confirmed"], counts["n_answered"]),
            "goal": FCR_GOAL,
            "industry_average": FCR_INDUSTRY_AVERAGE,
            "world_class": FCR_WORLD_CLASS,
        },
        authority={
            "resolved": resolved,
            "within_authority": counts["within_authority"],
            "rate": _share(counts["within_authority"], resolved),
        },
        satisfaction=satisfaction_total,
        resolvers=resolvers,
        compensation=money_total,
        by_cause=by_cause,
        by_employee=by_employee,
        by_team=by_team,
    )
