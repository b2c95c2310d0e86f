"""The KPIs, each a database aggregate: sums over the daily rollup (`DailyFigures`) where the
filters allow, else counts over `CaseFigures`; percentiles and distinct customers always over
`CaseFigures`, through its indexes.

Every figure has a name in `figures.FIGURES`: the drill-down page and its CSV list the cases
behind it, so a number on the page is always one click from its cases. Shares are None when
there is nothing to divide by (an empty tile says "no data", not 0%).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
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
from makegood.insights.models import CaseFigures, DailyFigures
from makegood.insights.scope import Filters, Scope, daily_for, figures_for


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# The index that walks each ranked column in order (with the receipt time, for the period).
ORDERED_INDEXES = {
    ("first_response_seconds", "channel"): "figures_channel_response_idx",
    ("first_response_seconds", None): "figures_response_idx",
    ("resolution_seconds", None): "figures_resolution_idx",
}


def _value_at(rows: QuerySet[Any, Any], column: str, by: str | None) -> Any:
    """The one value of `rows` (an ordered slice). SQLite's planner would rather take the period's
    range on `received_at` and sort every row of it (EXPLAIN QUERY PLAN: "USE TEMP B-TREE FOR ORDER
    BY", seconds for a year of a million cases); told to walk the ordered index, it stops at the rank."""
    index = ORDERED_INDEXES.get((column, by))
    if index is None:
        return rows.first()
    row = _indexed(rows, index)
    return row[0] if row else None


def _indexed(rows: QuerySet[Any, Any], index: str) -> tuple[Any, ...] | None:
    """The first row of `rows`, read through `index` on SQLite (`INDEXED BY`; PostgreSQL's planner
    finds it itself)."""
    if connection.vendor != "sqlite":
        # Not `first()`: on a grouped query its ordering by id would split the groups.
        first = next(iter(rows[:1]), None)
        return None if first is None else (first if isinstance(first, tuple) else (first,))
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(CaseFigures._meta.db_table)
    # Built from this module's names and the ORM's own SQL, never from input.
    sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row else None


def percentiles(
    figures: QuerySet[CaseFigures],
    column: str,
    *,
    by: str | None = None,
    points: Iterable[float] = (0.5, 0.9),
    counts: Mapping[Any, int] | None = None,
) -> dict[Any, dict[float, float]]:
    """Nearest-rank percentiles of `column` (its non-null values), per value of `by`: in the database.

    The count per group (one query, unless the rollup gave `counts`), then for each wanted rank the
    value at that rank (`ORDER BY column OFFSET rank - 1`, one query each): the indexes on the
    column walk the values in order, so nothing is sorted and no row comes back but the answer.
    """
    present = figures.filter(**{f"{column}__isnull": False})
    if counts is None:
        counts = (
            {r[by]: r["n"] for r in present.values(by).annotate(n=Count("pk")).order_by()}
            if by
            else {None: present.count()}
        )
    result: dict[Any, dict[float, float]] = {}
    for key, n in counts.items():
        if not n:
            continue
        ranks: dict[int, list[float]] = {}
        for p in points:
            ranks.setdefault(max(1, math.ceil(p * n)), []).append(p)
        group = present.filter(**{by: key}) if by else present
        for rank, wanted in ranks.items():
            value = _value_at(group.order_by(column).values_list(column, flat=True)[rank - 1 : rank], column, by)
            if value is not None:
                for point in wanted:
                    result.setdefault(key, {})[point] = value
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


def _channel_counts(figures: QuerySet[CaseFigures], daily: QuerySet[DailyFigures] | None) -> dict[str, Any]:
    rows: QuerySet[Any, Any]
    if daily is not None:
        rows = daily.values("channel").annotate(
            n_responded=Sum("responded"), n_decided=Sum("decided"), n_within=Sum("within_target")
        )
    else:
        rows = figures.values("channel").annotate(
            n_responded=Count("pk", filter=Q(first_response_at__isnull=False)),
            n_decided=Count("pk", filter=Q(within_target__isnull=False)),
            n_within=Count("pk", filter=Q(within_target=True)),
        )
    return {r["channel"]: r for r in rows.order_by()}


def response_by_channel(
    figures: QuerySet[CaseFigures], daily: QuerySet[DailyFigures] | None = None
) -> tuple[list[ChannelResponse], ChannelResponse]:
    counts = _channel_counts(figures, daily)
    # A first response always has its delay: the cases responded to are the values to rank.
    responded = {channel: r["n_responded"] for channel, r in counts.items()}
    by_channel = percentiles(figures, "first_response_seconds", by="channel", counts=responded)
    overall_points = percentiles(figures, "first_response_seconds", counts={None: sum(responded.values())})
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
    figures: QuerySet[CaseFigures], daily: QuerySet[DailyFigures] | None = None
) -> tuple[dict[str, Any], list[Resolver]]:
    # Named apart from the columns they read (an aggregate may not share a field's name).
    if daily is not None:
        resolved: QuerySet[Any] = daily.filter(is_resolved=True)
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


def _counts(figures: QuerySet[CaseFigures], daily: QuerySet[DailyFigures] | None, repeat_days: int) -> dict[str, int]:
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
        sums = daily.aggregate(**{f"n_{c}": Sum(c) for c in columns})
        counts = {c: sums[f"n_{c}"] or 0 for c in columns}
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
        row = _indexed(distinct, "figures_received_customer_idx")
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
    return kpis_compute(figures_for(scope, filters), months=filters.period.months, repeat_days=repeat_days, daily=daily)


def kpis_compute(
    figures: QuerySet[CaseFigures],
    *,
    months: int,
    repeat_days: int = REPEAT_CONTACT_DAYS,
    daily: QuerySet[DailyFigures] | None = None,
) -> Kpis:
    """Every figure of the dashboard over `figures`; `daily`, the same cases' rollup rows, if it serves."""
    response, overall = response_by_channel(figures, daily)
    counts = _counts(figures, daily, repeat_days)
    resolution_points = percentiles(figures, "resolution_seconds", counts={None: counts["resolution_timed"]}).get(
        None, {}
    )
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
