"""The daily rollup: `DailyFigures`, one row per day and per team, channel, cause, resolver and
whether resolved, and `DailyTotals`, the same summed over the resolver and whether resolved.

`rollup.figures_refresh` calls `days_refresh` with the days (local dates of receipt) of the cases
it recomputed, so the worker rewrites only those days; a full refresh rewrites every day. Each
count is the same condition the dashboard would count over `CaseFigures` (`kpis.figure_q`), so
summing a period's days gives exactly the figure counted case by case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from makegood.insights.bulk import rows_write
from makegood.insights.figures import figure_q
from makegood.insights.models import CaseFigures, DailyFigures, DailyTotals, DailyValues
from makegood.insights.ranks import band_of

KEYS = ("team", "location", "channel", "cause", "resolver", "is_resolved")
TOTALS_KEYS = ("team", "location", "channel", "cause")


def _aggregates() -> dict[str, Any]:
    """DailyFigures' column -> the aggregate over CaseFigures that fills it."""
    q = figure_q
    return {
        "cases": Count("pk"),
        "responded": Count("pk", filter=q("responded")),
        "decided": Count("pk", filter=Q(within_target__isnull=False)),
        "within_target": Count("pk", filter=q("within_target")),
        "resolved": Count("pk", filter=q("resolved")),
        "resolution_timed": Count("pk", filter=Q(resolution_seconds__isnull=False)),
        "ever_resolved": Count("pk", filter=q("ever_resolved")),
        "reopen_events": Coalesce(Sum("reopens_within_30_days", filter=q("ever_resolved")), 0),
        "reopened": Count("pk", filter=q("reopened_30")),
        "one_touch": Count("pk", filter=q("one_touch")),
        "no_repeat": Count("pk", filter=q("no_repeat")),
        "answered": Count("pk", filter=q("answered")),
        "confirmed": Count("pk", filter=q("confirmed")),
        "within_authority": Count("pk", filter=q("within_authority")),
        "surveyed": Count("pk", filter=Q(is_resolved=True, surveyed=True)),
        "satisfied": Count("pk", filter=Q(is_resolved=True) & q("satisfied")),
        "compensated": Count("pk", filter=q("compensated")),
        # Every group has a case, and the amounts are never null: these sums are never null either.
        "cost": Sum("compensation_cost"),
        "value": Sum("compensation_value"),
        "largest": Max("compensation_cost"),
    }


COLUMNS = tuple(_aggregates())


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: one range condition each."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def local_days(moments: Iterable[datetime]) -> set[date]:
    return {timezone.localtime(m).date() for m in moments}


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _summed(rows: QuerySet[Any, Any], *keys: str) -> QuerySet[Any, Any]:
    """Rollup rows added up per `keys` (the largest grant: the largest of the rows')."""
    return rows.values(*keys).annotate(**{f"n_{c}": Max(c) if c == "largest" else Sum(c) for c in COLUMNS}).order_by()


@transaction.atomic  # readers never see a day removed and not yet written; one commit, not one a row
def days_refresh(days: Iterable[date] | None = None) -> int:
    """Rewrite the rollup rows of `days` (every day when None) from CaseFigures, the month rows of
    their months from the day rows, and the totals of both from those. Returns the day rows written."""
    figures = CaseFigures.objects.all()
    rollup = DailyFigures.objects.all()
    totals = DailyTotals.objects.all()
    # The rows rewritten: those days' and their months' (every row on a full refresh).
    rewritten, months_q = Q(), Q()
    if days is not None:
        runs = _runs(days)
        if not runs:
            return 0
        cases_q, days_q = Q(), Q()
        for first, last in runs:
            cases_q |= Q(received_at__gte=_day_bounds(first)[0], received_at__lt=_day_bounds(last)[1])
            days_q |= Q(day__gte=first, day__lte=last)
            months_q |= Q(day__gte=first.replace(day=1), day__lt=next_month(last))
        figures = figures.filter(cases_q)
        rewritten = (days_q & Q(is_month=False)) | (months_q & Q(is_month=True))
    totals.filter(rewritten).delete()
    rollup.filter(rewritten).delete()
    DailyValues.objects.filter(rewritten).delete()
    _values_write(figures, months_q)
    grouped = (
        figures.annotate(local_day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("local_day", *KEYS)
        # Named apart from CaseFigures' own columns (an annotation may not share a field's name).
        .annotate(**{f"n_{name}": aggregate for name, aggregate in _aggregates().items()})
        .order_by()
    )
    written = rows_write(
        DailyFigures,
        ["day", "is_month", *KEYS, *COLUMNS],
        (
            [r["local_day"], False, *(r[k] for k in KEYS), *(r[f"n_{c}"] for c in COLUMNS)]
            for r in grouped.iterator(chunk_size=5000)
        ),
    )
    # A whole month's rows: its days' rows added up (a year's sums read a dozen of these).
    month_days = rollup.filter(months_q, is_month=False).annotate(month=TruncMonth("day"))
    rows_write(
        DailyFigures,
        ["day", "is_month", *KEYS, *COLUMNS],
        (
            [r["month"], True, *(r[k] for k in KEYS), *(r[f"n_{c}"] for c in COLUMNS)]
            for r in _summed(month_days, "month", *KEYS).iterator(5000)
        ),
    )
    # The same rows without the resolver and whether resolved.
    rows_write(
        DailyTotals,
        ["day", "is_month", *TOTALS_KEYS, *COLUMNS],
        (
            [r["day"], r["is_month"], *(r[k] for k in TOTALS_KEYS), *(r[f"n_{c}"] for c in COLUMNS)]
            for r in _summed(rollup.filter(rewritten), "day", "is_month", *TOTALS_KEYS).iterator(5000)
        ),
    )
    return written


def _counted(n: int, responses: bool) -> tuple[int, int]:
    return (n, 0) if responses else (0, n)


def _values_write(figures: QuerySet[CaseFigures], months_q: Q) -> None:
    """`DailyValues` of those cases' days (a row per band of each measure), then of their months."""
    tz = timezone.get_current_timezone()
    columns = ["day", "is_month", *TOTALS_KEYS, "band", "responses", "resolutions"]
    for column, responses in (("first_response_seconds", True), ("resolution_seconds", False)):
        banded = (
            figures.filter(**{f"{column}__isnull": False})
            .annotate(local_day=TruncDate("received_at", tzinfo=tz), value_band=band_of(column))
            .values("local_day", *TOTALS_KEYS, "value_band")
            .annotate(n=Count("pk"))
            .order_by()
        )
        rows_write(
            DailyValues,
            columns,
            (
                [r["local_day"], False, *(r[k] for k in TOTALS_KEYS), r["value_band"], *_counted(r["n"], responses)]
                for r in banded.iterator(5000)
            ),
        )
    months = (
        DailyValues.objects.filter(months_q, is_month=False)
        .annotate(month=TruncMonth("day"))
        .values("month", *TOTALS_KEYS, "band")
        .annotate(n_responses=Sum("responses"), n_resolutions=Sum("resolutions"))
        .order_by()
    )
    rows_write(
        DailyValues,
        columns,
        (
            [r["month"], True, *(r[k] for k in TOTALS_KEYS), r["band"], r["n_responses"], r["n_resolutions"]]
            for r in months.iterator(5000)
        ),
    )
