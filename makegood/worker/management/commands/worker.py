"""`makegood worker`: run the background tasks, surviving crashes and restarts.

django_tasks_db's `db_worker`, plus a heartbeat, the retry of tasks whose worker died
mid-way, and the periodic tasks of `MAKEGOOD_PERIODIC_TASKS`. Its options are db_worker's
(without --reload: restarting mid-task is what this worker is careful about).
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker

from makegood.worker.runner import HeartbeatWorker

logger = logging.getLogger("makegood.worker")


class Command(db_worker.Command):
    help = (
        "Run the background tasks (e-mails, follow-ups, sweeps). Tasks interrupted by a crash are retried; "
        "periodic tasks are enqueued when due. Stop with Ctrl-C or SIGTERM: the current task finishes first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="The queues to process, comma-separated; '*' for all (default: %(default)r)",
        )
        parser.add_argument(
            "--exclude-queues", default="", help="Queues to exclude, comma-separated (only with --queue-name='*')"
        )
        parser.add_argument(
            "--interval",
            default=1.0,
            type=db_worker.valid_interval,
            help="Seconds to wait, when the queue is empty, before looking again (default: %(default)r)",
        )
        parser.add_argument("--batch", action="store_true", help="Run every task that is due, then exit.")
        parser.add_argument(
            "--backend",
            default=DEFAULT_TASK_BACKEND_ALIAS,
            type=db_worker.valid_backend_name,
            dest="backend_name",
            help="The (database) task backend to work for (default: %(default)r)",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="Do not wait up to a second at start (which spreads out workers started together).",
        )
        parser.add_argument(
            "--max-tasks", default=None, type=db_worker.valid_max_tasks, help="Exit after running this many tasks."
        )
        parser.add_argument(
            "--worker-id",
            default=None,
            type=db_worker.validate_worker_id,
            help="This worker's id, unique among running workers (default: a random one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # db_worker's logging (task started, finished), and the same for this worker's own lines.
        self.configure_logging(options["verbosity"])
        logger.setLevel({0: logging.CRITICAL, 1: logging.INFO}.get(options["verbosity"], logging.DEBUG))
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))

        heartbeat_every = settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY
        if not 0 < heartbeat_every * 3 <= settings.MAKEGOOD_WORKER_STALE_AFTER:
            # Otherwise a worker busy writing could miss beats, be taken for dead, and its task
            # run twice.
            raise CommandError(
                "MAKEGOOD_WORKER_STALE_AFTER must be at least three times MAKEGOOD_WORKER_HEARTBEAT_EVERY "
                f"(now {settings.MAKEGOOD_WORKER_STALE_AFTER} and {heartbeat_every})."
            )
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name='*'.")

        worker = HeartbeatWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or get_random_string(32),
        )
        worker.configure_signals()
        worker.run()
