"""Enqueueing a task so that it exists exactly when the transaction that asked for it commits."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max

from makegood.rows import row_insert


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """With the database queue the task's row is written in the current transaction.

    No case is committed without its e-mail's task, even if the process dies right after the
    commit, and on SQLite the intake takes one write transaction instead of two. Other backends
    (the inline one in tests, a broker) get the task after the commit.
    """
    if not enqueue_in_transaction(task, *args, **kwargs):
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def enqueue_in_transaction(task: Task[Any, Any], *args: Any, **kwargs: Any) -> bool:
    """Write the task's row in the current transaction when it goes to the database queue; True if so.

    The row is django-tasks-db's own (`DBTaskResult`), with the values its `enqueue` gives it,
    but inserted by a statement built once (`makegood.rows`): its `objects.create()` spent ten
    times the INSERT's own time building it, inside intake's write transaction, on every case
    that sends an acknowledgement. `task_enqueued` is sent as django-tasks sends it.
    """
    backend = task.get_backend()
    if not (connection.in_atomic_block and isinstance(backend, DatabaseBackend)):
        return False
    backend.validate_task(task)
    row = DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        # What django-tasks-db's pre_save handler writes for "as soon as possible".
        run_after=task.run_after if task.run_after is not None else get_date_max(),
        backend_name=backend.alias,
    )
    row_insert(row)
    task_enqueued.send(type(backend), task_result=row.task_result)
    return True
