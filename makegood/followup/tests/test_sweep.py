"""The sweep and the send tasks are safe to run twice, at once, or again after a crash."""

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
from makegood.followup.models import FollowUp, FollowUpEventKind, State
from makegood.followup.services import LEASE, MAX_ATTEMPTS
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, survey_paths, sweep
from makegood.remedies.tests.conftest import real_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DUE = T0 + timedelta(days=1)


@pytest.fixture
def due(alice):
    with time_machine.travel(T0, tick=False):
        return follow_up_of(resolved_case(alice))


def test_two_sweeps_in_a_row_send_the_survey_once(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_second_sweep_does_not_lease_what_the_first_leased_while_its_task_is_pending(
    due, django_capture_on_commit_callbacks
):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as first:
            tasks.sweep_followups.call()
        with django_capture_on_commit_callbacks(execute=False) as second:
            tasks.sweep_followups.call()
    assert (len(first), len(second)) == (1, 0)


def test_a_task_run_again_after_it_finished_sends_nothing(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        token = FollowUp.objects.get().lease_token
        tasks.send_followup.call(due.pk, token)
        tasks.send_followup.call(due.pk, token)  # the worker retried a task that had finished
    assert len(mail.outbox) == 1
    assert FollowUp.objects.get().state == State.SENT


def test_a_task_whose_lease_was_given_to_another_does_nothing(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        tasks.send_followup.call(due.pk, "not-the-lease")
    assert mail.outbox == []
    assert FollowUp.objects.get().state == State.SCHEDULED


def test_work_lost_in_a_crash_is_leased_again_after_the_lease_runs_out(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False) as clock:
        # The worker died before running the task: the lease stands, nothing was sent.
        with django_capture_on_commit_callbacks(execute=False):
            tasks.sweep_followups.call()
        clock.shift(LEASE - timedelta(seconds=1))
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 0
        clock.shift(timedelta(seconds=2))
        assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
    assert len(mail.outbox) == 1
    assert FollowUp.objects.get().state == State.SENT


def test_a_failing_mail_server_is_retried_and_then_the_follow_up_is_cancelled_on_the_timeline(
    due, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(DUE, tick=False) as clock,
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("connection refused")),
    ):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
            follow_up = FollowUp.objects.get()
            assert follow_up.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert follow_up.state == State.SCHEDULED and follow_up.last_error == "connection refused"
            clock.shift(LEASE + timedelta(seconds=1))
    follow_up = FollowUp.objects.get()
    assert follow_up.state == State.CANCELLED
    assert "could not be e-mailed after 5 attempts" in follow_up.cancel_reason
    assert follow_up.case.events.filter(kind=FollowUpEventKind.FOLLOW_UP, data__step="send_failed").exists()


def test_a_transient_failure_is_followed_by_one_successful_send(due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False) as clock:
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("try later")):
            sweep(django_capture_on_commit_callbacks)
        clock.shift(LEASE + timedelta(seconds=1))
        sweep(django_capture_on_commit_callbacks)
        sweep(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    follow_up = FollowUp.objects.get()
    assert (follow_up.state, follow_up.attempts, follow_up.last_error) == (State.SENT, 0, "")


def test_a_lost_thank_you_is_sent_by_the_sweep_once(client, due, django_capture_on_commit_callbacks):
    with time_machine.travel(DUE, tick=False) as clock:
        sweep(django_capture_on_commit_callbacks)
        [link] = survey_paths()
        with django_capture_on_commit_callbacks(execute=False):  # the worker died: the thank-you task is lost
            client.post(link, {"resolved": "yes", "satisfaction": "5"})
        assert len(mail.outbox) == 1
        clock.shift(LEASE + timedelta(seconds=1))
        assert sweep(django_capture_on_commit_callbacks)["thanked"] == 1
        assert sweep(django_capture_on_commit_callbacks)["thanked"] == 0
    assert [m.subject.split("] ")[1] for m in mail.outbox] == ["Is your issue resolved?", "Thank you"]


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
