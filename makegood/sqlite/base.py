"""SQLite, with writers queueing on a file lock instead of sleeping in SQLite's busy handler.

SQLite lets one writer at a time hold its lock; another that asks (`BEGIN IMMEDIATE`) is put to
sleep by the busy handler in growing steps (1, 2, 5, 10, 15, 20, 25… ms) and retries, however soon
the lock frees. With two web workers writing complaints that sleep, not the work, sets intake
speed. So every write transaction first takes an exclusive `flock` on a file beside the database:
the kernel wakes the next writer the moment the previous one commits. Readers never take it (WAL
lets them read beside the writer), and the busy timeout still covers writers that do not use this
backend (the `sqlite3` shell, a script).

Used for every SQLite database except in-memory ones (tests), through `ENGINE` in settings.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writer.lock"

    def _take_writer_lock(self) -> None:
        path = self._lock_path()
        if path is None:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._lock_held = True

    def _release_writer_lock(self) -> None:
        if self._lock_held and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._lock_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
