"""What the worker processes share through the database: who is alive, and what was scheduled."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running `makegood worker` process.

    It is the proof that the tasks RUNNING under this worker id are still being worked on: a
    task whose worker has not been seen for `MAKEGOOD_WORKER_STALE_AFTER` seconds was interrupted
    and goes back to the queue. A worker that stops cleanly deletes its row.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicRun(models.Model):
    """When a periodic task (`MAKEGOOD_PERIODIC_TASKS`) was last enqueued.

    Workers claim a due period with a conditional UPDATE of this row, so that however many
    workers run, one of them enqueues the task per period.
    """

    task_path = models.CharField(max_length=255, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.task_path
