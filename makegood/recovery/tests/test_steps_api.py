"""The recovery conversation and the messages over the REST API:
/api/v1/cases/{reference}/steps and /api/v1/cases/{reference}/messages."""

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from makegood.accounts.services import api_token_issue
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Feeling, Status
from makegood.cases.services import case_add_customer_message, case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.recovery.models import RecoveryEventKind, RecoveryStep, Suggestion

pytestmark = pytest.mark.django_db

NO = "Unfortunately we can't refund that. Thank you for your patience."


@pytest.fixture
def case(alice):
    return case_take_ownership(case=make_case(), user=alice)


@pytest.fixture
def token(alice):
    return api_token_issue(user=alice, name="crm")


def call(method, path, token, body=None, raw=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = Client()
    if method == "get":
        return client.get(path, headers=headers)
    data = raw if raw is not None else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers)


def steps_url(case):
    return f"/api/v1/cases/{case.reference}/steps"


def messages_url(case):
    return f"/api/v1/cases/{case.reference}/messages"


# Steps ----------------------------------------------------------------------------------------------


def test_a_whole_conversation_is_recorded_and_read_back_through_the_api(case, token):
    empty = call("get", steps_url(case), token)
    assert empty.status_code == 200
    assert empty.json() == {
        "progress": {"next_step": "listen", "listened": False, "confirmed": False, "solved": False, "thanked": False},
        "steps": [],
    }
    posts: list[dict[str, Any]] = [
        {"kind": "listen", "text": "It broke.", "questions": "When? Monday.", "expectation": "A new one"},
        {"kind": "repeat_back", "text": "So it arrived broken.", "confirmed": True},
        {"kind": "apologize", "text": "I am so sorry."},
        {"kind": "empathy", "feeling": "frustrated"},
        {"kind": "solve", "text": "A new one ships today.", "accepted": True},
        {"kind": "thank", "text": "Thank you for telling us.", "suggestion": "Pack it better"},
    ]
    following = ["repeat_back", "apologize", "empathy", "solve", "thank", None]
    for body, next_step in zip(posts, following, strict=True):
        response = call("post", steps_url(case), token, body)
        assert response.status_code == 201, response.json()
        assert response.json()["step"]["kind"] == body["kind"]
        assert response.json()["step"]["actor"] == "alice"
        assert response.json()["progress"]["next_step"] == next_step

    steps = call("get", steps_url(case), token).json()
    assert steps["progress"]["thanked"] is True and steps["progress"]["next_step"] is None
    assert [s["kind"] for s in steps["steps"]] == [b["kind"] for b in posts]
    listen, repeat, _, empathy, solve, thank = steps["steps"]
    assert listen["questions"] == "When? Monday." and listen["expectation"] == "A new one"
    assert repeat["confirmed"] is True
    assert empathy["feeling"] == "frustrated" and empathy["text"] == ""
    assert solve["accepted"] is True
    assert thank["suggestion"] == "Pack it better"
    assert CaseEvent.objects.filter(case=case, kind=RecoveryEventKind.RECOVERY_STEP).count() == 6
    case.refresh_from_db()
    assert case.feeling == Feeling.FRUSTRATED and case.expectation == "A new one"
    assert Suggestion.objects.get(case=case).text == "Pack it better"


def test_the_detected_feeling_is_kept_next_to_the_named_one(case, token):
    Case.objects.filter(pk=case.pk).update(detected_feeling=Feeling.ANGRY, detected_feeling_confidence=0.7)
    call("post", steps_url(case), token, {"kind": "listen", "text": "Story"})
    step = call("post", steps_url(case), token, {"kind": "empathy", "feeling": "sad"}).json()["step"]
    assert step["feeling"] == "sad"
    assert step["detected_feeling"] == "angry" and step["detected_confidence"] == 0.7


def test_thanking_before_listening_is_a_409_with_the_reason_and_nothing_recorded(case, token):
    response = call("post", steps_url(case), token, {"kind": "thank", "text": "Thanks!"})
    assert response.status_code == 409
    assert response.json() == {"detail": "Agree on a solution the customer accepts before thanking them and closing."}
    assert not RecoveryStep.objects.exists()


def test_a_correction_loops_back_to_listening(case, token):
    call("post", steps_url(case), token, {"kind": "listen", "text": "Story"})
    response = call(
        "post",
        steps_url(case),
        token,
        {"kind": "repeat_back", "text": "You want a refund.", "confirmed": False, "correction": "A swap"},
    )
    assert response.json()["progress"]["next_step"] == "listen"
    assert response.json()["step"]["correction"] == "A swap"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "listen", "text": "   "}, "text", "This step needs some text: write what was said."),
        ({"kind": "listen", "text": "x" * 10_001}, "text", "At most 10000 characters (this has 10001)."),
        ({"kind": "listen"}, "text", "This step needs some text: write what was said."),
        ({"kind": "shrug", "text": "x"}, "kind", "Input should be"),
        ({"kind": "listen", "text": "a\x00b"}, "text", "Must not contain NUL characters."),
        ({"kind": "listen", "text": "Story", "expectation": "y" * 10_001}, "expectation", "At most 10000"),
    ],
)
def test_bad_steps_are_a_422_naming_the_field_and_nothing_is_recorded(case, token, body, field, message):
    response = call("post", steps_url(case), token, body)
    assert response.status_code == 422
    assert response.json()["detail"] == "Some fields are invalid."
    assert response.json()["errors"][field][0].startswith(message)
    assert not RecoveryStep.objects.exists()


def test_a_step_needs_the_right_details(case, token):
    call("post", steps_url(case), token, {"kind": "listen", "text": "Story"})
    unanswered = call("post", steps_url(case), token, {"kind": "repeat_back", "text": "You want a refund."})
    assert unanswered.status_code == 422
    assert unanswered.json()["errors"] == {"confirmed": ["Say whether the customer confirmed it or corrected you."]}
    feeling = call("post", steps_url(case), token, {"kind": "empathy", "feeling": "meh"})
    assert feeling.status_code == 422 and "feeling" in feeling.json()["errors"]


def test_a_body_that_is_not_json_is_a_400(case, token):
    response = call("post", steps_url(case), token, raw="{nope")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body is not valid JSON")


def test_someone_who_does_not_own_the_case_gets_a_409(case, bob):
    response = call("post", steps_url(case), api_token_issue(user=bob), {"kind": "listen", "text": "Story"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Take ownership of the case before recording the conversation."
    assert call("get", steps_url(case), api_token_issue(user=bob)).status_code == 200  # reading is fine


def test_charlie_gets_a_404_for_the_steps_and_the_messages(case, charlie):
    charlies = api_token_issue(user=charlie)
    for method, url, body in [
        ("get", steps_url(case), None),
        ("post", steps_url(case), {"kind": "listen", "text": "Story"}),
        ("get", messages_url(case), None),
        ("post", messages_url(case), {"kind": "contact", "text": "Hello"}),
    ]:
        response = call(method, url, charlies, body)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such case."}
    assert not RecoveryStep.objects.exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CONTACT).exists()


def test_the_endpoints_need_a_token(case):
    assert call("get", steps_url(case), None).status_code == 401
    assert call("post", messages_url(case), None, {"kind": "contact", "text": "Hi"}).status_code == 401


# Messages -------------------------------------------------------------------------------------------


def test_the_conversation_lists_the_complaint_customer_messages_replies_and_contacts_in_order(
    case, alice, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_record_response(case=case, user=alice, kind=EventKind.REPLY_SENT, body="So sorry, Dana.")
    case_add_customer_message(case=case, body="Thanks, when will it come?")
    case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Called: Friday.")

    response = call("get", messages_url(case), token)

    assert response.status_code == 200
    messages = response.json()
    assert [(m["kind"], m["author"], m["text"]) for m in messages] == [
        ("complaint", None, "My order arrived broken and nobody answered my calls."),
        ("reply", "alice", "So sorry, Dana."),
        ("customer", None, "Thanks, when will it come?"),
        ("contact", "alice", "Called: Friday."),
    ]
    assert messages[1]["emailed_to"] == "dana@example.com" and messages[1]["emailed_at"]
    assert messages[3]["emailed_to"] is None


def test_a_reply_is_emailed_with_the_reference_and_stops_the_clock(case, token, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    text = "I'm so sorry. A new one ships today. Thank you for telling us."
    with django_capture_on_commit_callbacks(execute=True):
        response = call("post", messages_url(case), token, {"kind": "reply", "text": text})
    assert response.status_code == 201
    assert response.json()["kind"] == "reply" and response.json()["text"] == text
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith(f"[{case.reference}]")
    case.refresh_from_db()
    assert case.first_responded_at is not None


def test_a_frontline_no_is_refused_with_the_coachs_findings_and_nothing_sent(
    case, token, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = call("post", messages_url(case), token, {"kind": "reply", "text": NO})
    assert response.status_code == 422
    body = response.json()
    assert body["blocking"] is True
    assert body["detail"].startswith("Not sent: \u201cUnfortunately we can't\u201d tells the customer no")
    assert body["errors"] == {"text": [body["detail"]]}
    says_no = [f for f in body["findings"] if f["rule"] == "says_no"]
    assert says_no[0]["excerpt"] == "Unfortunately we can't" and says_no[0]["severity"] == "block"
    assert NO[says_no[0]["start"] : says_no[0]["end"]] == "Unfortunately we can't"
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.REPLY_SENT).exists()
    assert mail.outbox == []


def test_a_manager_may_send_a_no_and_anyone_may_record_a_contact_saying_one(case, bob, token):
    contact = call("post", messages_url(case), token, {"kind": "contact", "text": "Told her we can't refund it."})
    assert contact.status_code == 201 and contact.json()["kind"] == "contact"
    theirs = case_take_ownership(case=make_case(customer_email="m@example.com"), user=bob)
    response = call("post", messages_url(theirs), api_token_issue(user=bob), {"kind": "reply", "text": NO})
    assert response.status_code == 201


def test_a_reply_to_a_closed_case_is_a_409_with_a_clear_message(case, token):
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    response = call("post", messages_url(case), token, {"kind": "reply", "text": "Thank you, Dana."})
    assert response.status_code == 409
    assert response.json() == {"detail": "This case is closed."}
    steps = call("post", steps_url(case), token, {"kind": "listen", "text": "Story"})
    assert steps.status_code == 409 and "no longer open" in steps.json()["detail"]


def test_a_reply_to_a_customer_without_email_is_a_409(alice, token):
    case = make_case(channel="phone", customer_email="", customer_phone="+1 415 555 0100")
    case_take_ownership(case=case, user=alice)
    response = call("post", messages_url(case), token, {"kind": "reply", "text": "Thank you."})
    assert response.status_code == 409
    assert "no e-mail address" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "reply", "text": "  "}, "text", "Write what you said to the customer."),
        ({"kind": "contact", "text": "x" * 20_001}, "text", "At most 20000 characters."),
        ({"kind": "note", "text": "Hi"}, "kind", "Input should be 'reply' or 'contact'"),
        ({"kind": "reply"}, "text", "This field is required."),
    ],
)
def test_bad_messages_are_a_422_naming_the_field_and_nothing_is_sent(case, token, body, field, message):
    response = call("post", messages_url(case), token, body)
    assert response.status_code == 422
    assert response.json()["errors"][field][0].startswith(message)
    assert not CaseEvent.objects.filter(case=case, kind__in=[EventKind.REPLY_SENT, EventKind.CONTACT]).exists()


def test_the_schema_declares_the_endpoints_and_their_answers(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    steps = paths["/api/v1/cases/{reference}/steps"]
    messages = paths["/api/v1/cases/{reference}/messages"]
    assert set(steps["get"]["responses"]) == {"200", "401", "404"}
    assert {"201", "404", "409", "422"} <= set(steps["post"]["responses"])
    assert {"201", "404", "409", "422"} <= set(messages["post"]["responses"])
    refused = messages["post"]["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert refused.endswith("/MessageRefusedOut")


def test_an_apology_step_saying_no_is_a_422_like_the_reply_and_nothing_is_recorded(case, token):
    call("post", steps_url(case), token, {"kind": "listen", "text": "It broke."})
    call("post", steps_url(case), token, {"kind": "repeat_back", "text": "It broke.", "confirmed": True})

    response = call("post", steps_url(case), token, {"kind": "apologize", "text": "Sorry. " + NO})

    assert response.status_code == 422
    assert response.json()["errors"]["text"][0].startswith("Not recorded: \u201cUnfortunately we can't\u201d")
    assert not RecoveryStep.objects.filter(case=case, kind="apologize").exists()
