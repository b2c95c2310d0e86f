"""The one pipeline: a message is sent after the commit, once per key, retried with back-off,
failed for good after its purpose's last attempt (visible, and its owner told), held while its
handler says so, and sent again by the sweep whatever went wrong before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Q
from django.test import override_settings

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.outbox import outbox_enqueue
from makegood.outbox.backoff import backoff_delay, lease
from makegood.outbox.handlers import Handler, SendResult, handler_for, register_handler
from makegood.outbox.models import MessageState, OutboxMessage
from makegood.outbox.pipeline import message_retry
from makegood.outbox.tasks import SWEEP_GRACE, deliver_message, sweep_outbox

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Recorder:
    """A test purpose: answers with the next result in `script` (ok once it is empty)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int]] = []
        self.script: list[SendResult] = []
        self.delivered: list[int] = []
        self.failed: list[int] = []
        self.holding = False

    def send(self, message: OutboxMessage) -> SendResult:
        self.sent.append((message.pk, message.attempts))
        return self.script.pop(0) if self.script else SendResult(ok=True, status=200)

    def held(self) -> Q | None:
        return Q(pk__isnull=False) if self.holding else None


@pytest.fixture
def recorder():
    previous = handler_for("test.echo")
    recorded = Recorder()
    register_handler(
        Handler(
            purpose="test.echo",
            send=recorded.send,
            delivered=lambda message: recorded.delivered.append(message.pk),
            failed=lambda message: recorded.failed.append(message.pk),
            held=recorded.held,
            max_attempts=3,
        )
    )
    yield recorded
    if previous is not None:
        register_handler(previous)


def test_a_message_is_sent_only_after_its_transaction_commits(recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox_enqueue(purpose="test.echo", target="someone", payload={"n": 1})
        assert recorder.sent == []
    message.refresh_from_db()
    assert recorder.sent == [(message.pk, 1)]
    assert (message.state, message.attempts, message.last_status_code) == (MessageState.DELIVERED, 1, 200)
    assert recorder.delivered == [message.pk]


def test_a_rolled_back_change_sends_nothing(recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(purpose="test.echo", payload={})
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert recorder.sent == []


def test_one_message_per_idempotency_key(recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_enqueue(purpose="test.echo", payload={}, key="case:1")
        again = outbox_enqueue(purpose="test.echo", payload={}, key="case:1")
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert len(recorder.sent) == 1


def test_an_unknown_purpose_is_refused_when_enqueued(db):
    with pytest.raises(ValueError, match="No outbox handler"):
        outbox_enqueue(purpose="nobody.handles.this", payload={})


def test_a_refused_message_backs_off_then_fails_for_good_and_its_owner_is_told(
    recorder, django_capture_on_commit_callbacks
):
    recorder.script[:] = [SendResult(ok=False, status=503, error="busy")] * 3
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox_enqueue(purpose="test.echo", payload={})
        message.refresh_from_db()
        assert (message.state, message.attempts, message.last_error) == (MessageState.PENDING, 1, "busy")
        assert message.next_attempt_at == START + backoff_delay(1)
        traveller.shift(backoff_delay(1) - timedelta(seconds=1))
        assert sweep_outbox.call() == 0
        traveller.shift(timedelta(seconds=1))
        assert sweep_outbox.call() == 1
        traveller.shift(backoff_delay(2))
        assert sweep_outbox.call() == 1
        traveller.shift(timedelta(days=1))
        assert sweep_outbox.call() == 0
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == (MessageState.FAILED, 3, None)
    assert recorder.failed == [message.pk] and recorder.delivered == []
    assert [attempt for _pk, attempt in recorder.sent] == [1, 2, 3]


def test_a_handler_that_raises_is_a_failed_attempt(recorder, django_capture_on_commit_callbacks):
    def explode(message: OutboxMessage) -> SendResult:
        raise OSError("mail server down")

    register_handler(Handler(purpose="test.boom", send=explode))
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(purpose="test.boom", payload={})
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (MessageState.PENDING, 1, "mail server down")


def test_a_held_message_waits_and_is_sent_when_released(recorder, django_capture_on_commit_callbacks):
    recorder.holding = True
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(purpose="test.echo", payload={})
    assert sweep_outbox.call() == 0
    deliver_message.call(message.pk)
    assert recorder.sent == []
    recorder.holding = False
    assert sweep_outbox.call() == 1
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED


def test_a_message_whose_sender_died_is_sent_again_once_its_lease_ends(recorder, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=False):
            message = outbox_enqueue(purpose="test.echo", payload={})
        # A worker claimed it and was killed before recording anything.
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=START + lease())
        deliver_message.call(message.pk)
        assert sweep_outbox.call() == 0
        traveller.shift(lease())
        assert sweep_outbox.call() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.DELIVERED, 2)
    assert recorder.sent == [(message.pk, 2)]


def test_a_failed_message_can_be_sent_again_from_the_admin(recorder, client, north, django_capture_on_commit_callbacks):
    dana = make_staff("dana", Role.ADMINISTRATOR, north)
    recorder.script[:] = [SendResult(ok=False, error="down")]
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(purpose="test.echo", payload={})
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED, next_attempt_at=None)
    client.force_login(dana)
    listing = client.get("/admin/outbox/outboxmessage/", {"state__exact": "failed"})
    assert listing.status_code == 200 and listing.context["cl"].result_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/outbox/outboxmessage/", {"action": "send_again", "_selected_action": [message.pk]}
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert not message_retry(message=message)


def test_a_frontline_employee_sees_no_outgoing_message(client, alice):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/outbox/outboxmessage/").status_code == 403


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}})
def test_with_a_queue_that_defers_a_dead_senders_message_is_swept_when_its_lease_ends(recorder):
    """A retry has its own deferred task (the sweep waits its grace); a dead sender's message has none."""
    with time_machine.travel(START, tick=False) as traveller:
        message = outbox_enqueue(purpose="test.echo", payload={})
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=1, next_attempt_at=START + lease(), claimed_by="1234/1"
        )
        traveller.shift(lease() - timedelta(seconds=1))
        assert sweep_outbox.call() == 0
        traveller.shift(timedelta(seconds=1))
        assert sweep_outbox.call() == 1
        # A refused attempt's retry is left to its own task for the grace.
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=START + lease(), claimed_by="")
        assert sweep_outbox.call() == 0
        traveller.shift(SWEEP_GRACE)
        assert sweep_outbox.call() == 1
