"""Phone and in-person customers are called back: the call appears on the owner's list, the owner
records the four answers, and the answers close or reopen the case like a survey's."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from makegood.accounts.models import Role
from makegood.cases.models import Notification, Status
from makegood.cases.tests.factories import make_staff
from makegood.followup.models import FollowUp, FollowUpNotificationKind, Method, Outcome, State, Via
from makegood.followup.selectors import calls_to_make_for
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, sweep
from makegood.recovery.models import Suggestion

pytestmark = pytest.mark.django_db

PHONE = {"customer_email": "", "customer_phone": "+1 415 555 0100", "customer_name": "Eli Moss"}


@pytest.fixture
def call_due(alice, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        case = resolved_case(alice, channel="phone", **PHONE)
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
    return follow_up_of(case)


def call_url(follow_up: FollowUp) -> str:
    return f"/cases/{follow_up.case.reference}/follow-ups/{follow_up.pk}/call/"


def test_a_phone_customer_gets_a_call_on_the_owners_list_not_an_email(alice, call_due):
    assert call_due.method == Method.CALL and call_due.state == State.SENT
    assert call_due.sent_to == "+14155550100"
    assert mail.outbox == []
    notice = Notification.objects.get(kind=FollowUpNotificationKind.CALL_DUE)
    assert notice.user == alice and notice.case_id == call_due.case_id
    assert "Eli Moss" in notice.message
    assert calls_to_make_for(alice) == [call_due]


def test_an_in_person_customer_with_a_phone_is_called_and_one_without_is_emailed(alice):
    called = resolved_case(alice, channel="in_person", customer_phone="+1 415 555 0101", customer_email="")
    emailed = resolved_case(alice, channel="in_person", customer_email="gus@example.com")
    assert follow_up_of(called).method == Method.CALL
    assert follow_up_of(emailed).method == Method.EMAIL


def test_the_queue_lists_the_calls_to_make_with_a_link_to_record_them(client, alice, bob, call_due):
    client.force_login(alice)
    assert 'hx-get="/follow-ups/calls/"' in client.get("/queue/").content.decode()
    html = client.get("/follow-ups/calls/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="calls-to-make"' in html
    assert call_url(call_due) in html
    assert 'href="tel:+14155550100"' in html
    client.force_login(bob)  # the owner's call, not the manager's
    assert client.get("/follow-ups/calls/", headers={"HX-Request": "true"}).content.decode().strip() == ""
    # Opened directly (the top navigation's "Calls"), it is a page of its own, styled.
    page = client.get("/follow-ups/calls/").content.decode()
    assert "<h1>Calls to make</h1>" in page and "makegood.css" in page and 'data-testid="no-calls"' in page


def test_the_owner_records_a_satisfied_call_and_the_case_closes(client, alice, call_due):
    client.force_login(alice)
    page = client.get(call_url(call_due))
    assert page.status_code == 200
    assert "Does the customer say the issue is resolved?" in page.content.decode()
    response = client.post(
        call_url(call_due),
        {"resolved": "yes", "satisfaction": "4", "comment": "Happy now.", "suggestion": "Call sooner."},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{call_due.case.reference}/"
    call_due.refresh_from_db()
    answer = call_due.answer
    assert (answer.via, answer.recorded_by, answer.outcome) == (Via.CALL, alice, Outcome.CLOSED)
    assert call_due.case.status == Status.CLOSED
    assert Suggestion.objects.get(case=call_due.case).recorded_by == alice
    assert not Notification.objects.filter(kind=FollowUpNotificationKind.CALL_DUE, read_at__isnull=True).exists()
    assert calls_to_make_for(alice) == []
    assert mail.outbox == []  # thanked on the phone, not by e-mail


def test_an_unhappy_call_reopens_the_case(client, alice, call_due):
    client.force_login(alice)
    client.post(call_url(call_due), {"resolved": "yes", "satisfaction": "1"})
    case = call_due.case
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.reopen_count == 1
    assert case.events.filter(kind="reopened", actor=alice).exists()


def test_the_call_sheet_rejects_incomplete_answers_with_messages(client, alice, call_due):
    client.force_login(alice)
    response = client.post(call_url(call_due), {"satisfaction": "9"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose yes or no." in html and "Choose a score from 1 to 5." in html
    call_due.refresh_from_db()
    assert call_due.state == State.SENT


def test_charlie_gets_a_404_and_a_teammate_who_does_not_own_it_a_403(client, north, charlie, call_due):
    client.force_login(charlie)
    assert client.get(call_url(call_due)).status_code == 404
    dora = make_staff("dora", Role.FRONTLINE, north)
    client.force_login(dora)
    assert client.get(call_url(call_due)).status_code == 403
    assert client.post(call_url(call_due), {"resolved": "yes", "satisfaction": "5"}).status_code == 403
    call_due.refresh_from_db()
    assert call_due.state == State.SENT


def test_a_manager_may_record_the_call_for_the_owner(client, bob, call_due):
    client.force_login(bob)
    client.post(call_url(call_due), {"resolved": "yes", "satisfaction": "5"})
    call_due.refresh_from_db()
    assert call_due.answer.recorded_by == bob


def test_an_unrecorded_call_is_put_back_on_the_list_once_then_marked_no_response(
    alice, call_due, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0 + timedelta(days=3), tick=False) as clock:
        sweep(django_capture_on_commit_callbacks)
        call_due.refresh_from_db()
        assert call_due.state == State.REMINDED
        assert Notification.objects.filter(kind=FollowUpNotificationKind.CALL_DUE, user=alice).count() == 2
        assert calls_to_make_for(alice) == [call_due]
        clock.shift(timedelta(days=3))
        sweep(django_capture_on_commit_callbacks)
    call_due.refresh_from_db()
    assert call_due.state == State.NO_RESPONSE
    assert calls_to_make_for(alice) == []
    assert not Notification.objects.filter(kind=FollowUpNotificationKind.CALL_DUE, read_at__isnull=True).exists()
