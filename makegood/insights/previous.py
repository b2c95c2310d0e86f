"""Each case's link to the same customer's previous resolved (and reopened) case, for counting
distinct customers without `COUNT(DISTINCT customer)`.

`CaseFigures.previous_resolved_at` is, on a case resolved at least once, the receipt time of the
customer's previous such case in the order (receipt time, case id); `previous_reopened_at` the
same for cases reopened within 30 days. Over the cases received in [start, end) of every team,
a customer's first such case is the one whose previous case was received before `start` (or
that has none), so

    distinct customers = such cases in the period - those whose previous case is at or after start

The second count reads one index (`figures_previous_resolved_idx`) and no customer ids. With a
filter (a team, a channel, ...) the previous case may lie outside it: those count distinct
customers as before (`kpis._counts`).

`figures_refresh` calls `previous_refresh` after it has written the cases' figures, with the
customers of the cases it recomputed (every customer on a full refresh): a case's columns depend
on the customer's earlier cases, so each customer's cases are walked in order, whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Value

from makegood.insights.models import CaseFigures

# Customers per read: their every case comes back in one ordered query.
CUSTOMERS = 20_000
WRITE_BATCH = 2000


def _rows() -> QuerySet[Any, Any]:
    return CaseFigures.objects.order_by("customer", "received_at", "case").values_list(
        "case",
        "customer",
        "received_at",
        "first_resolved_at",
        "reopens_within_30_days",
        "previous_resolved_at",
        "previous_reopened_at",
    )


def _batches(customer_ids: Iterable[int] | None) -> Iterator[QuerySet[Any, Any]]:
    if customer_ids is None:
        bounds = CaseFigures.objects.aggregate(low=Min("customer"), high=Max("customer"))
        if bounds["low"] is None:
            return
        for low in range(bounds["low"], bounds["high"] + 1, CUSTOMERS):
            yield _rows().filter(customer_id__gte=low, customer_id__lt=low + CUSTOMERS)
        return
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), CUSTOMERS):
        yield _rows().filter(customer_id__in=ids[start : start + CUSTOMERS])


def previous_changes(rows: Iterable[tuple[Any, ...]]) -> list[tuple[int, datetime | None, datetime | None]]:
    """(case, previous resolved, previous reopened) where they differ from what is stored, for
    rows ordered by customer, receipt time and case, each customer's cases complete."""
    changed = []
    customer = None
    last_resolved: datetime | None = None
    last_reopened: datetime | None = None
    for case_id, customer_id, received_at, first_resolved_at, reopens, old_resolved, old_reopened in rows:
        if customer_id != customer:
            customer, last_resolved, last_reopened = customer_id, None, None
        resolved = last_resolved if first_resolved_at is not None else None
        reopened = last_reopened if reopens else None
        if resolved != old_resolved or reopened != old_reopened:
            changed.append((case_id, resolved, reopened))
        if first_resolved_at is not None:
            last_resolved = received_at
        if reopens:
            last_reopened = received_at
    return changed


def previous_refresh(customer_ids: Iterable[int] | None = None) -> int:
    """Recompute both columns on every case of these customers (of every customer: None); returns
    how many cases changed."""
    adapt = connection.ops.adapt_datetimefield_value
    written = 0
    for rows in _batches(customer_ids):
        with transaction.atomic():
            changed = previous_changes(rows)  # read whole before writing the same table
            with connection.cursor() as cursor:
                for start in range(0, len(changed), WRITE_BATCH):
                    _write(cursor, [(adapt(r), adapt(o), pk) for pk, r, o in changed[start : start + WRITE_BATCH]])
        written += len(changed)
    return written


def _write(cursor: Any, rows: list[tuple[Any, Any, int]]) -> None:
    """(previous resolved, previous reopened, case) rows into CaseFigures. PostgreSQL: one UPDATE
    joined to the rows as VALUES (executemany sends one statement a row: minutes for a full
    refresh); SQLite runs in the process, where executemany costs nothing more."""
    table = connection.ops.quote_name(CaseFigures._meta.db_table)
    # Built from the model's own names and placeholders, never from input.
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s::timestamptz, %s::timestamptz, %s::bigint)"] * len(rows))
        cursor.execute(
            f"UPDATE {table} AS f SET previous_resolved_at = v.resolved, previous_reopened_at = v.reopened "  # noqa: S608
            f"FROM (VALUES {values}) AS v (resolved, reopened, case_id) WHERE f.case_id = v.case_id",
            [value for row in rows for value in row],
        )
        return
    sql = f"UPDATE {table} SET previous_resolved_at = %s, previous_reopened_at = %s WHERE case_id = %s"  # noqa: S608
    cursor.executemany(sql, rows)


def repeat_cases(figures: QuerySet[CaseFigures], since: datetime) -> QuerySet[Any, Any]:
    """One row: how many of `figures` (every case received since `since`) repeat a customer's
    resolved case of the period, and a reopened one; read from `figures_previous_resolved_idx`."""
    return (
        figures.filter(previous_resolved_at__gte=since)
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("*"), n_reopened=Count("previous_reopened_at", filter=Q(previous_reopened_at__gte=since)))
        .values_list("n", "n_reopened")
        .order_by()
    )
