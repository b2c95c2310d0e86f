"""The worker's bookkeeping: heartbeats, the recovery of interrupted tasks, periodic enqueueing.

Every write that two workers may attempt at the same moment is a conditional UPDATE whose WHERE
clause re-checks the state it expects (the way healthchecks' `sendalerts` claims a check), so
exactly one of them changes the row and the other's UPDATE counts zero rows.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from makegood.worker.models import PeriodicRun, WorkerHeartbeat

logger = logging.getLogger("makegood.worker")

# A worker silent this long is not coming back: its row only clutters the admin.
FORGET_HEARTBEATS_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded on a task whose worker died while running it `MAKEGOOD_WORKER_MAX_ATTEMPTS` times."""


def stale_after() -> timedelta:
    return timedelta(seconds=settings.MAKEGOOD_WORKER_STALE_AFTER)


def heartbeat_start(*, worker_id: str, at: datetime | None = None) -> WorkerHeartbeat:
    """Record that this process now works under `worker_id` (a restart may reuse an id)."""
    at = at or timezone.now()
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": at, "last_seen_at": at},
    )
    return heartbeat


def heartbeat_record(*, worker_id: str, at: datetime | None = None) -> None:
    """Refresh the heartbeat; recreate it if another worker forgot it while this one was frozen."""
    at = at or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=at):
        heartbeat_start(worker_id=worker_id, at=at)


def heartbeat_clear(*, worker_id: str) -> None:
    """A worker that stops cleanly says so: it has no task left running."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeats_forget_old(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen_at__lt=now - FORGET_HEARTBEATS_AFTER).delete()
    return deleted


def interrupted_tasks_requeue(*, now: datetime | None = None, restarted_worker_id: str = "") -> list[str]:
    """Put the tasks whose worker died while running them back in the queue; return their ids.

    A task was interrupted when it is still RUNNING, was claimed more than STALE_AFTER ago, and
    its worker (the last of its `worker_ids`) has not been seen for STALE_AFTER or has no
    heartbeat at all; or when an earlier life of `restarted_worker_id` (a worker restarted with
    a fixed `--worker-id`) left it RUNNING. Finished tasks (SUCCESSFUL, FAILED) are never
    touched, so recovery never runs again a task that finished.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    alive = set(WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = []
    running = DBTaskResult.objects.running().values_list("pk", "started_at", "worker_ids", "task_path")
    for pk, started_at, worker_ids, task_path in running:
        worker_id = worker_ids[-1] if worker_ids else ""
        restarted = bool(restarted_worker_id) and worker_id == restarted_worker_id
        recently_claimed = started_at is not None and started_at >= cutoff
        if not restarted and (worker_id in alive or recently_claimed):
            continue
        if _requeue(pk=pk, started_at=started_at, worker_ids=worker_ids, task_path=task_path, now=now):
            requeued.append(str(pk))
    return requeued


def _requeue(*, pk: Any, started_at: datetime | None, worker_ids: list[str], task_path: str, now: datetime) -> bool:
    # `started_at` changes with every claim: matching it (and RUNNING) means nobody else has
    # requeued or re-claimed this task since we read it; a second recoverer updates nothing.
    claimed = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at)
    attempts = len(worker_ids)
    worker_id = worker_ids[-1] if worker_ids else "?"
    if attempts >= settings.MAKEGOOD_WORKER_MAX_ATTEMPTS:
        failed = claimed.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"WorkerLost: the worker died while running this task, {attempts} times; not retried again.\n",
        )
        if failed:
            logger.error(
                "Task id=%s path=%s failed: its worker %s stopped while running it, %d times (the limit).",
                pk,
                task_path,
                worker_id,
                attempts,
            )
        return False
    requeued = claimed.update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning(
            "Requeued task id=%s path=%s: interrupted when worker %s stopped (attempt %d of %d).",
            pk,
            task_path,
            worker_id,
            attempts,
            settings.MAKEGOOD_WORKER_MAX_ATTEMPTS,
        )
    return bool(requeued)


@functools.cache
def periodic_task_resolve(task_path: str) -> Task[Any, Any] | None:
    """The task at `task_path`, imported when first due; None (warned once) if there is none."""
    try:
        task = import_string(task_path)
    except ImportError as exc:
        logger.warning("Periodic task %s does not exist: skipped (%s).", task_path, exc)
        return None
    except Exception:
        logger.warning("Periodic task %s cannot be imported: skipped.", task_path, exc_info=True)
        return None
    if not isinstance(task, Task):
        logger.warning("Periodic task %s is not a task (decorate it with @task()): skipped.", task_path)
        return None
    return task


def periodic_task_enqueue_if_due(*, task_path: str, every: float, now: datetime | None = None) -> datetime | None:
    """Enqueue the periodic task at `task_path` if its period has come; return when it is next due.

    One worker claims each period (a conditional UPDATE of its `PeriodicRun` row), and enqueues
    nothing while an earlier run is still READY or RUNNING, so sweeps never pile up behind a
    busy or stopped worker. None means the task does not exist: it is not tried again.
    """
    task = periodic_task_resolve(task_path)
    if task is None:
        return None
    now = now or timezone.now()
    period = timedelta(seconds=every)
    with transaction.atomic():
        run, _ = PeriodicRun.objects.get_or_create(task_path=task_path)
        due = Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - period)
        if not PeriodicRun.objects.filter(pk=run.pk).filter(due).update(last_enqueued_at=now):
            run.refresh_from_db(fields=["last_enqueued_at"])
            assert run.last_enqueued_at is not None
            return run.last_enqueued_at + period
        pending = DBTaskResult.objects.filter(
            task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )
        if pending.exists():
            logger.info("Periodic task %s not enqueued: the previous one has not finished.", task_path)
        else:
            task.enqueue()
            logger.info("Periodic task %s enqueued.", task_path)
    return now + period


def periodic_tasks_enqueue_due(
    *, now: datetime | None = None, not_before: Mapping[str, datetime | None] | None = None
) -> dict[str, datetime | None]:
    """Enqueue every periodic task (`MAKEGOOD_PERIODIC_TASKS`) that is due.

    `not_before` is what the previous call returned: when each task is next due (None: never),
    so that a worker asks the database only when a task may be due.
    """
    now = now or timezone.now()
    not_before = not_before or {}
    schedule: dict[str, datetime | None] = {}
    for task_path, every in settings.MAKEGOOD_PERIODIC_TASKS.items():
        if task_path in not_before:
            next_due = not_before[task_path]
            if next_due is None or next_due > now:
                schedule[task_path] = next_due
                continue
        schedule[task_path] = periodic_task_enqueue_if_due(task_path=task_path, every=every, now=now)
    return schedule
