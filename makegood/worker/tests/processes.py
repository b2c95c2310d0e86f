"""Real `makegood` processes on a throwaway database, for the worker's crash tests.

The database is one that both the test and the processes it starts can see: a temporary SQLite
file, or, when the suite runs on PostgreSQL, a PostgreSQL database created (from a migrated
template) and dropped here. The test reads it with plain SQL, outside Django's test database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
TASKS_TABLE = "django_tasks_database_dbtaskresult"


def suite_runs_on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class ThrowawayDatabase:
    def __init__(self, url: str, *, sqlite_path: Path | None = None) -> None:
        self.url = url
        self.sqlite_path = sqlite_path

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=30) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            return db.execute(sql).fetchall()

    def tasks(self, task_path: str) -> list[dict[str, Any]]:
        """The task results of `task_path`: id (dashed), status, worker_ids (a list)."""
        found = self.rows(f"SELECT id, status, worker_ids FROM {TASKS_TABLE} WHERE task_path = '{task_path}'")
        return [
            {
                "id": str(uuid.UUID(str(pk))),
                "status": status,
                "worker_ids": json.loads(ids) if isinstance(ids, str) else ids,
            }
            for pk, status, ids in found
        ]


def _pg_url(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as db:
        db.execute(sql)


def process_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "makegood.worker.tests.process_settings",
        "SECRET_KEY": "insecure-key-for-worker-tests",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def makegood(*args: str, database_url: str, timeout: float = 300) -> str:
    """Run a `makegood` command to completion against the throwaway database; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "makegood.cli", *args],
        cwd=ROOT,
        env=process_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"makegood {args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def migrated_template(directory: Path) -> Iterator[Callable[[str], ThrowawayDatabase]]:
    """Migrate one database, then hand out fresh copies of it (a migration takes seconds)."""
    if suite_runs_on_postgresql():
        template = f"mg_worker_tpl_{uuid.uuid4().hex[:10]}"
        copies: list[str] = []
        _pg_admin(f'CREATE DATABASE "{template}"')
        try:
            makegood("migrate", "--no-input", "-v", "0", database_url=_pg_url(template))

            def copy_pg(name: str) -> ThrowawayDatabase:
                database = f"mg_worker_{name}_{uuid.uuid4().hex[:8]}"
                _pg_admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
                copies.append(database)
                return ThrowawayDatabase(_pg_url(database))

            yield copy_pg
        finally:
            for database in [*copies, template]:
                _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    else:
        template_path = directory / "template.sqlite3"
        makegood("migrate", "--no-input", "-v", "0", database_url=f"sqlite:///{template_path}")

        def copy_sqlite(name: str) -> ThrowawayDatabase:
            path = directory / f"{name}-{uuid.uuid4().hex[:8]}.sqlite3"
            # The backup API copies the database whole, whatever is still in the WAL file.
            with sqlite3.connect(template_path) as source, sqlite3.connect(path) as target:
                source.backup(target)
            return ThrowawayDatabase(f"sqlite:///{path}", sqlite_path=path)

        yield copy_sqlite
        shutil.rmtree(directory, ignore_errors=True)


class Workers:
    """`makegood worker` processes started by a test; any still running at the end are killed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.ended: set[int] = set()  # the pids the test itself killed or stopped

    def start(self, worker_id: str, database: ThrowawayDatabase, **env: str) -> subprocess.Popen[bytes]:
        log = (self.directory / f"{worker_id}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "makegood.cli", "worker", "--worker-id", worker_id, "--interval", "0.05"],
            cwd=ROOT,
            env=process_env(database.url, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started.append((worker_id, process))
        return process

    def log(self, worker_id: str) -> str:
        return (self.directory / f"{worker_id}.log").read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(f"--- {worker_id} ---\n{self.log(worker_id)}" for worker_id in dict(self.started))

    def wait_for(self, condition: Callable[[], Any], *, what: str, timeout: float = 90) -> Any:
        """Poll until `condition()` is true; fail early if a worker died unasked."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            for worker_id, process in self.started:
                if process.poll() is not None and process.pid not in self.ended:
                    pytest.fail(f"worker {worker_id} exited ({process.returncode}) before {what}\n{self.logs()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout}s waiting for {what}\n{self.logs()}")
            time.sleep(0.1)

    def stop(self, process: subprocess.Popen[bytes], *, timeout: float = 60) -> int:
        """SIGTERM, as `./dev demo` does on Ctrl-C: the worker finishes its task and exits."""
        process.terminate()
        return self.wait(process, timeout=timeout)

    def kill(self, process: subprocess.Popen[bytes]) -> int:
        """SIGKILL: no handler, no cleanup, exactly like a crash or the OOM killer."""
        process.kill()
        return self.wait(process)

    def wait(self, process: subprocess.Popen[bytes], *, timeout: float = 30) -> int:
        """Wait for a worker the test is ending; its exit is then no surprise."""
        self.ended.add(process.pid)
        return process.wait(timeout=timeout)

    def kill_all(self) -> None:
        for _, process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
