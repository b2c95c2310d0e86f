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
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from makegood.insights.bulk import rows_write
from makegood.insights.figures import figure_q
from makegood.insights.models import CaseFigures, DailyFigures, DailyTotals

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


@transaction.atomic  # readers never see a day removed and not yet written; one commit, not one a row
def days_refresh(days: Iterable[date] | None = None) -> int:
    """Rewrite the rollup rows of `days` (every day when None) from CaseFigures, and their totals
    from those rows. Returns the `DailyFigures` rows written."""
    figures = CaseFigures.objects.all()
    rollup = DailyFigures.objects.all()
    totals = DailyTotals.objects.all()
    if days is not None:
        runs = _runs(days)
        if not runs:
            return 0
        cases_q, days_q = Q(), Q()
        for first, last in runs:
            cases_q |= Q(received_at__gte=_day_bounds(first)[0], received_at__lt=_day_bounds(last)[1])
            days_q |= Q(day__gte=first, day__lte=last)
        figures, rollup, totals = figures.filter(cases_q), rollup.filter(days_q), totals.filter(days_q)
    rollup.delete()
    totals.delete()
    grouped = (
        figures.annotate(local_day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("local_day", *KEYS)
        # Named apart from CaseFigures' own columns (an annotation may not share a field's name).
        .annotate(**{f"n_{name}": aggregate for name, aggregate in _aggregates().items()})
        .order_by()
    )
    written = rows_write(
        DailyFigures,
        ["day", *KEYS, *COLUMNS],
        (
            [r["local_day"], *(r[k] for k in KEYS), *(r[f"n_{c}"] for c in COLUMNS)]
            for r in grouped.iterator(chunk_size=5000)
        ),
    )
    summed = (
        rollup.values("day", *TOTALS_KEYS)
        .annotate(**{f"n_{c}": Max(c) if c == "largest" else Sum(c) for c in COLUMNS})
        .order_by()
    )
    rows_write(
        DailyTotals,
        ["day", *TOTALS_KEYS, *COLUMNS],
        ([r["day"], *(r[k] for k in TOTALS_KEYS), *(r[f"n_{c}"] for c in COLUMNS)] for r in summed.iterator(5000)),
    )
    return written
