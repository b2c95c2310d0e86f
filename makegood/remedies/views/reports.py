"""Remedy reports: authority used vs caps, grants by remedy type, cost per recovered case and
first-contact resolution, per employee and per team, for a date range; each table as CSV.

People who see every team's cases (process owners, administrators) may pick a team or see all;
a manager sees their own team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from makegood.accounts.models import Role, Team
from makegood.accounts.reports import ReportFilterForm
from makegood.accounts.requests import staff_user
from makegood.accounts.roles import report_scope
from makegood.money import money_format
from makegood.remedies.authority import ZERO
from makegood.remedies.presenters import rows_to_csv
from makegood.remedies.reports import (
    By,
    report_authority_usage,
    report_cost_per_recovered_case,
    report_first_contact_resolution,
    report_grants_by_remedy_type,
    report_payment_totals,
    report_totals,
)
from makegood.remedies.rules import default_currency

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, role, money, count, rate


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    note: str
    columns: tuple[Column, ...]
    rows: Callable[[date, date, Team | None, dict[str, Rows]], Rows]


def _authority(first: date, last: date, team: Team | None, memo: dict[str, Rows]) -> Rows:
    """Per employee; read once per page, since the per-team table sums the same rows."""
    if "authority" not in memo:
        memo["authority"] = report_authority_usage(first_day=first, last_day=last, team=team)
    return memo["authority"]


def _authority_by_team(first: date, last: date, team: Team | None, memo: dict[str, Rows]) -> Rows:
    """The per-employee authority rows summed per team (and currency)."""
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _authority(first, last, team, memo):
        key = (row["team"], row["currency"])
        total = totals.setdefault(
            key,
            {
                "team": row["team"],
                "currency": row["currency"],
                "people": 0,
                "used": ZERO,
                "restitution": ZERO,
                "grants": 0,
                "authorized_grants": 0,
                "budget_in_period": ZERO,
            },
        )
        total["people"] += 1
        total["used"] += row["used"]
        total["restitution"] += row["restitution"]
        total["grants"] += row["grants"]
        total["authorized_grants"] += row["authorized_grants"]
        total["budget_in_period"] += row["budget_in_period"]
    rows = sorted(totals.values(), key=lambda r: (r["team"], r["currency"]))
    for row in rows:
        budget = row["budget_in_period"]
        row["budget_used_share"] = (row["used"] / budget).quantize(Decimal("0.001")) if budget else None
    return rows


def _per_employee_and_team(
    name: str,
    title: str,
    note: str,
    columns: tuple[Column, ...],
    report: Callable[..., Rows],
    employee_label: str = "Employee",
) -> tuple[Table, Table]:
    """One report twice: per employee (`<name>_by_employee`) and per team (`<name>_by_team`)."""

    def rows(by: By) -> Callable[[date, date, Team | None, dict[str, Rows]], Rows]:
        return lambda first, last, team, memo: report(first_day=first, last_day=last, team=team, by=by)

    return (
        Table(
            f"{name}_by_employee",
            f"{title}, per employee",
            note,
            (Column("employee", employee_label), *columns),
            rows("employee"),
        ),
        Table(f"{name}_by_team", f"{title}, per team", "", (Column("team", "Team"), *columns), rows("team")),
    )


M, N, R = "money", "count", "rate"
TABLES: tuple[Table, ...] = (
    Table(
        "authority",
        "Authority used vs caps, per employee",
        "What each person's own authority paid (approved grants count against the approving manager), "
        "against their budget for the period, their busiest day against the daily cap and their "
        "biggest case against the per-case cap.",
        (
            Column("employee", "Employee"),
            Column("team", "Team"),
            Column("role", "Role", "role"),
            Column("grants", "Grants", N),
            Column("authorized_grants", "Of which approved", N),
            Column("used", "Used", M),
            Column("restitution", "Put right, outside the caps", M),
            Column("budget_in_period", "Budget for the period", M),
            Column("budget_used_share", "Budget used", R),
            Column("busiest_day_used", "Busiest day", M),
            Column("cap_per_day", "Cap per day", M),
            Column("biggest_case_used", "Biggest case", M),
            Column("cap_per_case", "Cap per case", M),
        ),
        _authority,
    ),
    Table(
        "authority_by_team",
        "Authority used vs budgets, per team",
        "The same, summed over each team's people.",
        (
            Column("team", "Team"),
            Column("people", "People", N),
            Column("grants", "Grants", N),
            Column("authorized_grants", "Of which approved", N),
            Column("used", "Used", M),
            Column("restitution", "Put right, outside the caps", M),
            Column("budget_in_period", "Budget for the period", M),
            Column("budget_used_share", "Budget used", R),
        ),
        _authority_by_team,
    ),
    *_per_employee_and_team(
        "grants",
        "Grants by remedy type",
        "Who granted what: how many, what it cost us and what it was worth to customers.",
        (
            Column("remedy", "Remedy"),
            Column("purpose", "Restitution or compensation"),
            Column("grants", "Grants", N),
            Column("cost", "Cost", M),
            Column("value", "Value to customers", M),
            Column("paid", "Paid", M),
            Column("pending", "Payment pending", M),
            Column("failed", "Payment failed", M),
        ),
        report_grants_by_remedy_type,
    ),
    *_per_employee_and_team(
        "cost",
        "Cost per recovered case",
        "Cases resolved in the period, by their owner at resolution; the cost is every remedy on them.",
        (
            Column("recovered_cases", "Recovered cases", N),
            Column("cases_with_remedies", "With remedies", N),
            Column("remedy_cost", "Remedy cost", M),
            Column("cost_per_recovered_case", "Per recovered case", M),
        ),
        report_cost_per_recovered_case,
    ),
    *_per_employee_and_team(
        "fcr",
        "First-contact resolution",
        "Of the cases resolved in the period, those resolved by their first owner without an escalation. "
        "The goal: 95%.",
        (
            Column("resolved", "Resolved", N),
            Column("first_contact_resolved", "At first contact", N),
            Column("escalated", "Escalated", N),
            Column("first_contact_rate", "Rate", R),
        ),
        report_first_contact_resolution,
        employee_label="First owner",
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}


def _show(value: Any, kind: str, currency: str) -> str:
    if value is None or value == "":
        return "-"
    if kind == "role":
        return str(Role(value).label) if value in Role.values else str(value)
    if kind == M:
        return money_format(Decimal(value), currency or default_currency())
    if kind == R:
        return f"{Decimal(value) * 100:.1f}%"
    return str(value)


def _display(table: Table, rows: Rows) -> list[list[dict[str, str]]]:
    return [
        [{"text": _show(row.get(c.key), c.kind, str(row.get("currency") or "")), "kind": c.kind} for c in table.columns]
        for row in rows
    ]


@permission_required("remedies.view_remedy_reports", raise_exception=True)
@require_GET
def remedy_reports(request: HttpRequest) -> HttpResponse:
    teams, team, locked, visible = report_scope(staff_user(request), request.GET.get("team", ""))
    form = ReportFilterForm(request.GET, teams=[] if locked else teams)
    if form.is_valid():
        first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    else:
        first, last = ReportFilterForm.default_range()
    if request.GET.get("format") == "csv":
        table = TABLES_BY_NAME.get(request.GET.get("table", ""))
        if table is None:
            raise Http404("No such table.")
        if not form.is_valid():
            problems = " ".join(str(m) for messages in form.errors.values() for m in messages)
            return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
        rows = table.rows(first, last, team, {}) if visible else []
        columns = [c.key for c in table.columns]
        if any("currency" in row for row in rows) or any(c.kind == M for c in table.columns):
            columns.append("currency")
        money = [c.key for c in table.columns if c.kind == M]
        response = HttpResponse(rows_to_csv(rows, columns, money=money), content_type="text/csv; charset=utf-8")
        scope = f"-{team.slug}" if team is not None else ""
        response["Content-Disposition"] = f'attachment; filename="remedies-{table.name}{scope}-{first}-{last}.csv"'
        return response
    tables = []
    totals: dict[str, Any] | None = None
    costs: dict[str, Decimal] = {}
    payments: list[dict[str, str]] = []
    if visible and form.is_valid():
        totals = report_totals(first_day=first, last_day=last, team=team)
        payments = [
            {key: _show(row[key], M, row["currency"]) for key in ("paid", "pending", "failed")}
            for row in report_payment_totals(first_day=first, last_day=last, team=team)
        ]
        memo: dict[str, Rows] = {}
        for table in TABLES:
            rows = table.rows(first, last, team, memo)
            tables.append({"table": table, "rows": _display(table, rows), "count": len(rows)})
            if table.name == "grants_by_team":
                # The cost per currency, from rows already read: amounts in two currencies never add up.
                for row in rows:
                    costs[row["currency"]] = costs.get(row["currency"], ZERO) + row["cost"]
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    query["first_day"], query["last_day"] = str(first), str(last)
    if team is not None and not locked:
        query["team"] = team.slug
    context = {
        "form": form,
        "first": first,
        "last": last,
        "team": team,
        "locked": locked,
        "visible": visible,
        "tables": tables,
        "totals": totals,
        "payment_totals": payments,
        "totals_cost": " + ".join(_show(cost, M, currency) for currency, cost in sorted(costs.items()))
        or _show(ZERO, M, default_currency())
        if totals
        else "",
        "totals_rate": _show(totals["first_contact_rate"], R, "") if totals else "",
        "query": query.urlencode(),
    }
    return render(request, "remedies/reports.html", context, status=200 if form.is_valid() else 400)
