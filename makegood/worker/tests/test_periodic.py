"""Periodic tasks: enqueued when due, once per period however many workers, never piled up."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from makegood.worker.services import periodic_task_enqueue_if_due, periodic_tasks_enqueue_due

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
SWEEP = "makegood.worker.tests.tasks.sweep_nothing"


def sweeps() -> list[str]:
    return list(DBTaskResult.objects.filter(task_path=SWEEP).order_by("enqueued_at").values_list("status", flat=True))


def at(seconds: float) -> time_machine.travel:
    return time_machine.travel(T0 + timedelta(seconds=seconds), tick=False)


def test_a_due_periodic_task_is_enqueued_once_per_period(database_queue, settings):
    settings.MAKEGOOD_PERIODIC_TASKS = {SWEEP: 60}
    with at(0):
        periodic_tasks_enqueue_due()
    assert sweeps() == [TaskResultStatus.READY]
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)

    # Another worker (or this one) looks again within the period: nothing more.
    with at(59):
        periodic_tasks_enqueue_due()
    assert sweeps() == [TaskResultStatus.SUCCESSFUL]

    with at(60):
        periodic_tasks_enqueue_due()
    assert sweeps() == [TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY]


def test_two_workers_claiming_the_same_period_enqueue_it_once(database_queue):
    with at(0):
        first = periodic_task_enqueue_if_due(task_path=SWEEP, every=60)
        second = periodic_task_enqueue_if_due(task_path=SWEEP, every=60)

    assert first == second == T0 + timedelta(seconds=60)
    assert sweeps() == [TaskResultStatus.READY]


@pytest.mark.parametrize("waiting", [TaskResultStatus.READY, TaskResultStatus.RUNNING])
def test_a_periodic_task_not_finished_yet_is_not_enqueued_again(database_queue, settings, caplog, waiting):
    settings.MAKEGOOD_PERIODIC_TASKS = {SWEEP: 60}
    with at(0):
        periodic_tasks_enqueue_due()
    DBTaskResult.objects.update(status=waiting)
    caplog.set_level(logging.INFO, logger="makegood.worker")

    # The workers were busy (or stopped) for three periods: still one sweep, not three.
    for seconds in (60, 120, 180):
        with at(seconds):
            periodic_tasks_enqueue_due()

    assert sweeps() == [waiting]
    assert "Periodic task makegood.worker.tests.tasks.sweep_nothing not enqueued" in caplog.text


def test_an_unknown_periodic_task_is_skipped_with_one_warning_and_the_others_still_run(
    database_queue, settings, caplog
):
    missing = "makegood.nowhere.tasks.sweep_everything"
    not_a_task = "makegood.worker.tests.tasks.not_a_task"
    settings.MAKEGOOD_PERIODIC_TASKS = {missing: 60, not_a_task: 60, SWEEP: 60}

    with at(0):
        schedule = periodic_tasks_enqueue_due()
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    with at(60):
        periodic_tasks_enqueue_due()  # without the schedule: as a freshly started worker would

    assert schedule == {missing: None, not_a_task: None, SWEEP: T0 + timedelta(seconds=60)}
    assert sweeps() == [TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum(missing in w for w in warnings) == 1
    assert sum(not_a_task in w and "not a task" in w for w in warnings) == 1


def test_a_worker_asks_the_database_only_when_a_task_may_be_due(database_queue, settings, django_assert_num_queries):
    settings.MAKEGOOD_PERIODIC_TASKS = {SWEEP: 60}
    with at(0):
        schedule = periodic_tasks_enqueue_due()
    with at(30), django_assert_num_queries(0):
        assert periodic_tasks_enqueue_due(not_before=schedule) == schedule
