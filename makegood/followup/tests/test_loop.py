"""The whole loop, with the clock moved by hand: resolved -> asked a day later -> "not resolved"
-> reopened -> resolved again -> asked again -> satisfied -> closed and thanked."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from makegood.cases.kinds import EventKind
from makegood.cases.models import Notification, Priority, Status
from makegood.followup import signals
from makegood.followup.models import FollowUp, FollowUpEventKind, Method, Outcome, State
from makegood.followup.tests.helpers import T0, resolve_again, resolved_case, survey_paths, sweep
from makegood.recovery.models import Suggestion

pytestmark = pytest.mark.django_db


def test_the_loop_runs_from_resolution_to_closure_through_a_reopen(client, alice, django_capture_on_commit_callbacks):
    answered = []

    def heard(sender, follow_up, at, **kwargs):
        answered.append((follow_up.pk, follow_up.state, at))

    signals.followup_answered.connect(heard)
    try:
        with time_machine.travel(T0, tick=False) as clock:
            case = resolved_case(alice)
            first = FollowUp.objects.get(case=case)
            assert (first.method, first.state, first.due_at) == (Method.EMAIL, State.SCHEDULED, T0 + timedelta(days=1))

            # Not yet: the customer is asked one day after resolution, not before.
            clock.shift(timedelta(hours=23))
            assert sweep(django_capture_on_commit_callbacks)["sent"] == 0
            assert mail.outbox == []

            clock.shift(timedelta(hours=1, minutes=1))
            assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
            first.refresh_from_db()
            assert first.state == State.SENT and first.sent_to == "dana@example.com"
            [survey] = mail.outbox
            assert survey.to == ["dana@example.com"]
            assert survey.subject == f"[{case.reference}] Is your issue resolved?"
            [link] = survey_paths()

            # The customer says it is not resolved: the case comes back, first in line.
            clock.shift(timedelta(hours=3))
            page = client.get(link)
            assert page.status_code == 200
            assert "Is your issue resolved?" in page.content.decode()
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    link, {"resolved": "no", "satisfaction": "2", "comment": "The new lamp flickers too."}
                )
            assert response.status_code == 302 and response["Location"] == link
            case.refresh_from_db()
            assert case.status == Status.OPEN
            assert case.priority == Priority.HIGH
            assert case.reopen_count == 1
            assert case.first_response_due_at > T0 + timedelta(days=1, hours=4)
            first.refresh_from_db()
            assert first.state == State.ANSWERED and first.answer.outcome == Outcome.REOPENED
            assert Notification.objects.filter(case=case, kind=Notification.Kind.REOPENED, user=alice).exists()
            assert case.events.filter(kind=EventKind.REOPENED, body__contains="not resolved").exists()
            assert len(mail.outbox) == 1  # no thank-you for an unhappy customer

            # The owner puts it right and resolves again: a second follow-up, a day later.
            clock.shift(timedelta(hours=2))
            case = resolve_again(case, alice)
            second = FollowUp.objects.get(case=case, state=State.SCHEDULED)
            assert second.due_at == T0 + timedelta(days=2, hours=5, minutes=1)
            clock.shift(timedelta(days=1, minutes=1))
            assert sweep(django_capture_on_commit_callbacks)["sent"] == 1
            [link2] = survey_paths(since=1)
            assert link2 != link

            # Satisfied this time: closed, thanked, and the suggestion passed on.
            with django_capture_on_commit_callbacks(execute=True):
                client.post(link2, {"resolved": "yes", "satisfaction": "4", "suggestion": "Test lamps before sending."})
            case.refresh_from_db()
            assert case.status == Status.CLOSED
            assert case.closed_at == T0 + timedelta(days=2, hours=5, minutes=2)
            second.refresh_from_db()
            assert second.state == State.ANSWERED and second.answer.outcome == Outcome.CLOSED
            assert second.thanked_at is not None
            thanks = mail.outbox[-1]
            assert thanks.subject == f"[{case.reference}] Thank you" and thanks.to == ["dana@example.com"]
            assert Suggestion.objects.get(case=case).text == "Test lamps before sending."

            # The sweep finds nothing more to do, and nothing is sent twice.
            clock.shift(timedelta(days=10))
            sweep(django_capture_on_commit_callbacks)
            assert len(mail.outbox) == 3
    finally:
        signals.followup_answered.disconnect(heard)

    assert [(pk, state) for pk, state, _at in answered] == [(first.pk, State.ANSWERED), (second.pk, State.ANSWERED)]
    steps = [e.data["step"] for e in case.events.filter(kind=FollowUpEventKind.FOLLOW_UP).order_by("at", "pk")]
    assert steps == ["sent", "answered", "sent", "answered", "thanked"]
    statuses = [
        (e.data["from"], e.data["to"]) for e in case.events.filter(kind=EventKind.STATUS_CHANGED).order_by("at", "pk")
    ]
    assert statuses[-4:] == [("open", "resolved"), ("resolved", "open"), ("open", "resolved"), ("resolved", "closed")]
