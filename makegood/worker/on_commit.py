"""Enqueueing a task so that it exists exactly when the transaction that asked for it commits."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """With the database queue the task's row is written in the current transaction.

    No case is committed without its e-mail's task, even if the process dies right after the
    commit, and on SQLite the intake takes one write transaction instead of two. Other backends
    (the inline one in tests, a broker) get the task after the commit.
    """
    if connection.in_atomic_block and isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
