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
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    EmailField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SlugField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
    URLField,
)

M = TypeVar("M", bound=Model)

# Django's own fields store None as NULL, and these store a `str`, `bool` or `int` as it is:
# `get_db_prep_save` returns such a value unchanged, after a dozen calls.
_AS_IS: dict[type[Any], tuple[type[Any], ...]] = {
    str: (CharField, TextField, EmailField, SlugField, URLField),
    bool: (BooleanField,),
    int: (
        IntegerField,
        BigIntegerField,
        SmallIntegerField,
        PositiveIntegerField,
        PositiveSmallIntegerField,
        PositiveBigIntegerField,
        AutoField,
        BigAutoField,
        SmallAutoField,
    ),
}


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: list[Field[Any, Any]]
    # Per field, the Python types whose values go to the database unchanged (empty: always
    # converted); None goes unchanged for Django's own fields.
    as_is: list[frozenset[type[Any]]]


_statements: dict[tuple[type[Model], str, int, bool], _Insert] = {}


def _as_is(field: Field[Any, Any]) -> frozenset[type[Any]]:
    if type(field) is ForeignKey:
        return _as_is(field.target_field)  # the key is stored as the field it points to
    if not type(field).__module__.startswith("django.db.models."):
        return frozenset()
    return frozenset({type(None)} | {kind for kind, classes in _AS_IS.items() if type(field) in classes})


def _statement(model: type[Model], alias: str, count: int, *, unless_taken: bool = False) -> _Insert:
    key = (model, alias, count, unless_taken)
    found = _statements.get(key)
    if found is None:
        meta = model._meta
        connection = connections[alias]
        quote = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field and not f.generated]
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        found = _Insert(
            # Names from the model's own metadata; every value is a parameter.
            sql=f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row] * count)}{' ON CONFLICT DO NOTHING' if unless_taken else ''} "
            f"RETURNING {quote(str(meta.pk.column))}",
            fields=fields,
            as_is=[_as_is(f) for f in fields],
        )
        _statements[key] = found
    return found


def _values(obj: Model, insert: _Insert, connection: BaseDatabaseWrapper) -> list[Any]:
    values = []
    for field, as_is in zip(insert.fields, insert.as_is, strict=True):
        value = field.pre_save(obj, True)
        values.append(value if type(value) in as_is else field.get_db_prep_save(value, connection))
    return values


def rows_insert(objs: Sequence[M], *, using: str = "default") -> Sequence[M]:
    """Insert new objects of one model in one statement; set their primary keys and return them."""
    if not objs:
        return objs
    connection = connections[using]
    insert = _statement(type(objs[0]), using, len(objs))
    params = [value for obj in objs for value in _values(obj, insert, connection)]
    with connection.cursor() as cursor:
        cursor.execute(insert.sql, params)
        keys = cursor.fetchall()
    # Rows come back in the order they were listed (SQLite and PostgreSQL alike; bulk_create
    # relies on the same).
    for obj, (pk,) in zip(objs, keys, strict=True):
        _saved(obj, pk, using)
    return objs


def _saved(obj: Model, pk: Any, using: str) -> None:
    """What `save()` leaves on a new object: its key, and its state as stored in `using`."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using


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
    insert = _statement(type(obj), using, 1, unless_taken=True)
    with connection.cursor() as cursor:
        cursor.execute(insert.sql, _values(obj, insert, connection))
        row = cursor.fetchone()
    if row is None:
        return False
    _saved(obj, row[0], using)
    return True
