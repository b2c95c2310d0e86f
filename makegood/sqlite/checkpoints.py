"""Copy SQLite's WAL back into the database from a background thread, outside the writers' lock.

In WAL mode a commit appends pages to the WAL; a checkpoint copies them into the database file and
fsyncs it. Left to SQLite, the commit that grows the WAL past `wal_autocheckpoint` pages does the
whole copy while its writer still holds the write lock, and every other writer waits for the disk:
with 100,000 cases loaded, the intake's p99 was about 75 ms with those checkpoints and about 33 ms
with none (`bench/intake.py`).

This thread runs `PRAGMA wal_checkpoint(PASSIVE)` every `INTERVAL` seconds on its own connection. A
passive checkpoint takes no write lock: writers go on appending while it copies what they had
committed. The writers' own automatic checkpoint stays as the backstop, but when it fires nearly
every page is already in the database, so it copies only the last few (or finds this thread busy
and skips); and once the WAL is wholly copied, the next writer starts it again from the beginning.

Started in each web worker after gunicorn forks it (`gunicorn.conf.py`): a thread must not run in
the process that forks, because a thread inside SQLite at the moment of the fork would leave its
mutexes locked in the child. A process without it (a command, the task worker) checkpoints the old
way, which is correct, only slower under a stream of writes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time

from django.db import connections
from django.db.backends.sqlite3 import base

logger = logging.getLogger(__name__)

INTERVAL = 0.1
_running: dict[tuple[int, str], threading.Thread] = {}
_running_lock = threading.Lock()


def checkpoint_passive(connection: sqlite3.Connection) -> tuple[int, int, int]:
    """One passive checkpoint: (1 if another checkpointer was busy, pages in the WAL, pages copied)."""
    busy, wal_pages, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return busy, wal_pages, copied


def _checkpoint_forever(path: str, interval: float) -> None:
    connection: sqlite3.Connection | None = None
    while True:
        try:
            connection = connection or sqlite3.connect(path, timeout=0, isolation_level=None)
            if checkpoint_passive(connection)[1] == -1:
                # Not (yet) in WAL mode, and a connection that saw the file so keeps seeing it.
                connection.close()
                connection = None
        except sqlite3.Error:
            # A locked or busy database (a migration, a backup): try again on the next round.
            logger.debug("background checkpoint of %s skipped", path, exc_info=True)
        time.sleep(interval)


def checkpointer_start(path: str, interval: float = INTERVAL) -> threading.Thread:
    """Start this process's checkpointer for the database at `path` (once per process and file)."""
    key = (os.getpid(), os.path.realpath(path))
    with _running_lock:
        thread = _running.get(key)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(
                target=_checkpoint_forever, args=(path, interval), name="sqlite-checkpointer", daemon=True
            )
            thread.start()
            _running[key] = thread
        return thread


def checkpointer_start_for_databases() -> None:
    """Start a checkpointer for every SQLite file database this process is configured for."""
    for alias in connections:
        wrapper = connections[alias]
        if isinstance(wrapper, base.DatabaseWrapper) and not wrapper.is_in_memory_db():
            checkpointer_start(str(wrapper.settings_dict["NAME"]))
