"""The KPIs, each a database aggregate: sums over the daily rollup (`DailyTotals`, and
`DailyFigures` for the figures per employee: `scope.Rollup`) where the filters allow, else counts
over `CaseFigures`; percentiles and distinct customers always over `CaseFigures`, through its
indexes.

Every figure has a name in `figures.FIGURES`: the drill-down page and its CSV list the cases
behind it, so a number on the page is always one click from its cases. Shares are None when
there is nothing to divide by (an empty tile says "no data", not 0%).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from makegood.cases.models import Channel
from makegood.insights.costs import CostRow, compensation
from makegood.insights.figures import (
    FCR_GOAL,
    FCR_INDUSTRY_AVERAGE,
    FCR_WORLD_CLASS,
    REPEAT_CONTACT_DAYS,
    SATISFIED_FROM,
    figure_q,
)
from makegood.insights.models import CaseFigures
from makegood.insights.previous import repeat_cases
from makegood.insights.ranks import indexed_first, percentiles
from makegood.insights.scope import Filters, Rollup, Scope, daily_for, figures_for


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


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


def _channel_counts(figures: QuerySet[CaseFigures], daily: Rollup | None) -> dict[str, Any]:
    rows: QuerySet[Any, Any]
    if daily is not None:
        rows = daily.totals.values("channel").annotate(
            n_responded=Sum("responded"), n_decided=Sum("decided"), n_within=Sum("within_target")
        )
    else:
        rows = figures.values("channel").annotate(
            n_responded=Count("pk", filter=Q(first_response_at__isnull=False)),
            n_decided=Count("pk", filter=Q(within_target__isnull=False)),
            n_within=Count("pk", filter=Q(within_target=True)),
        )
    return {r["channel"]: r for r in rows.order_by()}


@dataclass
class Bands:
    """How many values fall in each band (`ranks.BANDS`), from the rollup: first responses per
    channel and of every channel, times to resolution."""

    responses: dict[str, dict[int, int]] = field(default_factory=dict)
    all_responses: dict[int, int] = field(default_factory=dict)
    resolutions: dict[int, int] = field(default_factory=dict)


def _bands(daily: Rollup) -> Bands:
    bands = Bands()
    rows = daily.values.values("channel", "band").annotate(
        n_responses=Sum("responses"), n_resolutions=Sum("resolutions")
    )
    for r in rows.order_by():
        band = r["band"]
        if r["n_responses"]:
            bands.responses.setdefault(r["channel"], {})[band] = r["n_responses"]
            bands.all_responses[band] = bands.all_responses.get(band, 0) + r["n_responses"]
        if r["n_resolutions"]:
            bands.resolutions[band] = bands.resolutions.get(band, 0) + r["n_resolutions"]
    return bands


def response_by_channel(
    figures: QuerySet[CaseFigures], daily: Rollup | None = None, bands: Bands | None = None
) -> tuple[list[ChannelResponse], ChannelResponse]:
    counts = _channel_counts(figures, daily)
    # A first response always has its delay: the cases responded to are the values to rank.
    responded = {channel: r["n_responded"] for channel, r in counts.items()}
    column = "first_response_seconds"
    if bands is not None:
        by_channel = percentiles(figures, column, by="channel", bands=bands.responses)
        overall_points = percentiles(figures, column, bands={None: bands.all_responses})
    else:
        by_channel = percentiles(figures, column, by="channel", counts=responded)
        overall_points = percentiles(figures, column, counts={None: sum(responded.values())})
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
                r["n_responded"],
                r["n_decided"],
                r["n_within"],
                _share(r["n_within"], r["n_decided"]),
                points.get(0.5),
                points.get(0.9),
            )
        )
    total_responded, decided, within = (
        sum(getattr(row, f) for row in rows) for f in ("responded", "decided", "within_target")
    )
    points = overall_points.get(None, {})
    overall = ChannelResponse(
        "",
        "Every channel",
        total_responded,
        decided,
        within,
        _share(within, decided),
        points.get(0.5),
        points.get(0.9),
    )
    return rows, overall


def satisfaction_by_resolver(
    figures: QuerySet[CaseFigures], daily: Rollup | None = None
) -> tuple[dict[str, Any], list[Resolver]]:
    # Named apart from the columns they read (an aggregate may not share a field's name).
    if daily is not None:
        resolved: QuerySet[Any] = daily.days.filter(is_resolved=True)
        aggregates: dict[str, Any] = {
            "n_resolved": Sum("resolved"),
            "n_surveyed": Sum("surveyed"),
            "n_answered": Sum("answered"),
            "n_satisfied": Sum("satisfied"),
        }
    else:
        resolved = figures.filter(is_resolved=True)
        aggregates = {
            "n_resolved": Count("pk"),
            "n_surveyed": Count("pk", filter=Q(surveyed=True)),
            "n_answered": Count("pk", filter=Q(answered=True)),
            "n_satisfied": Count("pk", filter=Q(answered=True, satisfaction__gte=SATISFIED_FROM)),
        }
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


def _counts(
    figures: QuerySet[CaseFigures], daily: Rollup | None, repeat_days: int, since: datetime | None
) -> dict[str, int]:
    """The dashboard's counts: summed over the rollup's days, or counted case by case."""
    q = figure_q
    if daily is not None:
        columns = (
            "cases",
            "resolved",
            "resolution_timed",
            "ever_resolved",
            "reopen_events",
            "reopened",
            "one_touch",
            "no_repeat",
            "answered",
            "confirmed",
            "within_authority",
        )
        sums = daily.totals.aggregate(**{f"n_{c}": Sum(c) for c in columns})
        counts = {c: sums[f"n_{c}"] or 0 for c in columns}
        if since is not None:
            # Every case of the period: its customers are its cases less their repeats (previous.py).
            row = indexed_first(repeat_cases(figures, since), "figures_previous_resolved_idx")
            repeats, repeats_reopened = row if row else (0, 0)
            counts["customers"] = counts["ever_resolved"] - repeats
            counts["customers_reopened"] = counts["reopened"] - repeats_reopened
            return counts
        # Distinct customers do not add up over days: counted over the cases, from an index alone.
        distinct = (
            figures.annotate(one=Value(1))
            .values("one")
            .annotate(
                n_customers=Count("customer", filter=q("ever_resolved"), distinct=True),
                n_reopened=Count("customer", filter=q("reopened_30"), distinct=True),
            )
            .values_list("n_customers", "n_reopened")
            .order_by()
        )
        row = indexed_first(distinct, "figures_received_customer_idx")
        counts["customers"], counts["customers_reopened"] = row if row else (0, 0)
        return counts
    return figures.aggregate(
        cases=Count("pk"),
        resolved=Count("pk", filter=q("resolved")),
        resolution_timed=Count("pk", filter=Q(resolution_seconds__isnull=False)),
        ever_resolved=Count("pk", filter=q("ever_resolved")),
        reopen_events=Coalesce(Sum("reopens_within_30_days", filter=q("ever_resolved")), 0),
        reopened=Count("pk", filter=q("reopened_30")),
        customers=Count("customer", filter=q("ever_resolved"), distinct=True),
        customers_reopened=Count("customer", filter=q("reopened_30"), distinct=True),
        one_touch=Count("pk", filter=q("one_touch")),
        no_repeat=Count("pk", filter=q("no_repeat", repeat_days)),
        answered=Count("pk", filter=q("answered")),
        confirmed=Count("pk", filter=q("confirmed")),
        within_authority=Count("pk", filter=q("within_authority")),
    )


def kpis_for(scope: Scope, filters: Filters, *, repeat_days: int = REPEAT_CONTACT_DAYS) -> Kpis:
    """The dashboard's figures for a person's scope and filters, from the rollup where it serves."""
    # The rollup counts "no repeat contact" over the default days only; other days count the cases.
    daily = daily_for(scope, filters) if repeat_days == REPEAT_CONTACT_DAYS else None
    whole = scope.level == "all" and not (filters.team or filters.location or filters.channel or filters.cause)
    return kpis_compute(
        figures_for(scope, filters),
        months=filters.period.months,
        repeat_days=repeat_days,
        daily=daily,
        period_start=filters.period.start if whole else None,
    )


def kpis_compute(
    figures: QuerySet[CaseFigures],
    *,
    months: int,
    repeat_days: int = REPEAT_CONTACT_DAYS,
    daily: Rollup | None = None,
    period_start: datetime | None = None,
) -> Kpis:
    """Every figure of the dashboard over `figures`; `daily`, the same cases' rollup rows, if it serves;
    `period_start` when `figures` are every case received since then (no filter, every team)."""
    bands = _bands(daily) if daily is not None else None
    response, overall = response_by_channel(figures, daily, bands)
    counts = _counts(figures, daily, repeat_days, period_start)
    resolution_points = percentiles(
        figures,
        "resolution_seconds",
        counts={None: counts["resolution_timed"]},
        bands=None if bands is None else {None: bands.resolutions},
    ).get(None, {})
    resolved = counts["resolved"]
    satisfaction_total, resolvers = satisfaction_by_resolver(figures, daily)
    money_total, by_cause, by_employee, by_team = compensation(figures, months, daily)
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
            "answered": counts["answered"],
            "confirmed": counts["confirmed"],
            "confirmed_rate": _share(counts["confirmed"], counts["answered"]),
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
