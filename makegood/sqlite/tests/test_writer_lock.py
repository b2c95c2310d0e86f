"""Writers on a SQLite file queue on the backend's file lock instead of SQLite's busy handler."""

import threading
import time

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import load_backend

HOLD_SECONDS = 0.6
BUSY_TIMEOUT = 0.1  # far shorter than the hold: only the file lock can make the second writer wait


def _connect(engine: str, path, alias: str):
    settings = {
        **connections["default"].settings_dict,
        "ENGINE": engine,
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": BUSY_TIMEOUT},
        "TEST": {},
    }
    connections[alias] = load_backend(engine).DatabaseWrapper(settings, alias)
    return connections[alias]


def _two_writers(engine: str, path) -> tuple[list[str], list[BaseException]]:
    setup = _connect(engine, path, "writer_setup")
    with setup.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE IF NOT EXISTS log (who TEXT, at REAL)")
    setup.close()
    order: list[str] = []
    errors: list[BaseException] = []
    first_holds = threading.Event()

    def writer(name: str, hold: float) -> None:
        alias = f"writer_{name}"
        conn = _connect(engine, path, alias)
        try:
            with transaction.atomic(using=alias), conn.cursor() as cursor:
                cursor.execute("INSERT INTO log VALUES (%s, %s)", [name, time.monotonic()])
                order.append(f"{name} writes")
                if hold:
                    first_holds.set()
                    time.sleep(hold)
            order.append(f"{name} committed")
        except BaseException as exc:
            errors.append(exc)
            first_holds.set()
        finally:
            conn.close()

    first = threading.Thread(target=writer, args=("first", HOLD_SECONDS))
    first.start()
    assert first_holds.wait(10)
    second = threading.Thread(target=writer, args=("second", 0))
    second.start()
    first.join(10)
    second.join(10)
    return order, errors


@pytest.mark.django_db
def test_a_second_writer_waits_for_the_first_however_long_it_holds_the_lock(tmp_path):
    path = tmp_path / "db.sqlite3"
    order, errors = _two_writers("makegood.sqlite", path)
    assert errors == []
    assert sorted(order) == sorted(["first writes", "first committed", "second writes", "second committed"])
    # "first committed" is noted after the lock is released, so the list's order may race; the
    # rows' own times do not: the second insert ran only once the first transaction had ended.
    reader = _connect("django.db.backends.sqlite3", path, "writer_reader")
    with reader.cursor() as cursor:
        cursor.execute("SELECT who, at FROM log")
        written = dict(cursor.fetchall())
    reader.close()
    assert written["second"] - written["first"] >= HOLD_SECONDS * 0.95


@pytest.mark.django_db
def test_without_the_file_lock_the_same_wait_fails_on_the_busy_timeout(tmp_path):
    """The control: proves the test above measures the file lock, not SQLite's own waiting."""
    _order, errors = _two_writers("django.db.backends.sqlite3", tmp_path / "db.sqlite3")
    assert len(errors) == 1 and isinstance(errors[0], OperationalError) and "locked" in str(errors[0])


@pytest.mark.django_db
def test_a_rolled_back_transaction_releases_the_lock(tmp_path):
    conn = _connect("makegood.sqlite", tmp_path / "db.sqlite3", "writer_rollback")
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(ZeroDivisionError), transaction.atomic(using="writer_rollback"):
        conn.cursor().execute("INSERT INTO t VALUES (1)")
        1 / 0  # noqa: B018
    assert not conn._lock_held
    other = _connect("makegood.sqlite", tmp_path / "db.sqlite3", "writer_after")
    with transaction.atomic(using="writer_after"):
        other.cursor().execute("INSERT INTO t VALUES (2)")
    with other.cursor() as cursor:
        cursor.execute("SELECT x FROM t")
        assert cursor.fetchall() == [(2,)]
    conn.close()
    other.close()
