"""The customer's survey page: signed, expiring links; one answer per link; clear errors."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError

from makegood.cases.models import Status
from makegood.cases.services import case_close
from makegood.followup.links import SURVEY_SALT, survey_token
from makegood.followup.models import FollowUp, FollowUpAnswer, State
from makegood.followup.services import AlreadyAnswered, FollowUpError, followup_answer
from makegood.followup.tests.helpers import (
    ANSWER_SATISFIED,
    T0,
    follow_up_of,
    resolved_case,
    survey_paths,
    sweep,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(alice, django_capture_on_commit_callbacks):
    """A web customer's follow-up, e-mailed at T0 + 1 day; returns (follow-up, link path)."""
    with time_machine.travel(T0, tick=False) as clock:
        case = resolved_case(alice, customer_name="Dana Whitfield", customer_email="dana.whitfield@example.com")
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
    [link] = survey_paths()
    return follow_up_of(case), link


def at(days: float):
    return time_machine.travel(T0 + timedelta(days=days), tick=False)


def test_the_link_carries_only_a_signed_id_and_nonce_and_no_customer_data(sent):
    follow_up, link = sent
    assert "dana" not in link.lower() and "whitfield" not in link.lower() and "example" not in link
    token = link.removeprefix("/survey/").removesuffix("/")
    with at(1):
        payload = signing.loads(token, salt=SURVEY_SALT)
    assert payload == {"f": follow_up.pk, "n": follow_up.nonce}
    assert len(follow_up.nonce) >= 20


def test_the_survey_needs_no_login_and_asks_the_four_questions_accessibly(client, sent):
    _follow_up, link = sent
    with at(1.1):
        response = client.get(link)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="viewport"' in html
    assert html.count("<fieldset") == 2 and "<legend" in html
    assert "Is your issue resolved?" in html
    assert "How satisfied are you with how we handled it?" in html
    assert '<label for="id_comment"' in html and '<label for="id_suggestion"' in html
    assert "Is there anything we could do better?" in html
    assert 'for="id_satisfaction_0"' in html and "5: Very satisfied" in html
    assert "csrfmiddlewaretoken" in html


def test_a_tampered_link_gets_a_clear_400_page(client, sent):
    follow_up, link = sent
    token = link.removeprefix("/survey/").removesuffix("/")
    forged = signing.dumps({"f": follow_up.pk + 1, "n": follow_up.nonce}, salt="not-our-salt")
    changed = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with at(1.1):
        for bad in (changed, token[:20], forged, "nonsense", token + "x"):
            response = client.get(f"/survey/{bad}/")
            assert response.status_code == 400, bad
            assert "This link does not work" in response.content.decode()
        assert client.post(f"/survey/{changed}/", ANSWER_SATISFIED).status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.state == State.SENT


def test_a_signed_link_whose_nonce_does_not_match_is_refused(client, sent):
    follow_up, _link = sent
    with at(1.1):
        wrong = signing.dumps({"f": follow_up.pk, "n": "guessed"}, salt=SURVEY_SALT)
        assert client.get(f"/survey/{wrong}/").status_code == 400


def test_an_expired_link_gets_a_clear_410_page_and_takes_no_answer(client, sent):
    _follow_up, link = sent
    with at(1 + 13.9):
        assert client.get(link).status_code == 200
    with at(1 + 14.1):
        response = client.get(link)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert client.post(link, ANSWER_SATISFIED).status_code == 410
    assert not FollowUpAnswer.objects.exists()


def test_one_answer_per_link_a_second_submit_shows_the_recorded_answer(client, sent):
    follow_up, link = sent
    with at(1.1):
        client.post(link, {"resolved": "yes", "satisfaction": "4", "comment": "Quick and kind."})
        again = client.post(link, {"resolved": "no", "satisfaction": "1"})
        html = again.content.decode()
        assert again.status_code == 200
        assert "Thank you for your answer" in html
        assert "4 of 5" in html and "Quick and kind." in html
        revisit = client.get(link).content.decode()
    assert 'data-testid="recorded-answer"' in revisit and "4 of 5" in revisit
    answer = FollowUpAnswer.objects.get()
    assert (answer.resolved, answer.satisfaction) == (True, 4)
    assert follow_up.case.__class__.objects.get(pk=follow_up.case_id).status == Status.CLOSED


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Choose yes or no.", "Choose a score from 1 to 5."]),
        ({"resolved": "yes"}, ["Choose a score from 1 to 5."]),
        ({"resolved": "maybe", "satisfaction": "3"}, ["Choose yes or no."]),
        ({"resolved": "yes", "satisfaction": "6"}, ["Choose a score from 1 to 5."]),
        ({"resolved": "yes", "satisfaction": "0"}, ["Choose a score from 1 to 5."]),
        ({"resolved": "yes", "satisfaction": "two"}, ["Choose a score from 1 to 5."]),
        ({"resolved": "yes", "satisfaction": "5", "comment": "x" * 5001}, ["at most 5000 characters"]),
    ],
    ids=["nothing", "no-score", "bad-yes-no", "score-6", "score-0", "score-word", "comment-too-long"],
)
def test_bad_input_re_renders_the_form_with_messages_and_records_nothing(client, sent, data, messages):
    _follow_up, link = sent
    with at(1.1):
        response = client.post(link, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    for message in messages:
        assert message in html
    assert not FollowUpAnswer.objects.exists()


def test_the_chosen_answers_are_kept_when_the_form_comes_back_with_an_error(client, sent):
    _follow_up, link = sent
    with at(1.1):
        html = client.post(link, {"resolved": "no", "comment": "Still broken."}).content.decode()
    assert 'value="no" required id="id_resolved_1" checked' in html
    assert "Still broken." in html


def test_a_link_to_a_survey_the_case_moved_past_gets_a_410(client, sent, alice):
    follow_up, link = sent
    with at(1.1):
        case_close(case=follow_up.case, note="Closed by a manager.")
        response = client.get(link)
    assert response.status_code == 410
    assert "This survey is closed" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.state == State.CANCELLED


def test_the_service_refuses_a_second_answer_and_an_answer_to_a_cancelled_follow_up(sent):
    follow_up, _link = sent
    followup_answer(follow_up=follow_up, via="web", resolved=True, satisfaction=5)
    with pytest.raises(AlreadyAnswered):
        followup_answer(follow_up=follow_up, via="web", resolved=False, satisfaction=1)
    with pytest.raises(ValidationError) as refused:
        followup_answer(follow_up=follow_up, via="web", resolved=True, satisfaction=9)
    assert refused.value.message_dict == {"satisfaction": ["Choose a score from 1 to 5."]}
    scheduled = FollowUp.objects.create(case=follow_up.case, method="email", due_at=T0, nonce="n" * 22)
    with pytest.raises(FollowUpError):
        followup_answer(follow_up=scheduled, via="web", resolved=True, satisfaction=5)


def test_a_token_for_a_follow_up_that_no_longer_exists_is_a_400(client, sent):
    follow_up, link = sent
    token = survey_token(follow_up)
    follow_up.case.delete()
    with at(1.1):
        assert client.get(f"/survey/{token}/").status_code == 400
        assert client.get(link).status_code == 400
