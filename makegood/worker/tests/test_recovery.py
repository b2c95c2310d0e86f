"""Recovery of interrupted tasks: a task whose worker died goes back to the queue, once; a task
that finished never does."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from makegood.cases.kinds import EventKind
from makegood.cases.tests.factories import make_case
from makegood.outbox.tasks import deliver_message
from makegood.worker import services
from makegood.worker.models import WorkerHeartbeat
from makegood.worker.services import heartbeat_record, heartbeat_start, interrupted_tasks_requeue
from makegood.worker.tests.tasks import note_run

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def enqueue_claimed(directory: Path, key: str, *, worker_id: str) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=note_run.enqueue(str(directory), key).id)
    row.claim(worker_id)
    return row


def runs_of(directory: Path, key: str) -> int:
    return len(list(directory.glob(f"{key}.*")))


def test_a_task_whose_worker_stopped_beating_goes_back_to_the_queue(database_queue, tmp_path, caplog):
    with time_machine.travel(T0, tick=False):
        heartbeat_start(worker_id="w-dead")
        task = enqueue_claimed(tmp_path, "a", worker_id="w-dead")
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        requeued = interrupted_tasks_requeue()

    assert requeued == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["w-dead"]  # the history of attempts stays
    assert f"Requeued task id={task.pk}" in caplog.text
    assert "interrupted when worker w-dead stopped (attempt 1 of 5)" in caplog.text


def test_a_task_whose_worker_is_still_beating_is_left_running(database_queue, tmp_path):
    with time_machine.travel(T0, tick=False):
        heartbeat_start(worker_id="w-busy")
        task = enqueue_claimed(tmp_path, "a", worker_id="w-busy")
    # A long task: claimed ten minutes ago, but its worker's heartbeat thread still beats.
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        heartbeat_record(worker_id="w-busy")
    with time_machine.travel(T0 + timedelta(minutes=10, seconds=59), tick=False):
        assert interrupted_tasks_requeue() == []

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_of_a_worker_without_heartbeat_is_requeued_only_once_claimed_long_enough_ago(database_queue, tmp_path):
    with time_machine.travel(T0, tick=False):
        task = enqueue_claimed(tmp_path, "a", worker_id="w-unknown")
        assert interrupted_tasks_requeue() == []
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        assert interrupted_tasks_requeue() == [str(task.pk)]


def test_finished_tasks_of_a_dead_worker_are_never_touched(database_queue, tmp_path):
    with time_machine.travel(T0, tick=False):
        succeeded = enqueue_claimed(tmp_path, "ok", worker_id="w-dead")
        succeeded.set_successful(None)
        failed = enqueue_claimed(tmp_path, "ko", worker_id="w-dead")
        failed.set_failed(ValueError("boom"))
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert interrupted_tasks_requeue() == []

    assert DBTaskResult.objects.get(pk=succeeded.pk).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=failed.pk).status == TaskResultStatus.FAILED


def test_a_second_worker_recovering_the_same_task_at_the_same_moment_changes_nothing(database_queue, tmp_path):
    with time_machine.travel(T0, tick=False):
        task = enqueue_claimed(tmp_path, "a", worker_id="w-dead")
    # Both recoverers read the task while it was RUNNING under the dead worker.
    seen = {"pk": task.pk, "started_at": task.started_at, "worker_ids": ["w-dead"], "task_path": task.task_path}
    now = T0 + timedelta(seconds=61)

    assert services._requeue(**seen, now=now) is True
    assert services._requeue(**seen, now=now) is False


def test_recovery_does_not_undo_a_new_claim_made_after_it_looked(database_queue, tmp_path):
    with time_machine.travel(T0, tick=False):
        task = enqueue_claimed(tmp_path, "a", worker_id="w-dead")
    seen = {"pk": task.pk, "started_at": task.started_at, "worker_ids": ["w-dead"], "task_path": task.task_path}
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        assert interrupted_tasks_requeue() == [str(task.pk)]
        task.refresh_from_db()
        task.claim("w-alive")
        # A slower recoverer acts on what it read before the requeue and the new claim.
        assert services._requeue(**seen, now=timezone.now()) is False

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert task.worker_ids == ["w-dead", "w-alive"]


def test_a_worker_restarted_with_the_same_id_takes_back_its_own_task_at_once(database_queue, tmp_path):
    with time_machine.travel(T0, tick=False):
        heartbeat_start(worker_id="w-fixed")
        task = enqueue_claimed(tmp_path, "a", worker_id="w-fixed")
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        heartbeat_start(worker_id="w-fixed")
        assert interrupted_tasks_requeue() == []
        assert interrupted_tasks_requeue(restarted_worker_id="w-fixed") == [str(task.pk)]


def test_a_task_that_kills_its_worker_every_time_fails_after_the_last_attempt(database_queue, settings, tmp_path):
    settings.MAKEGOOD_WORKER_MAX_ATTEMPTS = 2
    with time_machine.travel(T0, tick=False):
        task = enqueue_claimed(tmp_path, "a", worker_id="w-1")
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        assert interrupted_tasks_requeue() == [str(task.pk)]
        task.refresh_from_db()
        task.claim("w-2")
    with time_machine.travel(T0 + timedelta(seconds=122), tick=False):
        assert interrupted_tasks_requeue() == []

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "makegood.worker.services.WorkerLost"
    assert task.finished_at == T0 + timedelta(seconds=122)


@pytest.fixture
def quiet_heartbeat(database_queue, settings, keep_signal_handlers):
    """A worker run inside a test: its housekeeping thread never wakes up before it stops (the
    thread would need its own database connection, which a test's transaction cannot share).

    Tests that use it commit for real (`transaction=True`): the worker's loop closes a
    connection found inside a transaction, as it must between tasks.
    """
    settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY = 600
    settings.MAKEGOOD_WORKER_STALE_AFTER = 1800


def run_worker_batch() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "w-test", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_an_interrupted_task_once_and_never_reruns_a_finished_one(quiet_heartbeat, tmp_path):
    long_ago = timezone.now() - timedelta(hours=1)
    interrupted = enqueue_claimed(tmp_path, "interrupted", worker_id="w-dead")
    finished = enqueue_claimed(tmp_path, "finished", worker_id="w-dead")
    finished.set_successful(None)
    DBTaskResult.objects.filter(pk__in=[interrupted.pk, finished.pk]).update(started_at=long_ago)
    note_run.enqueue(str(tmp_path), "waiting")

    run_worker_batch()

    assert runs_of(tmp_path, "interrupted") == 1
    assert runs_of(tmp_path, "waiting") == 1
    assert runs_of(tmp_path, "finished") == 0
    interrupted.refresh_from_db()
    assert interrupted.status == TaskResultStatus.SUCCESSFUL
    assert interrupted.worker_ids == ["w-dead", "w-test"]
    # It stopped cleanly, so it is not taken for a dead worker.
    assert not WorkerHeartbeat.objects.filter(worker_id="w-test").exists()


@pytest.mark.django_db(transaction=True)
def test_an_acknowledgement_recorded_before_its_worker_died_is_not_sent_twice(
    quiet_heartbeat, north, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(channel="web", customer_email="dana@example.com")
    run_worker_batch()
    assert len(mail.outbox) == 1
    # The worker died after the e-mail and its event were committed, before it marked the task
    # successful: the task is still RUNNING, and will be retried.
    task = DBTaskResult.objects.get(task_path=deliver_message.module_path)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=[*task.worker_ids, "w-dead"],
    )

    run_worker_batch()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["w-test", "w-dead", "w-test"]
    assert len(mail.outbox) == 1
    assert case.events.filter(kind=EventKind.ACK_EMAIL_SENT).count() == 1


def test_the_worker_refuses_a_stale_threshold_shorter_than_three_heartbeats(database_queue, settings):
    settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY = 5
    settings.MAKEGOOD_WORKER_STALE_AFTER = 10
    with pytest.raises(CommandError, match="at least three times"):
        run_worker_batch()
