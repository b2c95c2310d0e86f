"""The background checkpointer copies the WAL into the database without a writer's help."""

import importlib.util
import sqlite3
import time
from pathlib import Path

from makegood.sqlite import checkpoints

ROWS = 120
ROW_BYTES = 4000


def _write_rows(path: Path) -> sqlite3.Connection:
    """Rows committed one by one by a writer that never checkpoints itself, left open.

    Open, because the last connection to a database checkpoints the WAL as it closes.
    """
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE IF NOT EXISTS t (payload BLOB)")
    for _ in range(ROWS):
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO t VALUES (randomblob(?))", [ROW_BYTES])
        writer.execute("COMMIT")
    return writer


def _database_file_holds_the_rows(path: Path, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if path.stat().st_size >= ROWS * ROW_BYTES:
            return True
        time.sleep(0.02)
    return False


def test_the_thread_copies_committed_pages_into_the_database_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    checkpoints.checkpointer_start(str(path), interval=0.01)
    writer = _write_rows(path)
    assert _database_file_holds_the_rows(path, within=10)
    writer.close()


def test_without_the_thread_the_pages_stay_in_the_wal(tmp_path):
    """The control: proves the test above measures the thread, not the writer."""
    path = tmp_path / "db.sqlite3"
    writer = _write_rows(path)
    assert not _database_file_holds_the_rows(path, within=0.3)
    assert (tmp_path / "db.sqlite3-wal").stat().st_size >= ROWS * ROW_BYTES
    writer.close()


def test_one_thread_per_process_and_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).close()
    first = checkpoints.checkpointer_start(str(path), interval=0.01)
    assert checkpoints.checkpointer_start(str(tmp_path / "." / "db.sqlite3"), interval=0.01) is first
    assert first.is_alive() and first.daemon


def test_a_passive_checkpoint_reports_the_wal_and_what_it_copied(tmp_path):
    path = tmp_path / "db.sqlite3"
    writer = _write_rows(path)
    busy, wal_pages, copied = checkpoints.checkpoint_passive(writer)
    assert busy == 0 and wal_pages >= ROWS and copied == wal_pages
    writer.close()


def test_in_memory_databases_get_no_thread(monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(checkpoints, "checkpointer_start", started.append)
    checkpoints.checkpointer_start_for_databases()
    assert started == []  # the tests' database is in memory


def test_gunicorn_starts_it_in_each_worker_after_the_fork(monkeypatch):
    config = Path(__file__).resolve().parents[3] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", config)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls: list[bool] = []
    monkeypatch.setattr(checkpoints, "checkpointer_start_for_databases", lambda: calls.append(True))
    module.post_fork(None, None)
    assert calls == [True]
    assert not hasattr(module, "post_worker_init") and module.preload_app
