"""POST /api/v1/coach: the reply coach over the REST API."""

import json

import pytest
from django.test import Client

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.api import api
from makegood.recovery.api import MAX_COACH_TEXT

pytestmark = pytest.mark.django_db

URL = "/api/v1/coach"


@pytest.fixture
def token(alice):
    return api_token_issue(user=alice, name="browser")


def post(body, *, token=None, raw=None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = raw if raw is not None else json.dumps(body)
    return Client().post(URL, data=data, content_type="application/json", headers=headers)


def test_it_returns_each_finding_with_its_span_and_a_suggestion(token):
    text = "Hi Dana, unfortunately we can't refund it. Please contact the manufacturer."

    response = post({"text": text, "role": "frontline"}, token=token)

    assert response.status_code == 200
    body = response.json()
    assert body["blocking"] is True
    rules = [(f["rule"], f["excerpt"], f["severity"]) for f in body["findings"]]
    assert rules == [
        ("says_no", "unfortunately we can't", "block"),
        ("no_thanks", "Please contact the manufacturer.", "warn"),
        ("passes_buck", "contact the manufacturer", "warn"),
    ]
    for finding in body["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["excerpt"]
        assert finding["message"] and finding["suggestion"]


def test_a_managers_no_is_returned_as_a_warning_that_does_not_block(token):
    response = post({"text": "No, we can't refund it. Thank you.", "role": "manager"}, token=token)

    assert response.status_code == 200
    body = response.json()
    assert body["blocking"] is False
    assert {f["severity"] for f in body["findings"]} == {"warn"}
    assert [f["excerpt"] for f in body["findings"]] == ["No", "can't"]


def test_the_flags_switch_the_apology_thanks_and_excuse_rules(token):
    text = "I'm sorry, the system was down. Your booking is confirmed."
    base = {"text": text, "role": "frontline"}

    default = post(base, token=token).json()
    asked = post({**base, "first_reply": True, "closing": False, "explanation_requested": True}, token=token).json()

    assert [f["rule"] for f in default["findings"]] == ["excuse_after_apology", "no_thanks"]
    assert asked["findings"] == []


def test_a_first_reply_without_apology_is_flagged(token):
    body = post(
        {"text": "Your replacement ships today. Thanks!", "role": "frontline", "first_reply": True}, token=token
    )

    assert [(f["rule"], f["excerpt"]) for f in body.json()["findings"]] == [
        ("no_apology", "Your replacement ships today.")
    ]


def test_a_clean_reply_has_no_findings(token):
    text = "I'm so sorry about the broken lamp. A new one arrives tomorrow. Thank you for telling us."

    response = post({"text": text, "role": "frontline", "first_reply": True}, token=token)

    assert response.status_code == 200
    assert response.json() == {"findings": [], "blocking": False}


def test_empty_text_is_coached_as_nothing_to_say(token):
    # The browser asks while the box is still empty: no findings, rather than an error.
    response = post({"text": "", "role": "frontline", "first_reply": True}, token=token)

    assert response.status_code == 200
    assert response.json() == {"findings": [], "blocking": False}


def test_it_requires_a_token():
    response = post({"text": "No.", "role": "frontline"})

    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_it_refuses_a_revoked_or_unknown_token(alice):
    assert post({"text": "No.", "role": "frontline"}, token="mg_not-a-real-token").status_code == 401


@pytest.mark.parametrize("role", ["boss", "", "Frontline", None, 3])
def test_an_unknown_role_is_refused_with_the_roles_it_could_be(token, role):
    response = post({"text": "No.", "role": role}, token=token)

    assert response.status_code == 422
    messages = response.json()["errors"]["role"]
    assert any(all(r.value in message for r in Role) for message in messages), messages


def test_missing_text_or_role_is_refused_field_by_field(token):
    response = post({}, token=token)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["text"] == ["This field is required."]
    assert errors["role"] == ["This field is required."]


@pytest.mark.parametrize(
    "body",
    [
        {"text": 42, "role": "frontline"},
        {"text": ["No"], "role": "frontline"},
        {"text": "No.", "role": "frontline", "first_reply": "perhaps"},
    ],
)
def test_wrongly_typed_fields_are_refused(token, body):
    response = post(body, token=token)

    assert response.status_code == 422
    assert set(response.json()["errors"]) <= {"text", "first_reply"}


def test_overlong_text_is_refused_with_the_limit(token):
    response = post({"text": "a" * (MAX_COACH_TEXT + 1), "role": "frontline"}, token=token)

    assert response.status_code == 422
    assert str(MAX_COACH_TEXT) in response.json()["errors"]["text"][0]


def test_text_at_the_limit_is_coached(token):
    response = post({"text": "No. " * (MAX_COACH_TEXT // 4), "role": "manager"}, token=token)

    assert response.status_code == 200
    assert response.json()["blocking"] is False


@pytest.mark.parametrize("raw", ["{not json", "[]", '"No"'])
def test_a_body_that_is_not_a_json_object_is_a_clear_400_or_422(token, raw):
    response = post(None, token=token, raw=raw)

    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_the_schema_documents_the_endpoint_and_its_errors():
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/coach"]["post"]

    assert {str(code) for code in operation["responses"]} >= {"200", "401", "422"}
    body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][body_ref]
    assert set(body["required"]) == {"text", "role"}
    assert body["properties"]["text"]["maxLength"] == MAX_COACH_TEXT
