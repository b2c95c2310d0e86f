"""Reports on remedies, per employee and per team, for a date range. Sums and counts run in the
database (grouped queries); Python only merges a handful of grouped rows and names them.

Each function returns a list of flat dicts with stable keys (ready for a table or a CSV file):
money as Decimal with its `currency`, counts as int, rates as Decimal between 0 and 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from makegood import money as amounts
from makegood.accounts.models import Role, Team
from makegood.accounts.reports import Period, period
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Status
from makegood.remedies.authority import ZERO, Policy, policy_merge
from makegood.remedies.models import (
    PAYMENT_OPEN,
    EmployeeAuthority,
    Escalation,
    Grant,
    Payment,
    PaymentStatus,
    Purpose,
    RoleAuthority,
)
from makegood.remedies.rules import default_currency

By = Literal["employee", "team"]


def _grants(p: Period, team: Team | None) -> QuerySet[Grant]:
    grants = Grant.objects.filter(granted_at__gte=p.start, granted_at__lt=p.end)
    return grants.filter(case__team=team) if team is not None else grants


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001")) if whole else None


def _people(ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    users = User.objects.filter(pk__in=wanted).select_related("staff__team").prefetch_related("groups")
    return {u.pk: u for u in users}


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _team_name(user: User | None) -> str:
    staff = getattr(user, "staff", None)
    return staff.team.name if staff is not None and staff.team is not None else ""


ROLE_PRECEDENCE = (Role.ADMINISTRATOR, Role.PROCESS_OWNER, Role.MANAGER, Role.FRONTLINE)


def _policies(users: Iterable[User]) -> dict[int, Policy]:
    """Each person's effective policy: two queries (groups come prefetched), then a merge per person."""
    users = list(users)
    by_role = {r.role: r for r in RoleAuthority.objects.all()}
    overrides = {o.user_id: o for o in EmployeeAuthority.objects.filter(user__in=users)}
    result = {}
    for user in users:
        names = {g.name for g in user.groups.all()}
        role = next((r.value for r in ROLE_PRECEDENCE if r.value in names), "")
        result[user.pk] = policy_merge(by_role.get(role), overrides.get(user.pk), role=role)
    return result


def report_authority_usage(*, first_day: date, last_day: date, team: Team | None = None) -> list[dict[str, Any]]:
    """Per employee (whose authority paid): used, grants, busiest day and biggest case, against caps.

    `used` and the peaks are compensation, what the caps limit; `restitution` is what the employee
    put right outside them (its cost to us), in the ledger all the same.
    Rows for everyone on `team` (or every staff member with a role), with or without grants.
    """
    p = period(first_day, last_day)
    everything = Grant.objects.filter(granted_at__gte=p.start, granted_at__lt=p.end)
    grants = everything.filter(purpose=Purpose.COMPENSATION)
    restoring = Q(purpose=Purpose.RESTITUTION)
    totals = {
        row["charged_to"]: row
        for row in everything.values("charged_to").annotate(
            used=Sum("cost", filter=~restoring),
            restitution=Sum("cost", filter=restoring),
            grants=Count("pk"),
            authorized=Count("pk", filter=Q(authorized_by__isnull=False)),
        )
    }
    tz = timezone.get_current_timezone()
    per_day = (
        grants.filter(charged_to=OuterRef("charged_to"))
        .annotate(day=TruncDate("granted_at", tzinfo=tz))
        .values("day")
        .annotate(s=Sum("cost"))
        .order_by("-s")
        .values("s")[:1]
    )
    per_case = (
        grants.filter(charged_to=OuterRef("charged_to"))
        .values("case")
        .annotate(s=Sum("cost"))
        .order_by("-s")
        .values("s")[:1]
    )
    peaks = {
        row["charged_to"]: row
        for row in grants.values("charged_to")
        .distinct()
        .annotate(busiest_day=Subquery(per_day), biggest_case=Subquery(per_case))
        .values("charged_to", "busiest_day", "biggest_case")
    }
    staff = User.objects.filter(staff__isnull=False, groups__isnull=False).distinct()
    if team is not None:
        staff = staff.filter(staff__team=team)
    people = _people([*staff.values_list("pk", flat=True), *(totals if team is None else [])])
    policies = _policies(people.values())
    rows = []
    for user_id, user in sorted(people.items(), key=lambda item: (_team_name(item[1]), _name(item[1]))):
        policy = policies[user_id]
        used: dict[str, Any] = dict(totals.get(user_id) or {})
        peak: dict[str, Any] = dict(peaks.get(user_id) or {})
        budget = policy.budget_per_month * p.months
        amount_used = used.get("used") or ZERO
        rows.append(
            {
                "employee_id": user_id,
                "employee": _name(user),
                "team": _team_name(user),
                "role": policy.role,
                "currency": policy.currency,
                "used": amount_used,
                "restitution": used.get("restitution") or ZERO,
                "grants": used.get("grants", 0),
                "authorized_grants": used.get("authorized", 0),
                "budget_in_period": budget,
                "budget_used_share": (amount_used / budget).quantize(Decimal("0.001")) if budget else None,
                "busiest_day_used": peak.get("busiest_day") or ZERO,
                "cap_per_day": policy.cap_per_day,
                "biggest_case_used": peak.get("biggest_case") or ZERO,
                "cap_per_case": policy.cap_per_case,
            }
        )
    return rows


def report_grants_by_remedy_type(
    *, first_day: date, last_day: date, team: Team | None = None, by: By = "employee"
) -> list[dict[str, Any]]:
    """How many of each remedy, what they cost and were worth, per employee (who granted) or team;
    for remedies that pay money, how much of it was paid, is still pending and failed (`payments`)."""
    p = period(first_day, last_day)
    group = "granted_by" if by == "employee" else "case__team"
    rows = (
        _grants(p, team)
        .values(group, "remedy_type", "name", "kind", "purpose", "currency")
        .annotate(grants=Count("pk"), cost=Sum("cost"), value=Sum("value"), **_payment_sums("payment__"))
        .order_by(group, "-cost", "remedy_type")
    )
    people = _people(r[group] for r in rows) if by == "employee" else {}
    teams = dict(Team.objects.values_list("pk", "name")) if by == "team" else {}
    return [
        {
            "employee" if by == "employee" else "team": (
                _name(people.get(r[group])) if by == "employee" else teams.get(r[group], "")
            ),
            "remedy_type_id": r["remedy_type"],
            "remedy": r["name"],
            "kind": r["kind"],
            "purpose": r["purpose"],
            "currency": r["currency"],
            "grants": r["grants"],
            "cost": r["cost"],
            "value": r["value"],
            "paid": r["paid"],
            "pending": r["pending"],
            "failed": r["failed"],
        }
        for r in rows
    ]


def _payment_sums(path: str) -> dict[str, Sum]:
    """The amounts paid (confirmed), pending (to pay or sent) and failed, as aggregates over
    payments reached by `path` ("" from Payment, "payment__" from Grant). None where none pays."""
    status = f"{path}status"
    return {
        "paid": Sum(f"{path}amount", filter=Q(**{status: PaymentStatus.CONFIRMED})),
        "pending": Sum(f"{path}amount", filter=Q(**{f"{status}__in": PAYMENT_OPEN})),
        "failed": Sum(f"{path}amount", filter=Q(**{status: PaymentStatus.FAILED})),
    }


def report_payment_totals(*, first_day: date, last_day: date, team: Team | None = None) -> list[dict[str, Any]]:
    """Per currency, the money promised by remedies granted in the period: paid (confirmed), pending
    (not confirmed yet) and failed, apart. One grouped query."""
    p = period(first_day, last_day)
    payments = Payment.objects.filter(grant__granted_at__gte=p.start, grant__granted_at__lt=p.end)
    if team is not None:
        payments = payments.filter(case__team=team)
    sums = _payment_sums("")
    rows = (
        payments.values("currency")
        .annotate(payments=Count("pk"), paid=sums["paid"], pending=sums["pending"], failed=sums["failed"])
        .order_by("currency")
    )
    return [
        {
            "currency": r["currency"],
            "payments": r["payments"],
            "paid": r["paid"] or ZERO,
            "pending": r["pending"] or ZERO,
            "failed": r["failed"] or ZERO,
        }
        for r in rows
    ]


def _recovered(p: Period, team: Team | None) -> QuerySet[Case]:
    """Cases resolved in the period (and not reopened since)."""
    cases = Case.objects.filter(
        status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__gte=p.start, resolved_at__lt=p.end
    )
    return cases.filter(team=team) if team is not None else cases


def report_cost_per_recovered_case(
    *, first_day: date, last_day: date, team: Team | None = None, by: By = "employee"
) -> list[dict[str, Any]]:
    """Remedy cost per case recovered (resolved in the period), per owner at resolution or team.

    The cost is every grant on those cases, whenever granted.
    """
    p = period(first_day, last_day)
    group = "owner" if by == "employee" else "team"
    recovered = _recovered(p, team)
    counts = {r[group]: r["n"] for r in recovered.values(group).annotate(n=Count("pk")).order_by()}
    costs = {
        (r[f"case__{group}"], r["currency"]): r
        for r in Grant.objects.filter(case__in=recovered)
        .values(f"case__{group}", "currency")
        .annotate(cost=Sum("cost"), with_grants=Count("case", distinct=True))
        .order_by()
    }
    names: dict[Any, str]
    if by == "employee":
        names = {pk: _name(u) for pk, u in _people(counts).items()}
    else:
        names = dict(Team.objects.values_list("pk", "name"))
    rows = []
    for key, n in sorted(counts.items(), key=lambda item: names.get(item[0], "")):
        currencies = [c for (k, c) in costs if k == key] or [None]
        for currency in currencies:
            cost_row = costs.get((key, currency), {}) if currency else {}
            total = cost_row.get("cost") or ZERO
            # No grant on these cases: nothing spent, in the business's currency.
            currency = currency or default_currency()
            rows.append(
                {
                    "employee" if by == "employee" else "team": names.get(key, ""),
                    "recovered_cases": n,
                    "cases_with_remedies": cost_row.get("with_grants", 0),
                    "currency": currency,
                    "remedy_cost": total,
                    "cost_per_recovered_case": amounts.quantize(total / n, currency)
                    if amounts.is_currency(currency)
                    else total / n,
                }
            )
    return rows


def report_first_contact_resolution(
    *, first_day: date, last_day: date, team: Team | None = None, by: By = "employee"
) -> list[dict[str, Any]]:
    """Of the cases resolved in the period, the share resolved by their first owner without any
    escalation: per first owner (the employee who took the case first) or per team."""
    p = period(first_day, last_day)
    first_owner = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.OWNERSHIP_TAKEN)
        .order_by("at", "pk")
        .values("actor")[:1]
    )
    cases = _recovered(p, team).annotate(
        first_owner=Subquery(first_owner),
        escalated=Exists(Escalation.objects.filter(case=OuterRef("pk"))),
    )
    group = "first_owner" if by == "employee" else "team"
    grouped = (
        cases.values(group)
        .annotate(
            resolved=Count("pk"),
            first_contact=Count("pk", filter=Q(owner=F("first_owner"), escalated=False)),
            escalated_cases=Count("pk", filter=Q(escalated=True)),
            last=Max("resolved_at"),
        )
        .order_by()
    )
    names: dict[Any, str]
    if by == "employee":
        names = {pk: _name(u) for pk, u in _people(r[group] for r in grouped).items()}
    else:
        names = dict(Team.objects.values_list("pk", "name"))
    rows = [
        {
            "employee" if by == "employee" else "team": names.get(r[group], ""),
            "resolved": r["resolved"],
            "first_contact_resolved": r["first_contact"],
            "escalated": r["escalated_cases"],
            "first_contact_rate": _rate(r["first_contact"], r["resolved"]),
        }
        for r in grouped
    ]
    return sorted(rows, key=lambda row: str(next(iter(row.values()))))


def report_totals(*, first_day: date, last_day: date, team: Team | None = None) -> dict[str, Any]:
    """One line for the top of the report page: grants, cost (restitution and compensation apart) and
    the first-contact rate overall."""
    p = period(first_day, last_day)
    restoring = Q(purpose=Purpose.RESTITUTION)
    # Named apart from the `cost` column: an aggregate may not share a field's name it reads.
    money = _grants(p, team).aggregate(
        grants=Count("pk"),
        total=Sum("cost", default=ZERO),
        restoring=Sum("cost", filter=restoring, default=ZERO),
        compensating=Sum("cost", filter=~restoring, default=ZERO),
    )
    fcr = report_first_contact_resolution(first_day=first_day, last_day=last_day, team=team, by="team")
    resolved = sum(r["resolved"] for r in fcr)
    first_contact = sum(r["first_contact_resolved"] for r in fcr)
    return {
        "grants": money["grants"],
        "cost": money["total"],
        "restitution_cost": money["restoring"],
        "compensation_cost": money["compensating"],
        "resolved": resolved,
        "first_contact_resolved": first_contact,
        "first_contact_rate": _rate(first_contact, resolved),
    }
