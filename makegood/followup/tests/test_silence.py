"""Silence: one reminder, then "no response". The case stays resolved; a late answer still counts."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from makegood.cases.models import Status
from makegood.followup.models import FollowUp, FollowUpEventKind, FollowUpPolicy, State
from makegood.followup.selectors import followup_outcomes
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, survey_paths, sweep

pytestmark = pytest.mark.django_db


def test_a_silent_customer_is_reminded_once_and_then_marked_no_response(alice, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        case = resolved_case(alice)
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
        follow_up = follow_up_of(case)
        assert follow_up.state == State.SENT
        assert follow_up.remind_at == T0 + timedelta(days=3)
        assert follow_up.give_up_at == T0 + timedelta(days=6)

        clock.shift(timedelta(days=2) - timedelta(minutes=1))
        assert sweep(django_capture_on_commit_callbacks)["reminded"] == 0
        clock.shift(timedelta(minutes=1))
        assert sweep(django_capture_on_commit_callbacks)["reminded"] == 1
        assert len(mail.outbox) == 2
        reminder = mail.outbox[1]
        assert reminder.subject.endswith("One minute: is your issue resolved?")
        assert "only reminder" in reminder.body
        follow_up.refresh_from_db()
        assert follow_up.state == State.REMINDED and follow_up.reminded_at == T0 + timedelta(days=3)

        # Only one reminder, however often the sweep runs.
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 2

        clock.shift(timedelta(days=2))
        assert sweep(django_capture_on_commit_callbacks)["no_response"] == 1
        follow_up.refresh_from_db()
        assert follow_up.state == State.NO_RESPONSE and follow_up.no_response_at == T0 + timedelta(days=6)
        case.refresh_from_db()
        assert case.status == Status.RESOLVED
        event = case.events.filter(kind=FollowUpEventKind.FOLLOW_UP, data__step="no_response").get()
        assert event.body == "No answer after 5 days: the case stays resolved."
        assert len(mail.outbox) == 2

    outcomes = followup_outcomes(first_day=T0.date(), last_day=T0.date() + timedelta(days=7))
    assert (outcomes.sent, outcomes.no_response, outcomes.answered, outcomes.response_rate) == (1, 1, 0, 0)


def test_a_late_answer_after_no_response_still_closes_or_reopens_the_case(
    client, alice, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as clock:
        case = resolved_case(alice)
        for days in (1, 2, 3):
            clock.move_to(T0 + timedelta(days=days * 3))
            sweep(django_capture_on_commit_callbacks)
        assert follow_up_of(case).state == State.NO_RESPONSE
        link = survey_paths()[-1]  # the reminder's
        client.post(link, {"resolved": "no", "satisfaction": "1"})
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.reopen_count == 1
    assert follow_up_of(case).state == State.ANSWERED


def test_the_policy_per_channel_sets_the_delay_the_reminder_and_the_silence(alice, django_capture_on_commit_callbacks):
    FollowUpPolicy.objects.create(
        channel="web", delay=timedelta(hours=2), remind_after=timedelta(hours=12), give_up_after=timedelta(days=1)
    )
    with time_machine.travel(T0, tick=False) as clock:
        case = resolved_case(alice)
        other = resolved_case(alice, channel="email", customer_email="eve@example.com")
        assert follow_up_of(case).due_at == T0 + timedelta(hours=2)
        assert follow_up_of(other).due_at == T0 + timedelta(days=1)  # the default
        clock.shift(timedelta(hours=2))
        sweep(django_capture_on_commit_callbacks)
        assert FollowUp.objects.get(case=case).give_up_at == T0 + timedelta(days=1, hours=2)
        assert FollowUp.objects.get(case=other).state == State.SCHEDULED
