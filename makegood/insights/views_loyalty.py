"""Do recovered customers come back (the loyalty page), and what is it worth (the money page)."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from makegood.accounts.requests import staff_user
from makegood.insights.charts import Curve, MonthBar, money_months_svg, step_curves_svg
from makegood.insights.loyalty import GROUPS, HORIZONS, loyalty_for, never_customers
from makegood.insights.money import money_compute
from makegood.insights.scope import LOYALTY_DAYS, Filters, Scope, filters_from, scope_for
from makegood.insights.survival import survival_at
from makegood.insights.views import drill_url

CURVE_DAYS = (30, 60, 90, 180)
CUSTOMERS_PAGE_SIZE = 100


def _setup(request: HttpRequest):  # type: ignore[no-untyped-def]
    scope = scope_for(staff_user(request))
    form, filters = filters_from(request.GET, scope, default_days=LOYALTY_DAYS)
    return scope, form, filters


@require_GET
def loyalty_page(request: HttpRequest) -> HttpResponse:
    try:
        scope, form, filters = _setup(request)
    except ValidationError as exc:
        return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)
    loyalty = loyalty_for(scope, filters)
    chart = step_curves_svg(
        [Curve(GROUPS[g], curve) for g, curve in loyalty.curves.items() if curve],
        title="Time to the next purchase (Kaplan-Meier)",
        desc="One step line per group: the share of customers who have not yet bought again, by days since the "
        "complaint (or the matched date); lower means they came back sooner.",
        x_label="days since the complaint",
        y_label="not yet bought again",
    )
    survival_rows = [
        (GROUPS[g], [survival_at(curve, d) if curve else None for d in CURVE_DAYS])
        for g, curve in loyalty.curves.items()
    ]
    group_rows = [
        (
            label,
            drill_url(filters, f"group_{g}") if g != "never" else _never_link(scope, filters),
            loyalty.groups[g],
            [r for d in HORIZONS for r in loyalty.table if r.group == g and r.days == d],
        )
        for g, label in GROUPS.items()
    ]
    context = {
        "scope": scope,
        "form": form,
        "filters": filters,
        "query": urlencode(filters.query()),
        "loyalty": loyalty,
        "horizons": HORIZONS,
        "chart": chart,
        "curve_days": CURVE_DAYS,
        "survival_rows": survival_rows,
        "group_rows": group_rows,
    }
    return render(request, "insights/loyalty.html", context)


def _never_link(scope: Scope, filters: Filters) -> str:
    if scope.level == "own":
        return ""  # customers outside one's own cases: managers and above
    return f"{reverse('insights_customers')}?{urlencode(filters.query())}"


def _never_setup(request: HttpRequest) -> tuple[Scope, Filters, QuerySet[Any]]:
    scope, _form, filters = _setup(request)
    if scope.level == "own":
        raise PermissionDenied("Customers who never complained are listed for managers and above.")
    return scope, filters, never_customers(filters).order_by("start", "pk")


@require_GET
def never_complained(request: HttpRequest) -> HttpResponse:
    """The customers behind the "never complained" group: who they are, when they first bought."""
    try:
        scope, filters, customers = _never_setup(request)
    except ValidationError as exc:
        return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)
    page = Paginator(customers, CUSTOMERS_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "scope": scope,
        "filters": filters,
        "page": page,
        "query": params.urlencode(),
        "back": f"{reverse('insights_loyalty')}?{urlencode(filters.query())}",
    }
    return render(request, "insights/customers.html", context)


@require_GET
def never_complained_csv(request: HttpRequest) -> HttpResponse:
    try:
        _scope, _filters, customers = _never_setup(request)
    except ValidationError as exc:
        return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)
    response, writer = _csv("insights-never-complained.csv")
    writer.writerow(["customer", "email", "phone", "first_purchase_in_period", "purchases_in_period"])
    for c in customers.iterator(chunk_size=2000):
        writer.writerow([c.name, c.email, c.phone, c.start.isoformat(), c.bought])
    return response


@require_GET
def money_page(request: HttpRequest) -> HttpResponse:
    try:
        scope, form, filters = _setup(request)
    except ValidationError as exc:
        return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)
    loyalty = loyalty_for(scope, filters)
    money = money_compute(scope, filters, loyalty)
    chart = money_months_svg(
        [MonthBar(m.month, float(m.compensation), m.retained, m.low, m.high) for m in money.months],
        title="Compensation spent and revenue retained, per month",
        desc="Per month two bars: compensation spent on the month's complaints, and the revenue the month's "
        "recoveries are estimated to have retained, with its 95% bootstrap interval as a line.",
        unit=money.currency,
    )
    context = {
        "scope": scope,
        "form": form,
        "filters": filters,
        "query": urlencode(filters.query()),
        "money": money,
        "chart": chart,
        "compensated_link": drill_url(filters, "compensated"),
    }
    return render(request, "insights/money.html", context)


def _csv(filename: str) -> tuple[HttpResponse, csv.Writer]:  # type: ignore[name-defined]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, csv.writer(response)


@require_GET
def loyalty_csv(request: HttpRequest) -> HttpResponse:
    try:
        scope, _form, filters = _setup(request)
    except ValidationError as exc:
        return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)
    loyalty = loyalty_for(scope, filters)
    response, writer = _csv("insights-loyalty.csv")
    writer.writerow(
        [
            "group",
            "days",
            "customers",
            "observable",
            "bought_again",
            "share",
            "share_low",
            "share_high",
            "mean_spend",
            "spend_low",
            "spend_high",
        ]
    )
    for r in loyalty.table:
        writer.writerow(
            [
                r.label,
                r.days,
                r.customers,
                r.observable,
                r.repurchased,
                r.share,
                r.low,
                r.high,
                r.mean_spend,
                r.spend_low,
                r.spend_high,
            ]
        )
    return response


@require_GET
def money_csv(request: HttpRequest) -> HttpResponse:
    try:
        scope, _form, filters = _setup(request)
    except ValidationError as exc:
        return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)
    money = money_compute(scope, filters, loyalty_for(scope, filters))
    response, writer = _csv("insights-money.csv")
    writer.writerow(
        ["month", "compensation", "recovered_customers", "retained", "retained_low", "retained_high", "currency"]
    )
    for m in money.months:
        writer.writerow([m.month, m.compensation, m.recovered_customers, m.retained, m.low, m.high, money.currency])
    return response
