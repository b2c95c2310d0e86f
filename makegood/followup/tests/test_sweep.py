"""The sweep and the follow-up's e-mails are safe to run twice, at once, or again after a crash.

The e-mails leave through the outbox, whose claim, lease and crash-restart are tested once in
`makegood/outbox` and `worker/tests/test_crash_restart.py`; here: that the follow-up queues each
e-mail once, moves on only when the outbox delivered it, and hears when the outbox gave up.
"""

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection

from makegood.accounts.models import Role
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.followup import tasks
from makegood.followup.emails import EMAIL_ATTEMPTS, REMINDER, SURVEY, THANKS
from makegood.followup.models import FollowUp, FollowUpEventKind, State
from makegood.followup.services import followup_cancel_pending
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, survey_paths, sweep
from makegood.outbox.models import MessageState, OutboxMessage
from makegood.outbox.tasks import deliver_message, sweep_outbox
from makegood.remedies.tests.conftest import real_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DUE = T0 + timedelta(days=1)
# Longer than any back-off of the outbox's first attempts: the next retry is due.
PAST_BACKOFF = timedelta(hours=7)


@pytest.fixture
def due(alice):
    with time_machine.travel(T0, tick=False):
        follow_up = follow_up_of(resolved_case(alice))
        sweep_outbox.call()  # the acknowledgement and the reply go out first
    mail.outbox.clear()
    return follow_up


def _message(purpose: str = SURVEY) -> OutboxMessage:
    return OutboxMessage.objects.get(purpose=purpose)


def test_two_sweeps_in_a_row_send_the_survey_once(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 0
    assert len(mail.outbox) == 1
    follow_up = FollowUp.objects.get()
    assert (follow_up.state, follow_up.sent_to, follow_up.pending_email) == (State.SENT, "dana@example.com", None)
    assert _message().state == MessageState.DELIVERED


def test_a_second_sweep_does_not_queue_what_the_first_queued_while_it_waits_in_the_outbox(
    due, django_capture_on_commit_callbacks
):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as first:
            tasks.sweep_followups.call()
        with django_capture_on_commit_callbacks(execute=False) as second:
            tasks.sweep_followups.call()
    assert (len(first), len(second)) == (1, 0)
    assert OutboxMessage.objects.filter(purpose=SURVEY).count() == 1
    assert FollowUp.objects.get().state == State.SCHEDULED  # not sent until the outbox delivered it


def test_a_delivery_run_again_after_it_finished_sends_nothing(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        deliver_message.call(_message().pk)
        deliver_message.call(_message().pk)  # the worker retried a task that had finished
    assert len(mail.outbox) == 1
    assert FollowUp.objects.get().state == State.SENT


def test_a_survey_waiting_in_the_outbox_is_withdrawn_when_the_case_is_reopened(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        followup_cancel_pending(case=due.case, reason="The customer wrote again.")
        deliver_message.call(_message().pk)
        sweep_outbox.call()
    assert mail.outbox == []
    assert _message().state == MessageState.CANCELLED
    assert FollowUp.objects.get().state == State.CANCELLED


def test_an_e_mail_the_follow_up_no_longer_waits_for_is_withdrawn_when_its_turn_comes(
    due, django_capture_on_commit_callbacks
):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        # As if the follow-up had moved on in the instant the outbox claimed the message.
        FollowUp.objects.update(pending_email=None)
        deliver_message.call(_message().pk)
    assert mail.outbox == []
    assert _message().state == MessageState.CANCELLED
    assert FollowUp.objects.get().state == State.SCHEDULED


def test_a_survey_whose_task_was_lost_is_sent_by_the_outbox_sweep_once(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        # The worker died before running the delivery task: the message waits in the outbox.
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        assert mail.outbox == []
        assert sweep_outbox.call() == 1
        assert sweep_outbox.call() == 0
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 0
    assert len(mail.outbox) == 1
    assert FollowUp.objects.get().state == State.SENT


def test_a_failing_mail_server_is_retried_and_then_the_follow_up_is_cancelled_on_the_timeline(
    due, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(DUE, tick=False) as clock,
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("connection refused")),
    ):
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
        for attempt in range(1, EMAIL_ATTEMPTS + 1):
            message = _message()
            assert message.attempts == attempt
            if attempt < EMAIL_ATTEMPTS:
                assert message.state == MessageState.PENDING and "connection refused" in message.last_error
                assert FollowUp.objects.get().state == State.SCHEDULED
                clock.shift(PAST_BACKOFF)
                assert sweep_outbox.call() == 1
    assert _message().state == MessageState.FAILED
    follow_up = FollowUp.objects.get()
    assert follow_up.state == State.CANCELLED and follow_up.pending_email is None
    assert "could not be e-mailed after 5 attempts" in follow_up.cancel_reason
    assert follow_up.case.events.filter(kind=FollowUpEventKind.FOLLOW_UP, data__step="send_failed").exists()


def test_a_transient_failure_is_followed_by_one_successful_send(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False) as clock:
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("try later")):
            sweep(django_capture_on_commit_callbacks)
        assert FollowUp.objects.get().state == State.SCHEDULED
        clock.shift(PAST_BACKOFF)
        sweep_outbox.call()
        sweep_outbox.call()
        sweep(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert (FollowUp.objects.get().state, _message().attempts) == (State.SENT, 2)


def test_a_reminder_the_outbox_gave_up_on_leaves_the_answer_window_open(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False) as clock:
        sweep(django_capture_on_commit_callbacks)
        clock.move_to(FollowUp.objects.get().remind_at)
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mailbox full")):
            assert sweep(django_capture_on_commit_callbacks)["reminded"] == 1
            for _ in range(EMAIL_ATTEMPTS - 1):
                clock.shift(PAST_BACKOFF)
                sweep_outbox.call()
    assert _message(REMINDER).state == MessageState.FAILED
    follow_up = FollowUp.objects.get()
    assert (follow_up.state, follow_up.remind_at, follow_up.pending_email) == (State.SENT, None, None)
    assert follow_up.case.events.filter(kind=FollowUpEventKind.FOLLOW_UP, data__step="remind_failed").exists()


def test_a_lost_thank_you_is_sent_by_the_outbox_sweep_once(client, due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        sweep(django_capture_on_commit_callbacks)
        [link] = survey_paths()
        with django_capture_on_commit_callbacks(execute=False):  # the worker died: the delivery task is lost
            client.post(link, {"resolved": "yes", "satisfaction": "5"})
        assert len(mail.outbox) == 1
        assert sweep_outbox.call() == 1
        assert sweep_outbox.call() == 0
    assert [m.subject.split("] ")[1] for m in mail.outbox] == ["Is your issue resolved?", "Thank you"]
    assert _message(THANKS).state == MessageState.DELIVERED
    assert FollowUp.objects.get().thanked_at is not None


@pytest.mark.django_db(transaction=True)
def test_sweeps_running_at_the_same_time_send_each_survey_exactly_once(real_database):  # noqa: F811
    alice = make_staff("alice", Role.FRONTLINE, TeamFactory.create(name="North", receives_unrouted=True))
    with time_machine.travel(T0, tick=False):
        for i in range(5):
            resolved_case(alice, customer_email=f"c{i}@example.com")
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            tasks.sweep_followups.call()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(DUE, tick=False):
        threads = [threading.Thread(target=run) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    surveys = [m.to[0] for m in mail.outbox if m.subject.endswith("Is your issue resolved?")]
    assert sorted(surveys) == [f"c{i}@example.com" for i in range(5)]
    assert set(FollowUp.objects.values_list("state", flat=True)) == {State.SENT}
