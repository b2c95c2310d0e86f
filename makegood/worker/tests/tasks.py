"""Tasks for the worker's tests: their runs can be counted from outside the worker process."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django_tasks import task


@task()
def note_run(directory: str, key: str, pause: float = 0.0) -> None:
    """Leave one new file per run (`<key>.<pid>.<random>`): a run twice leaves two."""
    time.sleep(pause)
    Path(directory, f"{key}.{os.getpid()}.{uuid.uuid4().hex}").touch(exist_ok=False)


@task()
def sweep_nothing() -> None:
    """A periodic task that does nothing."""


not_a_task = "makegood.worker.tests.tasks.not_a_task is a string, not a task"
