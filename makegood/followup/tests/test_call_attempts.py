"""A follow-up call that did not get the answers: couldn't reach them, voicemail, call back at a
time. Each try is on the timeline; the call stays on the list, a call-back at its time."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from makegood.cases.services import CaseActionError
from makegood.followup.attempts import followup_call_attempt_record
from makegood.followup.models import CallAttempt, State
from makegood.followup.selectors import calls_to_make_for
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, sweep

pytestmark = pytest.mark.django_db

PHONE = {"customer_email": "", "customer_phone": "+1 415 555 0100", "customer_name": "Eli Moss"}


@pytest.fixture
def calls_due(alice, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        first = resolved_case(alice, channel="phone", **PHONE)
        second = resolved_case(alice, channel="phone", customer_email="", customer_phone="+1 415 555 0199")
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
    return follow_up_of(first), follow_up_of(second)


def attempt_url(follow_up):
    return f"/cases/{follow_up.case.reference}/follow-ups/{follow_up.pk}/attempt/"


def test_couldnt_reach_and_voicemail_are_recorded_and_the_call_stays_on_the_list(client, alice, calls_due):
    first, _second = calls_due
    client.force_login(alice)
    response = client.post(attempt_url(first), {"outcome": "no_answer"})
    assert response.status_code == 302 and response["Location"] == "/follow-ups/calls/"
    client.post(attempt_url(first), {"outcome": "voicemail", "note": "Left our number."})
    assert list(CallAttempt.objects.values_list("outcome", flat=True)) == ["no_answer", "voicemail"]
    first.refresh_from_db()
    assert first.state == State.SENT and first in calls_to_make_for(alice)
    lines = list(first.case.events.filter(kind="followup_call_attempt").values_list("body", flat=True))
    assert lines == ["Couldn't reach them.", "Left a voicemail. Left our number."]
    html = client.get("/follow-ups/calls/", headers={"HX-Request": "true"}).content.decode()
    assert "voicemail left" in html


def test_a_call_back_comes_up_at_its_time(client, alice, calls_due):
    first, second = calls_due
    assert [f.pk for f in calls_to_make_for(alice)] == [first.pk, second.pk]
    later = timezone.now() + timedelta(days=2)
    followup_call_attempt_record(follow_up=first, user=alice, outcome="call_back", call_back_at=later)
    assert [f.pk for f in calls_to_make_for(alice)] == [second.pk, first.pk]
    client.force_login(alice)
    html = client.get("/follow-ups/calls/").content.decode()
    assert 'data-testid="call-back"' in html and "<h1>Calls to make</h1>" in html


def test_a_call_back_needs_a_time_in_the_next_30_days(client, alice, calls_due):
    first, _ = calls_due
    client.force_login(alice)
    for when in (
        "",
        "not a date",
        (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "2099-01-01T10:00",
    ):
        response = client.post(attempt_url(first), {"outcome": "call_back", "call_back_at": when})
        assert response.status_code == 302
    assert not CallAttempt.objects.exists()


def test_charlie_gets_404_and_a_teammate_who_is_not_the_owner_is_refused(client, charlie, north, calls_due):
    from makegood.accounts.models import Role
    from makegood.cases.tests.factories import make_staff

    first, _ = calls_due
    client.force_login(charlie)
    assert client.post(attempt_url(first), {"outcome": "no_answer"}).status_code == 404
    mate = make_staff("nina", Role.FRONTLINE, north)
    with pytest.raises(CaseActionError):
        followup_call_attempt_record(follow_up=first, user=mate, outcome="no_answer")
    assert not CallAttempt.objects.exists()


def test_the_call_sheet_offers_the_outcomes(client, alice, calls_due):
    first, _ = calls_due
    client.force_login(alice)
    html = client.get(f"/cases/{first.case.reference}/follow-ups/{first.pk}/call/").content.decode()
    assert 'data-testid="call-attempt"' in html
    for label in ("Couldn&#x27;t reach them", "Left a voicemail", "Asked to be called back"):
        assert label in html
