"""GET /api/v1/cases/{reference}/follow-ups, GET /api/v1/follow-ups and
POST /api/v1/follow-ups/{id}/answer: follow-ups and answers through the API, only one's own."""

from datetime import timedelta

import pytest
import time_machine

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.models import Status
from makegood.cases.tests.factories import make_staff
from makegood.followup.models import FollowUp, State
from makegood.followup.services import followup_answer
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case, sweep

pytestmark = pytest.mark.django_db


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


@pytest.fixture
def answered_and_called(alice, django_capture_on_commit_callbacks):
    """A web customer who answered the survey, and a phone customer whose call is due."""
    with time_machine.travel(T0, tick=False) as clock:
        web = resolved_case(alice)
        phone = resolved_case(alice, channel="phone", customer_email="", customer_phone="+14155550100")
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
        followup_answer(
            follow_up=follow_up_of(web), via="web", resolved=True, satisfaction=4, comment="Kind.", suggestion="Faster."
        )
    return follow_up_of(web), follow_up_of(phone)


def test_a_case_s_follow_ups_come_with_the_answer(client, alice, answered_and_called):
    web, _phone = answered_and_called
    response = client.get(f"/api/v1/cases/{web.case.reference}/follow-ups", headers=auth(api_token_issue(user=alice)))
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == web.pk and item["case"] == web.case.reference
    assert (item["method"], item["state"]) == ("email", "answered")
    assert item["sent_at"].startswith("2026-03-03T09:00:00")
    assert item["answer"] == {
        "resolved": True,
        "satisfaction": 4,
        "comment": "Kind.",
        "suggestion": "Faster.",
        "via": "web",
        "recorded_by": None,
        "outcome": "closed",
        "answered_at": item["answered_at"],
    }


def test_the_list_filters_by_state_and_pages(client, alice, answered_and_called):
    web, phone = answered_and_called
    headers = auth(api_token_issue(user=alice))
    everything = client.get("/api/v1/follow-ups", headers=headers).json()
    assert everything["count"] == 2 and {i["id"] for i in everything["items"]} == {web.pk, phone.pk}
    waiting = client.get("/api/v1/follow-ups", {"state": "sent"}, headers=headers).json()
    assert [i["id"] for i in waiting["items"]] == [phone.pk] and waiting["items"][0]["answer"] is None
    first = client.get("/api/v1/follow-ups", {"limit": 1}, headers=headers).json()
    assert len(first["items"]) == 1 and first["next"] and first["previous"] is None
    second = client.get(first["next"], headers=headers).json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {web.pk, phone.pk}
    bad = client.get("/api/v1/follow-ups", {"state": "lost"}, headers=headers)
    assert bad.status_code == 422 and "state" in bad.json()["errors"]


def test_charlie_sees_no_follow_up_of_north(client, charlie, answered_and_called):
    web, phone = answered_and_called
    headers = auth(api_token_issue(user=charlie))
    assert client.get(f"/api/v1/cases/{web.case.reference}/follow-ups", headers=headers).status_code == 404
    assert client.get("/api/v1/follow-ups", headers=headers).json()["count"] == 0
    answer = client.post(
        f"/api/v1/follow-ups/{phone.pk}/answer",
        {"resolved": True, "satisfaction": 5},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 404


def test_the_owner_records_a_call_by_api_once(client, alice, answered_and_called):
    _web, phone = answered_and_called
    headers = auth(api_token_issue(user=alice))
    url = f"/api/v1/follow-ups/{phone.pk}/answer"
    response = post(client, url, {"resolved": False, "satisfaction": 3, "comment": "Wobbles."}, headers)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "answered"
    assert body["answer"]["recorded_by"] == "alice" and body["answer"]["outcome"] == "reopened"
    phone.case.refresh_from_db()
    assert phone.case.status == Status.OPEN
    again = client.post(url, {"resolved": True, "satisfaction": 5}, content_type="application/json", headers=headers)
    assert again.status_code == 409 and again.json() == {"detail": "This follow-up has already been answered."}


def test_recording_a_call_checks_the_input_the_role_and_the_state(client, alice, north, answered_and_called):
    web, phone = answered_and_called
    url = f"/api/v1/follow-ups/{phone.pk}/answer"
    alice_headers = auth(api_token_issue(user=alice))
    invalid = post(client, url, {"resolved": "perhaps", "satisfaction": 6}, alice_headers)
    assert invalid.status_code == 422
    assert set(invalid.json()["errors"]) == {"resolved", "satisfaction"}
    teammate = auth(api_token_issue(user=make_staff("dora", Role.FRONTLINE, north)))
    refused = client.post(url, {"resolved": True, "satisfaction": 5}, content_type="application/json", headers=teammate)
    assert refused.status_code == 403
    closed = post(client, f"/api/v1/follow-ups/{web.pk}/answer", {"resolved": True, "satisfaction": 5}, alice_headers)
    assert closed.status_code == 409
    assert client.get("/api/v1/follow-ups").status_code == 401
    assert FollowUp.objects.get(pk=phone.pk).state == State.SENT


def test_listing_costs_the_same_few_queries_for_two_follow_ups_or_twenty(
    client, alice, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as clock:
        for i in range(20):
            resolved_case(alice, customer_email=f"c{i}@example.com")
        clock.shift(timedelta(days=1))
        sweep(django_capture_on_commit_callbacks)
    token = api_token_issue(user=alice)
    client.get("/api/v1/follow-ups", headers=auth(token))
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/follow-ups", headers=auth(token)).json()["items"]) == 20


def test_the_endpoints_are_documented_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/v1/cases/{reference}/follow-ups",
        "/api/v1/follow-ups",
        "/api/v1/follow-ups/{follow_up_id}/answer",
    } <= set(paths)
