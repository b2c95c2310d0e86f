"""Reading a value by its rank, or a first row, through a chosen index: the percentiles of the
dashboard (`kpis.py`) and its counts that an index alone can answer."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, PositiveSmallIntegerField, QuerySet, Value, When

from makegood.insights.models import CaseFigures

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
    row = indexed_first(rows, index)
    return row[0] if row else None


def indexed_first(rows: QuerySet[Any, Any], index: str) -> tuple[Any, ...] | None:
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


def _ranked(group: QuerySet[CaseFigures], column: str, rank: int, n: int) -> QuerySet[Any, Any]:
    """The value at `rank` (from 1, ascending) of `n` values, as a one-row slice walked from the
    nearer end of the index: the rank-th smallest is the (n - rank + 1)-th largest, ties and all, so
    a 90th percentile walks a tenth of the values instead of nine tenths."""
    if rank <= n - rank + 1:
        return group.order_by(column).values_list(column, flat=True)[rank - 1 : rank]
    return group.order_by(F(column).desc()).values_list(column, flat=True)[n - rank : n - rank + 1]


# The bands of values the rollup counts (`DailyValues`): band 0 is below BANDS[0] seconds, band i
# from BANDS[i - 1] up to BANDS[i], the last band BANDS[-1] and above. Each about a quarter wider
# than the one before, from a second to a year. The rollup stores band numbers: changing these
# needs a full refresh.
BANDS: tuple[int, ...] = tuple(sorted({round(1.25**i) for i in range(78)}))


def band_of(column: str) -> Case:
    """The band of `column`'s value, in the database (for a non-null value)."""
    return Case(
        *(When(**{f"{column}__lt": bound}, then=Value(i)) for i, bound in enumerate(BANDS)),
        default=Value(len(BANDS)),
        output_field=PositiveSmallIntegerField(),
    )


def _in_band(group: QuerySet[CaseFigures], column: str, band: int) -> QuerySet[CaseFigures]:
    if band > 0:
        group = group.filter(**{f"{column}__gte": BANDS[band - 1]})
    if band < len(BANDS):
        group = group.filter(**{f"{column}__lt": BANDS[band]})
    return group


def percentiles(
    figures: QuerySet[CaseFigures],
    column: str,
    *,
    by: str | None = None,
    points: Iterable[float] = (0.5, 0.9),
    counts: Mapping[Any, int] | None = None,
    bands: Mapping[Any, Mapping[int, int]] | None = None,
) -> dict[Any, dict[float, float]]:
    """Nearest-rank percentiles of `column` (its non-null values), per value of `by`: in the database.

    The count per group (one query, unless the rollup gave `counts`: it must be the number of
    non-null values), then for each wanted rank the value at that rank (`ORDER BY column OFFSET
    rank - 1`, or `DESC OFFSET n - rank` when the rank is nearer the end; one query each): the
    indexes on the column walk the values in order, so nothing is sorted and no row comes back but
    the answer. With `bands` (per group, how many values fall in each band: the rollup's), the
    rank's band is found by adding them up, and only that band's values are walked.
    """
    present = figures.filter(**{f"{column}__isnull": False})
    if bands is not None:
        return _banded(present, column, by, points, bands)
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
        group = present.filter(**{by: key}) if by else present
        for rank, wanted in _ranks(points, n).items():
            value = _value_at(_ranked(group, column, rank, n), column, by)
            if value is not None:
                for point in wanted:
                    result.setdefault(key, {})[point] = value
    return result


def _banded(
    present: QuerySet[CaseFigures],
    column: str,
    by: str | None,
    points: Iterable[float],
    bands: Mapping[Any, Mapping[int, int]],
) -> dict[Any, dict[float, float]]:
    result: dict[Any, dict[float, float]] = {}
    for key, counts in bands.items():
        n = sum(counts.values())
        if not n:
            continue
        group = present.filter(**{by: key}) if by else present
        for rank, wanted in _ranks(points, n).items():
            below = 0
            for band in sorted(counts):
                if rank <= below + counts[band]:
                    break
                below += counts[band]
            # The (rank - below)-th of the band's values, walked from the band's nearer end.
            ranked = _ranked(_in_band(group, column, band), column, rank - below, counts[band])
            value = _value_at(ranked, column, by)
            if value is None:
                # The cases changed since the rollup counted them (a refresh between its two
                # steps): the rank among every value, as without bands.
                value = _value_at(_ranked(group, column, rank, n), column, by)
            if value is not None:
                for point in wanted:
                    result.setdefault(key, {})[point] = value
    return result


def _ranks(points: Iterable[float], n: int) -> dict[int, list[float]]:
    """The nearest rank of each point among `n` values (points sharing a rank share its query)."""
    ranks: dict[int, list[float]] = {}
    for p in points:
        ranks.setdefault(max(1, math.ceil(p * n)), []).append(p)
    return ranks
