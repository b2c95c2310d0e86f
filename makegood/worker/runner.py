"""django_tasks_db's worker, made crash-safe: a heartbeat, recovery of interrupted tasks, periodic work.

The claiming and running of tasks is django_tasks_db's own `Worker` (a claim under
`select_for_update(skip_locked=True)`, so that several workers never claim the same task). What
it lacks is done by a housekeeping thread beside it, every `MAKEGOOD_WORKER_HEARTBEAT_EVERY`
seconds: it refreshes this worker's heartbeat (in a thread, so that a long task does not make a
live worker look dead), requeues the tasks of workers that died, and enqueues the periodic tasks
that are due.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from datetime import datetime
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from makegood.worker import services

logger = logging.getLogger("makegood.worker")


class HeartbeatWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._periodic_not_before: dict[str, datetime | None] = {}

    def run(self) -> None:
        self.housekeep(starting=True)
        logger.info(
            "Worker %s started (pid %d): heartbeat every %ss; the tasks of a worker silent for %ss are retried.",
            self.worker_id,
            os.getpid(),
            settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY,
            settings.MAKEGOOD_WORKER_STALE_AFTER,
        )
        self._thread = threading.Thread(target=self._housekeeping_loop, name="worker-housekeeping", daemon=True)
        self._thread.start()
        try:
            super().run()
        finally:
            self._stop_housekeeping()

    def housekeep(self, *, starting: bool = False) -> None:
        """One round of bookkeeping; at start, also the tasks an earlier life of this id left."""
        if starting:
            services.heartbeat_start(worker_id=self.worker_id)
            services.heartbeats_forget_old()
            services.interrupted_tasks_requeue(restarted_worker_id=self.worker_id)
        else:
            services.heartbeat_record(worker_id=self.worker_id)
            services.interrupted_tasks_requeue()
        if self._stopping.is_set():
            return
        self._periodic_not_before = services.periodic_tasks_enqueue_due(not_before=self._periodic_not_before)

    def _housekeeping_loop(self) -> None:
        try:
            while not self._stopping.wait(settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY):
                # This thread has its own database connection; drop it if the server closed it.
                close_old_connections()
                try:
                    self.housekeep()
                except Exception:
                    # A busy SQLite or a restarting PostgreSQL: the next round tries again.
                    logger.warning("Worker %s: housekeeping failed; retrying.", self.worker_id, exc_info=True)
        finally:
            connections.close_all()

    def _stop_housekeeping(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=max(5.0, settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY))
        try:
            services.heartbeat_clear(worker_id=self.worker_id)
        except Exception:
            # Then the heartbeat goes stale; the worker had no task running, so nothing is lost.
            logger.warning("Worker %s: could not clear its heartbeat.", self.worker_id, exc_info=True)
        logger.info("Worker %s stopped.", self.worker_id)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """A second signal during a task stops at once, like a crash: the task is retried later.

        django_tasks_db would raise SystemExit inside the task instead and record it FAILED,
        which for an e-mail means it is never sent.
        """
        if not self.running and self.running_task:
            logger.warning(
                "Received %s again: stopping now; the current task will be retried after %ss "
                "(at once if this worker restarts with the same --worker-id).",
                signal.strsignal(signum),
                settings.MAKEGOOD_WORKER_STALE_AFTER,
            )
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)
        super().shutdown(signum, frame)
