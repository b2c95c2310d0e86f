"""The dashboard, the drill-down to the cases behind every figure, and a CSV of every table."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from makegood.accounts.requests import staff_user
from makegood.insights.charts import ShareBar, share_bars_svg
from makegood.insights.figures import FIGURES, REPEAT_CONTACT_DAYS, figure_q
from makegood.insights.kpis import Kpis, kpis_for
from makegood.insights.scope import Filters, InsightsFilterForm, figures_for, filters_from, scope_for
from makegood.insights.tables import TABLES, table_rows

DRILL_PAGE_SIZE = 100


def drill_url(filters: Filters, figure: str, **extra: str) -> str:
    params = {"figure": figure, **filters.query(), **{k: v for k, v in extra.items() if v}}
    return f"{reverse('insights_cases')}?{urlencode(params)}"


def _bad_filters(request: HttpRequest, form: InsightsFilterForm | None, exc: ValidationError) -> HttpResponse:
    return render(request, "insights/bad_filters.html", {"errors": exc.messages}, status=400)


def _context(request: HttpRequest) -> tuple[Any, InsightsFilterForm, Filters, Kpis]:
    user = staff_user(request)
    scope = scope_for(user)
    form, filters = filters_from(request.GET, scope)
    return scope, form, filters, kpis_for(scope, filters)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        scope, form, filters, kpis = _context(request)
    except ValidationError as exc:
        return _bad_filters(request, None, exc)
    fcr = kpis.first_contact

    def link(figure: str, **extra: str) -> str:
        return drill_url(filters, figure, **extra)

    fcr_chart = share_bars_svg(
        [
            ShareBar("One-touch", fcr["one_touch_rate"], f" of {fcr['resolved']}", link("one_touch")),
            ShareBar(
                f"No repeat contact in {kpis.repeat_days} days",
                fcr["no_repeat_rate"],
                f" of {fcr['resolved']}",
                link("no_repeat"),
            ),
            ShareBar("Customer-confirmed", fcr["confirmed_rate"], f" of {fcr['answered']} answered", link("confirmed")),
        ],
        title="First-contact resolution, three ways",
        desc="Three horizontal bars from 0 to 100%; shaded: the industry average (about 70%) and world class "
        "(80% and above); the dashed line is the goal of 95% resolved without a hand-off.",
        goal=fcr["goal"],
        goal_label="goal 95%",
        bands=[(0.65, 0.75, "industry average ~70%"), (0.80, 1.0, "world class 80%+")],
    )
    response_chart = share_bars_svg(
        [
            ShareBar(r.label, r.share_within_target, f" of {r.decided}", link("within_target", channel=r.channel))
            for r in kpis.response
        ],
        title="First response within the target, per channel",
        desc="One horizontal bar per channel: the share of first responses within the channel's target.",
    )
    context = {
        "scope": scope,
        "form": form,
        "filters": filters,
        "query": urlencode(filters.query()),
        "k": kpis,
        "fcr_chart": fcr_chart,
        "response_chart": response_chart,
        "links": {name: link(name) for name in FIGURES},
        "tables": TABLES,
    }
    return render(request, "insights/dashboard.html", context)


def _drill(request: HttpRequest) -> tuple[str, Any, Filters, Any]:
    user = staff_user(request)
    scope = scope_for(user)
    _form, filters = filters_from(request.GET, scope)
    figure = request.GET.get("figure") or "all"
    if figure not in FIGURES:
        raise ValidationError({"figure": [f"Unknown figure {figure!r}."]})
    try:
        repeat_days = int(request.GET.get("repeat_days") or REPEAT_CONTACT_DAYS)
    except ValueError:
        raise ValidationError({"repeat_days": ["A whole number of days."]}) from None
    figures = figures_for(scope, filters).filter(figure_q(figure, repeat_days))
    resolver = request.GET.get("resolver", "")
    if resolver:
        if not resolver.isdigit():
            raise ValidationError({"resolver": ["An employee's number."]})
        figures = figures.filter(resolver_id=int(resolver))
    cases = figures.select_related("case", "team", "resolver").order_by("-received_at", "-pk")
    return figure, scope, filters, cases


@require_GET
def drill_down(request: HttpRequest) -> HttpResponse:
    try:
        figure, scope, filters, cases = _drill(request)
    except ValidationError as exc:
        return _bad_filters(request, None, exc)
    page = Paginator(cases, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "figure": figure,
        "figure_label": FIGURES[figure][0],
        "scope": scope,
        "filters": filters,
        "page": page,
        "query": params.urlencode(),
        "back": f"{reverse('insights')}?{urlencode(filters.query())}",
    }
    return render(request, "insights/cases.html", context)


def _csv(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@require_GET
def drill_down_csv(request: HttpRequest) -> HttpResponse:
    try:
        figure, _scope, _filters, cases = _drill(request)
    except ValidationError as exc:
        return _bad_filters(request, None, exc)
    return _csv(
        f"insights-{figure}.csv",
        [
            "reference",
            "received_at",
            "channel",
            "team",
            "resolver",
            "first_response_seconds",
            "resolved",
            "satisfaction",
            "compensation_cost",
        ],
        (
            [
                f.case.reference,
                f.received_at.isoformat(),
                f.channel,
                f.team.name if f.team else "",
                (f.resolver.get_full_name() or f.resolver.get_username()) if f.resolver else "",
                "" if f.first_response_seconds is None else round(f.first_response_seconds),
                "yes" if f.is_resolved else "no",
                "" if f.satisfaction is None else f.satisfaction,
                f.compensation_cost,
            ]
            for f in cases.iterator(chunk_size=2000)
        ),
    )


@require_GET
def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        return HttpResponse("No such table.", status=404, content_type="text/plain")
    try:
        _scope, _form, _filters, kpis = _context(request)
    except ValidationError as exc:
        return _bad_filters(request, None, exc)
    header, rows = table_rows(kpis, table)
    return _csv(f"insights-{table}.csv", header, rows)
