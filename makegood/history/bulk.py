"""Inserting many rows at once, a few times faster than `bulk_create`.

`bulk_create` compiles every value of every row through each field's full preparation chain; at
thousands of rows a second that, not the database, is the cost. Here each field's conversion is
chosen once per model (datetimes and JSON need the backend's adapter; everything else goes as is),
rows are plain dicts over the fields' defaults, and one `executemany` sends them. Primary keys,
where the caller needs them, are reserved first inside the transaction: on SQLite the writer holds
the database's one write lock, so the next free ids are its own; on PostgreSQL they come from the
column's sequence. Needs a transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction

_Converter = Callable[[Any], Any]


def _converter(field: models.Field[Any, Any]) -> _Converter | None:
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":
        # A batch repeats the same moments (a case's received_at is also its event's and its
        # cause's), and the backend's conversion to UTC text is the costliest step of a row.
        return functools.lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        encoder = getattr(field, "encoder", None)
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    if kind == "DecimalField":
        return lambda value: None if value is None else ops.adapt_decimalfield_value(value)
    return None


def _plan(model: type[models.Model], *, with_pk: bool) -> list[tuple[str, str, Any, _Converter | None]]:
    """(attname, column, default, converter) of every concrete field, the auto primary key only if asked.
    A field the rows leave out takes its default (a NOT NULL one without a default fails loudly)."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.primary_key and not with_pk:
            continue
        plan.append((field.attname, field.column or field.attname, field.get_default(), _converter(field)))
    return plan


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, unused by anyone else until this transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_ids needs a transaction.")
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column or "id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {quoted}")  # noqa: S608
        highest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id, even of a deleted row: start above its counter too.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
        return list(range(highest + 1, highest + 1 + count))


def bulk_insert(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, pks: Sequence[int] | None = None
) -> None:
    """Insert `rows` (attname -> value; unnamed fields take their defaults) in one statement per
    call. With `pks`, each row gets the matching reserved primary key."""
    if not rows:
        return
    plan = _plan(model, with_pk=pks is not None)
    pk_name = model._meta.pk.attname
    values = []
    for i, row in enumerate(rows):
        record = []
        for attname, _column, default, convert in plan:
            if pks is not None and attname == pk_name:
                value: Any = pks[i]
            else:
                value = row.get(attname, default)
            record.append(convert(value) if convert is not None and value is not None else value)
        values.append(record)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _attname, column, _default, _convert in plan)
    marks = ", ".join(["%s"] * len(plan))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
