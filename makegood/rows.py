"""Inserting new rows with a statement built once per model, for the intake's write transaction.

On SQLite writers take turns on one lock, so intake throughput is one over the time its write
transaction lasts. Inside it, the ORM spent more CPU building each INSERT (about 0.2 ms a row)
than the database spent running it. `rows_insert` builds the statement once per model and only
converts the values on each call.

Like `bulk_create`, it sends no `pre_save`/`post_save` signals and calls no `save()` override:
use it only for models whose saving does nothing else (the case, its timeline lines, the audit
entry, the idempotency key, a new customer, an outbox message). Field defaults and `pre_save`
(`auto_now_add`) still apply, and the new primary keys are set on the objects.

`row_insert_unless_taken` is for a row that a unique constraint may refuse (a customer another
intake created meanwhile, a message enqueued before): `ON CONFLICT DO NOTHING` (SQLite and
PostgreSQL alike) instead of a savepoint around an INSERT that may fail. A savepoint costs two
statements more and, on PostgreSQL, a failed INSERT would abort the whole transaction without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)

_statements: dict[tuple[type[Model], str, int, bool], tuple[str, list[Field[Any, Any]]]] = {}


def _statement(
    model: type[Model], alias: str, count: int, *, unless_taken: bool = False
) -> tuple[str, list[Field[Any, Any]]]:
    key = (model, alias, count, unless_taken)
    found = _statements.get(key)
    if found is None:
        meta = model._meta
        connection = connections[alias]
        quote = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field and not f.generated]
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        found = (
            # Names from the model's own metadata; every value is a parameter.
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row] * count)}{' ON CONFLICT DO NOTHING' if unless_taken else ''} "
            f"RETURNING {quote(str(meta.pk.column))}",
            fields,
        )
        _statements[key] = found
    return found


def rows_insert(objs: Sequence[M], *, using: str = "default") -> Sequence[M]:
    """Insert new objects of one model in one statement; set their primary keys and return them."""
    if not objs:
        return objs
    connection = connections[using]
    sql, fields = _statement(type(objs[0]), using, len(objs))
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    # Rows come back in the order they were listed (SQLite and PostgreSQL alike; bulk_create
    # relies on the same).
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return objs


def row_insert(obj: M, *, using: str = "default") -> M:
    """Insert one new object (see the module's docstring for what it skips); returns it with its key."""
    rows_insert([obj], using=using)
    return obj


def row_insert_unless_taken(obj: M, *, using: str = "default") -> bool:
    """Insert one new object unless a unique constraint already holds its values; True if inserted.

    Refused, nothing is written, the object keeps no key, and the transaction goes on: the caller
    reads the row that holds the values.
    """
    connection = connections[using]
    sql, fields = _statement(type(obj), using, 1, unless_taken=True)
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    return True
