"""GET /api/v1/webhooks/deliveries: administrators read deliveries; other roles are refused."""

from __future__ import annotations

import pytest

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.tests.factories import make_case, make_staff
from makegood.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}


@pytest.fixture
def two_deliveries(north, django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(url="https://crm.example.com/hooks")
    with django_capture_on_commit_callbacks(execute=False):
        first = make_case()
        make_case()
    WebhookDelivery.objects.filter(payload__data__case__reference=first.reference).update(
        state=DeliveryState.FAILED, attempts=8, last_status_code=500, last_error="The endpoint answered 500."
    )
    return first


def test_an_administrator_reads_the_deliveries_newest_first(client, north, two_deliveries):
    dana = make_staff("dana", Role.ADMINISTRATOR, north)
    response = client.get("/api/v1/webhooks/deliveries", **_auth(dana))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["state"] for item in body["items"]] == ["pending", "failed"]
    failed = body["items"][1]
    assert failed["payload"]["data"]["case"]["reference"] == two_deliveries.reference
    assert failed["event"] == "case.opened"
    assert failed["event_id"] == failed["payload"]["id"]
    assert failed["last_status_code"] == 500
    assert failed["endpoint"] == "https://crm.example.com/hooks"


def test_deliveries_can_be_filtered_by_state_and_paged(client, north, two_deliveries):
    dana = make_staff("dana", Role.ADMINISTRATOR, north)
    failed = client.get("/api/v1/webhooks/deliveries?state=failed", **_auth(dana)).json()
    assert [item["state"] for item in failed["items"]] == ["failed"]
    page = client.get("/api/v1/webhooks/deliveries?limit=1&offset=1", **_auth(dana)).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert client.get("/api/v1/webhooks/deliveries?state=lost", **_auth(dana)).status_code == 422


def test_other_roles_may_not_read_deliveries(client, alice, bob, two_deliveries):
    for user in (alice, bob):
        response = client.get("/api/v1/webhooks/deliveries", **_auth(user))
        assert response.status_code == 403
        assert "administrators" in response.json()["detail"]
    assert client.get("/api/v1/webhooks/deliveries").status_code == 401
