"""Refused deliveries come back on a back-off schedule, give up after the last attempt, are never
sent by two workers at once, and are picked up by the sweep whatever went wrong before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks_db.models import DBTaskResult

from makegood.cases.tests.factories import make_case
from makegood.outbox.client import PostResult
from makegood.outbox.tasks import SWEEP_GRACE, deliver_message, sweep_outbox
from makegood.webhooks import delivery as delivery_module
from makegood.webhooks.delivery import LEASE, MAX_ATTEMPTS, PURPOSE, backoff_delay
from makegood.webhooks.models import DeliveryState, WebhookDelivery

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_back_off_schedule_is_fixed_and_capped():
    schedule = [backoff_delay(attempt) for attempt in range(1, MAX_ATTEMPTS)]
    assert schedule == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
        timedelta(minutes=32),
        timedelta(hours=2, minutes=8),
        timedelta(hours=6),
        timedelta(hours=6),
    ]


def test_a_refused_delivery_is_retried_with_back_off_until_it_is_delivered(
    endpoint, hook_server, north, django_capture_on_commit_callbacks
):
    hook_server.script[:] = [500, 503]
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            make_case()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.PENDING, 1, 500)
        assert "500" in delivery.last_error
        assert delivery.next_attempt_at == START + timedelta(seconds=30)

        traveller.shift(timedelta(seconds=29))
        assert sweep_outbox.call(PURPOSE) == 0
        assert len(hook_server.received) == 1

        traveller.shift(timedelta(seconds=1))
        assert sweep_outbox.call(PURPOSE) == 1
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status_code) == (2, 503)
        assert delivery.next_attempt_at == START + timedelta(seconds=30) + timedelta(minutes=2)

        traveller.shift(timedelta(minutes=2))
        sweep_outbox.call(PURPOSE)
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.DELIVERED, 3, 200)
        assert delivery.delivered_at == START + timedelta(seconds=150)
        assert delivery.next_attempt_at is None and delivery.last_error == ""

        traveller.shift(timedelta(hours=1))
        assert sweep_outbox.call(PURPOSE) == 0
    assert len(hook_server.received) == 3
    assert all(r.verified for r in hook_server.received)
    assert len({r.headers["Makegood-Delivery"] for r in hook_server.received}) == 1
    assert [r.headers["Makegood-Attempt"] for r in hook_server.received] == ["1", "2", "3"]
    assert len({r.body for r in hook_server.received}) == 1


def test_a_delivery_refused_every_time_fails_after_the_last_attempt(
    endpoint, hook_server, north, django_capture_on_commit_callbacks
):
    hook_server.script[:] = [500] * MAX_ATTEMPTS
    waits: list[timedelta] = []
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            make_case()
        delivery = WebhookDelivery.objects.get()
        while delivery.state == DeliveryState.PENDING:
            wait = delivery.next_attempt_at - START - sum(waits, timedelta())
            waits.append(wait)
            traveller.shift(wait)
            sweep_outbox.call(PURPOSE)
            delivery.refresh_from_db()
        traveller.shift(timedelta(days=2))
        assert sweep_outbox.call(PURPOSE) == 0
    assert waits == [backoff_delay(attempt) for attempt in range(1, MAX_ATTEMPTS)]
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.FAILED, MAX_ATTEMPTS, 500)
    assert delivery.next_attempt_at is None
    assert len(hook_server.received) == MAX_ATTEMPTS


def test_an_unreachable_endpoint_is_retried_and_says_why(endpoint, north, django_capture_on_commit_callbacks):
    endpoint.url = "http://127.0.0.1:9/closed-port"
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_case()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.PENDING, 1, None)
    assert delivery.last_error.startswith("Could not reach the endpoint")


def test_a_delivery_being_sent_is_not_sent_again_by_another_worker_or_the_sweep(
    endpoint, north, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        make_case()
    delivery = WebhookDelivery.objects.get()
    posted = []

    def post(url, *, body, headers):
        posted.append(headers["Makegood-Attempt"])
        if len(posted) == 1:
            # While the first worker waits for the endpoint, a second one and the sweep run.
            deliver_message.call(delivery.pk)
            sweep_outbox.call(PURPOSE)
        return PostResult(status=204)

    monkeypatch.setattr(delivery_module.transport, "post", post)
    deliver_message.call(delivery.pk)
    deliver_message.call(delivery.pk)  # a duplicate task after the delivery went out
    assert posted == ["1"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.DELIVERED, 1, 204)


def test_the_sweep_sends_a_delivery_whose_task_was_lost(
    endpoint, hook_server, north, django_capture_on_commit_callbacks
):
    # The process died between the commit and the enqueue: the row is there, no task is.
    with django_capture_on_commit_callbacks(execute=False):
        make_case()
    assert hook_server.received == []
    assert sweep_outbox.call(PURPOSE) == 1
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED
    assert len(hook_server.received) == 1


def test_a_delivery_whose_sender_died_is_sent_again_once_its_lease_ends(
    endpoint, hook_server, north, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=False):
            make_case()
        # A worker claimed it (as `delivery_attempt` does) and was killed before recording anything.
        WebhookDelivery.objects.update(attempts=1, next_attempt_at=START + LEASE)
        assert sweep_outbox.call(PURPOSE) == 0
        traveller.shift(LEASE)
        assert sweep_outbox.call(PURPOSE) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)
    assert [r.headers["Makegood-Attempt"] for r in hook_server.received] == ["2"]


def test_deliveries_of_a_deactivated_endpoint_wait_until_it_is_active_again(
    endpoint, hook_server, north, django_capture_on_commit_callbacks
):
    hook_server.script[:] = [500]
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            make_case()
        endpoint.active = False
        endpoint.save()
        traveller.shift(timedelta(hours=1))
        assert sweep_outbox.call(PURPOSE) == 0
        deliver_message.call(WebhookDelivery.objects.get().pk)
        assert len(hook_server.received) == 1
        endpoint.active = True
        endpoint.save()
        assert sweep_outbox.call(PURPOSE) == 1
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}})
def test_with_a_queue_that_defers_a_retry_is_enqueued_for_its_time_and_the_sweep_waits_for_it(
    endpoint, hook_server, north, django_capture_on_commit_callbacks
):
    hook_server.script[:] = [500]
    queue = task_backends["default"]
    assert isinstance(queue, DummyBackend)
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=False):
            make_case()
        delivery = WebhookDelivery.objects.get()
        deliver_message.call(delivery.pk)
        [retry] = queue.results
        assert retry.task.func is deliver_message.func
        assert retry.args == [delivery.pk]
        assert retry.task.run_after == START + timedelta(seconds=30)

        # The retry's own task is due; the sweep leaves it its grace before enqueuing it again.
        traveller.shift(timedelta(seconds=30) + SWEEP_GRACE - timedelta(seconds=1))
        assert sweep_outbox.call(PURPOSE) == 0
        traveller.shift(timedelta(seconds=1))
        assert sweep_outbox.call(PURPOSE) == 1
        assert len(queue.results) == 2


# Real commits: the worker closes the connection between tasks, as in production.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_on_the_database_queue_the_worker_sends_retries_at_their_time(endpoint, hook_server, north):
    def work() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)

    hook_server.script[:] = [500]
    with time_machine.travel(START, tick=False) as traveller:
        make_case()
        assert hook_server.received == []  # queued, not sent: the worker sends it
        work()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, len(hook_server.received)) == (DeliveryState.PENDING, 1, 1)
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.task_path == "makegood.outbox.tasks.deliver_message"
        assert retry.run_after == START + timedelta(seconds=30)

        traveller.shift(timedelta(seconds=29))
        work()
        assert len(hook_server.received) == 1
        traveller.shift(timedelta(seconds=1))
        work()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, len(hook_server.received)) == (DeliveryState.DELIVERED, 2, 2)
    assert not DBTaskResult.objects.filter(status="READY").exists()
