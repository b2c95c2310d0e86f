"""The API accepts exactly what its OpenAPI schema says: strict booleans, integers and date-times,
and request bodies that are JSON, in UTF-8, sent as application/json."""

import json

import pytest

from makegood.accounts.services import api_token_issue
from makegood.api import api
from makegood.api_types import DATETIME_PATTERN

pytestmark = pytest.mark.django_db

COACH = "/api/v1/coach"
GOOD = {"text": "I'm sorry the parcel was late.", "role": "frontline"}


@pytest.fixture
def auth(alice):
    return {"Authorization": f"Bearer {api_token_issue(user=alice)}"}


def post(client, auth, body, content_type="application/json"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(COACH, data, content_type=content_type, headers=auth)


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_a_boolean_must_be_true_or_false(client, auth, value):
    response = post(client, auth, {**GOOD, "first_reply": value})
    assert response.status_code == 422, response.content
    assert "first_reply" in response.json()["errors"]


def test_true_and_false_are_booleans(client, auth):
    assert post(client, auth, {**GOOD, "first_reply": True, "closing": False}).status_code == 200


@pytest.mark.parametrize("value", ["4", 4.0, True])
def test_an_integer_in_a_body_must_be_a_json_integer(client, bob, value):
    token = api_token_issue(user=bob)
    response = client.post(
        "/api/v1/follow-ups/1/answer",
        {"resolved": True, "satisfaction": value},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.content
    assert "satisfaction" in response.json()["errors"]


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2026-03-02", "last tuesday", "2026-03-02T09:00:00 +01:00"])
def test_a_date_time_filter_must_be_iso_8601(client, auth, value):
    response = client.get("/api/v1/cases", {"received_before": value}, headers=auth)
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["received_before"] == [
        "Enter a date and time in ISO 8601, such as 2026-03-02T09:00:00Z."
    ]


@pytest.mark.parametrize("value", ["2026-03-02T09:00:00Z", "2026-03-02T09:00:00.5+01:00", "2026-03-02T09:00"])
def test_iso_8601_date_times_are_read(client, auth, value):
    assert client.get("/api/v1/cases", {"received_before": value}, headers=auth).status_code == 200


def test_the_schema_says_the_same_about_date_times():
    parameters = api.get_openapi_schema()["paths"]["/api/v1/cases"]["get"]["parameters"]
    received = next(p for p in parameters if p["name"] == "received_before")["schema"]
    options = received.get("anyOf", [received])
    assert any(option.get("pattern") == DATETIME_PATTERN for option in options)


def test_a_utf16_body_is_refused(client, auth):
    response = post(client, auth, json.dumps(GOOD).encode("utf-16"))
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON: it must be UTF-8 encoded."


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"]
)
def test_a_body_not_sent_as_json_is_refused(client, auth, content_type):
    response = post(client, auth, json.dumps(GOOD), content_type=content_type)
    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["detail"]


def test_json_with_a_utf8_charset_is_fine(client, auth):
    assert post(client, auth, json.dumps(GOOD), content_type="application/json; charset=utf-8").status_code == 200


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client, auth, constant):
    response = post(client, auth, '{"text": "Sorry.", "role": "frontline", "x": ' + constant + "}")
    assert response.status_code == 400
    assert f"{constant} is not a JSON value" in response.json()["detail"]
