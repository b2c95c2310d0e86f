"""GET /api/v1/cases/{reference} and GET /api/v1/cases: reading cases back, only one's own."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.api import api
from makegood.cases import api as cases_api
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Status
from makegood.cases.services import CaseActionError, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def get(client, token, path=URL, **params):
    return client.get(path, params, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def alice_token(alice):
    return api_token_issue(user=alice)


@pytest.fixture
def charlie_token(charlie):
    return api_token_issue(user=charlie)


@pytest.fixture
def cases(north, south, alice, bob):
    """Six cases over six hours: four of North's, two of South's."""
    made = {
        "web": make_case(channel="web", received_at=DAY, external_id="shop-1"),
        "phone": make_case(
            channel="phone",
            customer_email="",
            customer_phone="+1 415 555 0100",
            customer_name="Eli",
            received_at=DAY + timedelta(hours=1),
        ),
        "email": make_case(
            channel="email", customer_email="fay@example.com", customer_name="Fay", received_at=DAY + timedelta(hours=2)
        ),
        "chat": make_case(channel="chat", received_at=DAY + timedelta(hours=3)),
        "south-web": make_case(channel="web", team=south, received_at=DAY + timedelta(hours=4)),
        "south-social": make_case(channel="social", team=south, received_at=DAY + timedelta(hours=5)),
    }
    case_take_ownership(case=made["phone"], user=alice)
    case_take_ownership(case=made["email"], user=bob)
    case_take_ownership(case=made["chat"], user=alice)
    case_resolve(case=made["chat"], user=alice, resolution="Replaced the order.")
    return {name: Case.objects.get(pk=case.pk) for name, case in made.items()}


@pytest.fixture(params=["sorted", "walked"])
def page_strategy(request, monkeypatch):
    """Pages are read two ways on SQLite (see cases.api._page_source): both must agree."""
    if request.param == "walked":
        monkeypatch.setattr(cases_api, "_DENSE", 0)
    return request.param


def refs(response):
    return [item["reference"] for item in response.json()["items"]]


# One case ----------------------------------------------------------------------------------


def test_an_employee_reads_a_case_of_their_team_with_its_timeline(client, alice_token, cases, alice):
    case = cases["phone"]
    response = get(client, alice_token, f"{URL}/{case.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == case.pk
    assert body["reference"] == case.reference
    assert body["status"] == "open"
    assert body["channel"] == "phone"
    assert body["owner"] == {"username": "alice", "name": "Alice Adams"}
    assert body["team"] == {"slug": "north", "name": "North"}
    assert body["customer"]["phone"] == "+14155550100"
    assert body["story"] == case.story
    kinds = [event["kind"] for event in body["events"]]
    assert kinds[:3] == [EventKind.RECEIVED, EventKind.ACKNOWLEDGED, EventKind.OWNERSHIP_TAKEN]
    assert body["events"][2]["actor"] == "alice"
    assert body["events"][0]["actor"] is None


def test_a_reference_is_found_whatever_its_case(client, alice_token, cases):
    case = cases["web"]
    assert get(client, alice_token, f"{URL}/{case.reference.lower()}").json()["id"] == case.pk


@pytest.mark.parametrize("reference", ["MG-2026-999999", "MG-2025-000001", "not-a-reference", "MG-2026-%00"])
def test_an_unknown_reference_gets_404(client, alice_token, cases, reference):
    response = get(client, alice_token, f"{URL}/{reference}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such case."}


def test_charlie_gets_404_for_a_case_of_another_team_exactly_as_for_a_missing_one(client, charlie_token, cases):
    north_case = get(client, charlie_token, f"{URL}/{cases['web'].reference}")
    missing = get(client, charlie_token, f"{URL}/MG-2026-999999")
    assert north_case.status_code == missing.status_code == 404
    assert north_case.json() == missing.json()
    assert get(client, charlie_token, f"{URL}/{cases['south-web'].reference}").status_code == 200


def test_reading_a_case_costs_a_fixed_number_of_queries(client, alice_token, cases, django_assert_max_num_queries):
    get(client, alice_token)  # the token's first use loads its permissions and writes last_used_at
    # The token (with its user), the case (with customer, team and owner), its events.
    with django_assert_max_num_queries(3):
        assert get(client, alice_token, f"{URL}/{cases['email'].reference}").status_code == 200


def test_reading_without_a_token_gets_401(client, cases):
    assert client.get(f"{URL}/{cases['web'].reference}").status_code == 401
    assert client.get(URL).status_code == 401


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_the_teams_cases_newest_first(client, alice_token, cases, page_strategy):
    response = get(client, alice_token)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert refs(response) == [cases[name].reference for name in ("chat", "email", "phone", "web")]
    assert body["next"] is None and body["previous"] is None
    first = body["items"][0]
    assert first["status"] == "resolved"
    assert first["owner"]["username"] == "alice"
    assert "story" not in first  # the list stays light; the story is in the case itself


def test_charlie_does_not_see_norths_cases_in_the_list(client, charlie_token, cases, page_strategy):
    response = get(client, charlie_token)
    assert response.json()["count"] == 2
    assert refs(response) == [cases["south-social"].reference, cases["south-web"].reference]
    assert get(client, charlie_token, team="north").json() == {
        "count": 0,
        "count_capped": False,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "items": [],
    }
    # Dana complained to both teams; Charlie sees only her complaints to South.
    danas = get(client, charlie_token, customer_email="dana@example.com")
    assert refs(danas) == [cases["south-social"].reference, cases["south-web"].reference]


def test_a_process_owner_sees_every_teams_cases(client, cases, north):
    owner = make_staff("olga", Role.PROCESS_OWNER, north)
    assert get(client, api_token_issue(user=owner)).json()["count"] == 6


def test_an_employee_also_sees_cases_they_own_in_another_team(client, cases, charlie, charlie_token, south):
    case = make_case(team=south)
    case_take_ownership(case=case, user=charlie)
    Case.objects.filter(pk=case.pk).update(team=None)
    assert cases["south-web"].reference in refs(get(client, charlie_token))
    assert case.reference in refs(get(client, charlie_token))


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"status": "open"}, ["email", "phone"]),
        ({"status": "new"}, ["web"]),
        ({"channel": "phone"}, ["phone"]),
        ({"team": "north"}, ["chat", "email", "phone", "web"]),
        ({"owner": "me"}, ["chat", "phone"]),
        ({"owner": "bob"}, ["email"]),
        ({"owner": "nobody"}, []),
        ({"external_id": "shop-1"}, ["web"]),
        ({"customer_email": "FAY@example.com"}, ["email"]),
        ({"received_after": "2026-03-02T10:00:00Z"}, ["chat", "email", "phone"]),
        ({"received_before": "2026-03-02T10:00:00Z"}, ["web"]),
        (
            {"received_after": "2026-03-02T10:00:00+00:00", "received_before": "2026-03-02T12:00:00+00:00"},
            ["email", "phone"],
        ),
        ({"received_after": "2026-03-02T11:00:00"}, ["chat", "email"]),
        ({"status": "open", "owner": "me"}, ["phone"]),
        ({"team": "south"}, []),
        ({"team": "atlantis"}, []),
        ({"customer_email": "nobody@example.com"}, []),
        ({"customer_email": "dana@example.com", "channel": "chat"}, ["chat"]),
    ],
    ids=lambda value: "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None,
)
def test_the_list_can_be_filtered(client, alice_token, cases, params, expected, page_strategy):
    response = get(client, alice_token, **params)
    assert response.status_code == 200, response.content
    assert refs(response) == [cases[name].reference for name in expected]
    assert response.json()["count"] == len(expected)


def test_the_list_is_paginated_with_links_to_the_next_and_previous_pages(client, alice_token, cases, page_strategy):
    first = get(client, alice_token, limit=3).json()
    assert first["count"] == 4
    assert [item["reference"] for item in first["items"]] == [cases[n].reference for n in ("chat", "email", "phone")]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/cases?limit=3&offset=3"

    second = client.get(first["next"], headers={"Authorization": f"Bearer {alice_token}"}).json()
    assert [item["reference"] for item in second["items"]] == [cases["web"].reference]
    assert second["count"] == 4
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/cases?limit=3&offset=0"

    beyond = get(client, alice_token, limit=3, offset=30).json()
    assert beyond["items"] == [] and beyond["count"] == 4 and beyond["next"] is None


def test_past_the_cap_the_count_stops_and_says_so_while_the_pages_go_on(client, alice_token, cases, monkeypatch):
    monkeypatch.setattr(cases_api, "COUNT_CAP", 2)
    first = get(client, alice_token, limit=3).json()
    assert (first["count"], first["count_capped"]) == (2, True)
    assert [item["reference"] for item in first["items"]] == [cases[n].reference for n in ("chat", "email", "phone")]
    assert first["next"] == "http://testserver/api/v1/cases?limit=3&offset=3"
    last = get(client, alice_token, limit=3, offset=3).json()
    assert [item["reference"] for item in last["items"]] == [cases["web"].reference]
    assert last["next"] is None
    monkeypatch.setattr(cases_api, "COUNT_CAP", 4)
    assert get(client, alice_token).json()["count_capped"] is False


def test_pages_keep_the_filters(client, alice_token, cases):
    first = get(client, alice_token, limit=1, owner="me").json()
    assert first["count"] == 2
    assert first["next"] == "http://testserver/api/v1/cases?limit=1&offset=1&owner=me"


@pytest.mark.parametrize(
    "params,field",
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"status": "lost"}, "status"),
        ({"channel": "fax"}, "channel"),
        ({"received_after": "last tuesday"}, "received_after"),
        ({"external_id": "a\x00b"}, "external_id"),
        ({"customer_email": "x" * 300}, "customer_email"),
    ],
    ids=[
        "limit-too-big",
        "limit-zero",
        "negative-offset",
        "limit-not-a-number",
        "unknown-status",
        "unknown-channel",
        "unreadable-date",
        "nul-character",
        "oversized-email",
    ],
)
def test_bad_filters_get_422_with_a_message_for_the_parameter(client, alice_token, cases, params, field):
    response = get(client, alice_token, **params)
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]


def test_the_list_costs_the_same_few_queries_however_many_cases_there_are(
    client, alice_token, cases, alice, django_assert_max_num_queries, page_strategy
):
    get(client, alice_token)  # the token's first use loads its permissions and writes last_used_at
    # The token (with its user), the page (customer, team and owner joined), the count.
    with django_assert_max_num_queries(3):
        small = get(client, alice_token, limit=2)
    for _ in range(10):
        case_take_ownership(case=make_case(customer_email="g@example.com"), user=alice)
    with django_assert_max_num_queries(3):
        large = get(client, alice_token, limit=200)
    assert len(small.json()["items"]) == 2
    assert len(large.json()["items"]) == 14


def test_a_resolved_case_shows_when_it_was_resolved(client, alice_token, cases):
    body = get(client, alice_token, f"{URL}/{cases['chat'].reference}").json()
    assert body["status"] == Status.RESOLVED
    assert body["resolved_at"] is not None
    assert body["events"][-1]["kind"] == EventKind.STATUS_CHANGED


def test_the_openapi_schema_declares_the_read_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/v1/cases"]["get"]["responses"]) == {"200", "401", "422"}
    assert set(paths["/api/v1/cases/{reference}"]["get"]["responses"]) == {"200", "401", "404"}


# Errors every router shares ----------------------------------------------------------------


@pytest.mark.parametrize(
    "exc,status,detail",
    [
        (CaseActionError("This case is no longer open."), 409, "This case is no longer open."),
        (PermissionDenied(), 403, "Your role may not do this."),
        (ValidationError({"body": ["Write what you said to the customer."]}), 422, "Some fields are invalid."),
        (RuntimeError("boom"), 500, "Something went wrong on our side. Please try again."),
    ],
    ids=["case-action", "permission", "validation", "unexpected"],
)
def test_errors_from_services_become_json_answers_never_html(rf, exc, status, detail):
    response = api.on_exception(rf.get("/api/v1/anything"), exc)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["detail"] == detail
