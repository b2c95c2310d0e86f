"""A task asked for inside a transaction: its row is the one django-tasks-db's `enqueue` writes,
it exists exactly when the transaction commits, and the worker runs it."""

from pathlib import Path

import pytest
from django.db import transaction
from django_tasks.signals import task_enqueued
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from makegood.worker.on_commit import enqueue_in_transaction, enqueue_on_commit
from makegood.worker.tests.tasks import note_run

pytestmark = pytest.mark.django_db

COLUMNS = ("status", "args_kwargs", "priority", "task_path", "queue_name", "backend_name", "run_after", "worker_ids")


def test_the_row_written_in_the_transaction_is_the_one_enqueue_writes(database_queue, tmp_path):
    theirs = DBTaskResult.objects.get(pk=note_run.enqueue(str(tmp_path), "a", pause=0.0).id)
    with transaction.atomic():
        assert enqueue_in_transaction(note_run, str(tmp_path), "a", pause=0.0)
    ours = DBTaskResult.objects.exclude(pk=theirs.pk).get()
    assert {c: getattr(ours, c) for c in COLUMNS} == {c: getattr(theirs, c) for c in COLUMNS}
    assert ours.status == TaskResultStatus.READY
    assert ours.return_value is None and ours.enqueued_at is not None


def test_a_rolled_back_transaction_leaves_no_task(database_queue, tmp_path):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(note_run, str(tmp_path), "b")
        raise RuntimeError("the change failed")
    assert not DBTaskResult.objects.exists()


def test_the_task_written_in_the_transaction_is_ready_for_the_worker(database_queue, tmp_path: Path):
    with transaction.atomic():
        enqueue_on_commit(note_run, str(tmp_path), "c")
    ready = DBTaskResult.objects.ready().get()  # what the worker claims
    assert ready.task.func is note_run.func
    ready.task.call(*ready.task_result.args, **ready.task_result.kwargs)
    assert len(list(tmp_path.glob("c.*"))) == 1


def test_enqueued_is_announced_as_django_tasks_announces_it(database_queue, tmp_path):
    heard = []

    def listen(sender, task_result, **_):
        heard.append(task_result)

    task_enqueued.connect(listen)
    try:
        with transaction.atomic():
            enqueue_in_transaction(note_run, str(tmp_path), "d")
    finally:
        task_enqueued.disconnect(listen)
    assert [(r.task.module_path, r.args) for r in heard] == [(note_run.module_path, [str(tmp_path), "d"])]


def test_outside_a_transaction_or_the_database_queue_nothing_is_written_now(tmp_path):
    # The test settings run tasks inline: the task waits for the commit, as any other backend's.
    with transaction.atomic():
        assert not enqueue_in_transaction(note_run, str(tmp_path), "e")
    assert not list(tmp_path.glob("e.*"))
