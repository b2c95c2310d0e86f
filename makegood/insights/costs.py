"""Compensation: cost per case, per cause, per employee and per team against their caps and
budgets, and the customer-value-to-cost ratio of what was granted (the dashboard's money tables)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Max, Q, QuerySet, Sum

from makegood import money
from makegood.accounts.models import Role, Team
from makegood.causes.models import Cause
from makegood.insights.models import CaseFigures
from makegood.insights.scope import Rollup
from makegood.remedies.authority import Policy, policy_merge
from makegood.remedies.models import EmployeeAuthority, RoleAuthority

ZERO = Decimal(0)
ROLE_PRECEDENCE = (Role.ADMINISTRATOR, Role.PROCESS_OWNER, Role.MANAGER, Role.FRONTLINE)


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


def _name(user: User | None) -> str:
    if user is None:
        return "(nobody)"
    return user.get_full_name() or user.get_username()


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


DAILY_COST_AGGREGATES = {
    "cases": Sum("cases"),
    "compensated": Sum("compensated"),
    "cost": Sum("cost"),
    "value": Sum("value"),
    "largest": Max("largest"),
}


def _cost_groups(
    figures: QuerySet[CaseFigures], daily: Rollup | None, by: str | None, *, resolved: bool = False
) -> dict[Any, Mapping[str, Any]]:
    """Compensation per value of `by` (None: one total row), from the rollup or the cases."""
    if daily is not None:
        # Per resolver from the rows that have one; every other sum from the totals.
        rows = daily.days.filter(is_resolved=True) if resolved else daily.totals
        named = {f"m_{k}": v for k, v in DAILY_COST_AGGREGATES.items()}
    else:
        rows = figures.filter(is_resolved=True) if resolved else figures  # type: ignore[assignment]
        named = {f"m_{k}": v for k, v in COST_AGGREGATES.items()}
    if by is None:
        total = rows.aggregate(**named)
        return {
            None: {k[2:]: v for k, v in total.items()} | {k: total[f"m_{k}"] or 0 for k in ("cases", "compensated")}
        }
    return {
        r[by]: {k[2:]: v for k, v in r.items() if k.startswith("m_")}
        for r in rows.values(by).annotate(**named).order_by()
    }


def compensation(
    figures: QuerySet[CaseFigures], months: int, daily: Rollup | None = None
) -> tuple[dict[str, Any], list[CostRow], list[CostRow], list[CostRow]]:
    totals = _cost_groups(figures, daily, None)[None]
    total = _cost_row("", "Every case", totals)
    causes = _cost_groups(figures, daily, "cause")
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
    employees = _cost_groups(figures, daily, "resolver", resolved=True)
    teams_rows = _cost_groups(figures, daily, "team")
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
