"""Reading a value by its rank, or a first row, through a chosen index: the percentiles of the
dashboard (`kpis.py`) and its counts that an index alone can answer."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Count, F, QuerySet

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


def percentiles(
    figures: QuerySet[CaseFigures],
    column: str,
    *,
    by: str | None = None,
    points: Iterable[float] = (0.5, 0.9),
    counts: Mapping[Any, int] | None = None,
) -> dict[Any, dict[float, float]]:
    """Nearest-rank percentiles of `column` (its non-null values), per value of `by`: in the database.

    The count per group (one query, unless the rollup gave `counts`: it must be the number of
    non-null values), then for each wanted rank the value at that rank (`ORDER BY column OFFSET
    rank - 1`, or `DESC OFFSET n - rank` when the rank is nearer the end; one query each): the
    indexes on the column walk the values in order, so nothing is sorted and no row comes back but
    the answer.
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
            value = _value_at(_ranked(group, column, rank, n), column, by)
            if value is not None:
                for point in wanted:
                    result.setdefault(key, {})[point] = value
    return result
