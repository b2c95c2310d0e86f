"""The follow-up on staff pages: the case page's card and the managers' report."""

from datetime import date, timedelta

import pytest
import time_machine

from makegood.followup.services import followup_answer
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(alice, charlie, south, django_capture_on_commit_callbacks):
    """Asked on 3 March: North's satisfied, reopened, silent e-mail and unrecorded call; South's one silent e-mail."""
    with time_machine.travel(T0, tick=False) as clock:
        happy = resolved_case(alice, customer_email="h@example.com")
        unhappy = resolved_case(alice, customer_email="u@example.com")
        silent = resolved_case(alice, customer_email="s@example.com")
        resolved_case(alice, channel="phone", customer_email="", customer_phone="+14155550100")
        resolved_case(charlie, customer_email="south@example.com", team=south)
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
        followup_answer(follow_up=follow_up_of(happy), via="web", resolved=True, satisfaction=5)
        followup_answer(follow_up=follow_up_of(unhappy), via="web", resolved=False, satisfaction=2)
        clock.shift(timedelta(days=6))
        sweep(django_capture_on_commit_callbacks)
    return {"happy": happy, "unhappy": unhappy, "silent": silent}


def test_the_case_page_shows_the_follow_up_and_the_answer(client, alice, outcomes):
    client.force_login(alice)
    html = client.get(f"/cases/{outcomes['happy'].reference}/").content.decode()
    assert 'data-testid="case-followups"' in html
    assert "Answered" in html and "on the survey page" in html
    assert "5 of 5" in html and "Satisfied: case closed" in html
    silent = client.get(f"/cases/{outcomes['silent'].reference}/").content.decode()
    assert "No response" in silent


def test_the_case_page_offers_the_owner_to_record_an_answer_given_by_phone(client, alice, outcomes):
    client.force_login(alice)
    silent = outcomes["silent"]
    html = client.get(f"/cases/{silent.reference}/").content.decode()
    assert f"/cases/{silent.reference}/follow-ups/{follow_up_of(silent).pk}/call/" in html


def test_a_manager_sees_the_outcomes_of_the_period(client, bob, outcomes):
    client.force_login(bob)
    response = client.get("/reports/follow-ups/", {"first_day": "2026-03-01", "last_day": "2026-03-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "North" in html  # a manager sees their own team's, not South's
    assert 'data-testid="sent">4<' in html
    assert 'data-testid="satisfied">1<' in html
    assert 'data-testid="dissatisfied">1<' in html
    assert 'data-testid="no-response">2<' in html  # the silent e-mail and the call nobody recorded
    assert 'data-testid="response-rate">50.0%<' in html


def test_the_report_counts_by_the_day_the_customer_was_asked_and_by_team(north, outcomes):
    from makegood.followup.selectors import followup_outcomes

    assert followup_outcomes(first_day=date(2026, 3, 4), last_day=date(2026, 3, 31)).sent == 0
    assert followup_outcomes(first_day=date(2026, 3, 3), last_day=date(2026, 3, 3)).sent == 5
    result = followup_outcomes(first_day=date(2026, 3, 3), last_day=date(2026, 3, 3), team=north)
    assert (result.sent, result.answered, result.satisfied, result.dissatisfied) == (4, 2, 1, 1)
    assert result.by_method["call"]["no_response"] == 1
    assert str(result.average_satisfaction) == "3.5"
    assert str(result.response_rate) == "0.500"


def test_frontline_staff_cannot_see_the_report_and_a_bad_range_is_a_400(client, alice, bob):
    client.force_login(alice)
    assert client.get("/reports/follow-ups/").status_code == 403
    client.force_login(bob)
    response = client.get("/reports/follow-ups/", {"first_day": "2026-03-31", "last_day": "2026-03-01"})
    assert response.status_code == 400
    assert "The first day must come before the last." in response.content.decode()
