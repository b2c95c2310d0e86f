"""Administrators manage endpoints in the admin (their role carries the permissions) and read
deliveries there; nobody edits a delivery."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_case, make_staff
from makegood.outbox.tasks import sweep_outbox
from makegood.webhooks.delivery import PURPOSE
from makegood.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(north):
    return make_staff("dana", Role.ADMINISTRATOR, north)


def test_the_administrator_role_holds_the_webhook_permissions(dana):
    perms = set(Group.objects.get(name=Role.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert {
        "view_webhookendpoint",
        "add_webhookendpoint",
        "change_webhookendpoint",
        "delete_webhookendpoint",
        "view_webhookdelivery",
    } <= perms
    assert dana.has_perm("webhooks.add_webhookendpoint")
    assert not dana.has_perm("webhooks.change_webhookdelivery")


def test_an_administrator_adds_an_endpoint_and_sees_its_generated_secret(client, dana):
    client.force_login(dana)
    assert client.get("/admin/webhooks/webhookendpoint/add/").status_code == 200
    response = client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {"url": "https://crm.example.com/makegood", "description": "CRM", "events": ["case.opened", "case.closed"]},
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["case.opened", "case.closed"]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    page = client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret in page


@pytest.mark.parametrize(
    ("url", "events"),
    [
        ("ftp://crm.example.com/hooks", ["case.opened"]),
        ("not a url", ["case.opened"]),
        ("https://crm.example.com/hooks", []),
        ("https://crm.example.com/hooks", ["case.deleted"]),
    ],
)
def test_an_endpoint_needs_an_http_url_and_known_events(client, dana, url, events):
    client.force_login(dana)
    response = client.post("/admin/webhooks/webhookendpoint/add/", {"url": url, "events": events})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not WebhookEndpoint.objects.exists()


def test_rotating_a_secret_replaces_it(client, dana):
    endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/hooks")
    old = endpoint.secret
    client.force_login(dana)
    response = client.post(
        "/admin/webhooks/webhookendpoint/",
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")


def test_deliveries_are_listed_searchable_and_read_only(client, dana, django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/nowhere")
    with django_capture_on_commit_callbacks(execute=False):
        case = make_case()
    delivery = WebhookDelivery.objects.get()
    client.force_login(dana)
    listing = client.get("/admin/webhooks/webhookdelivery/")
    assert listing.status_code == 200
    assert "case.opened" in listing.content.decode()
    assert client.get("/admin/webhooks/webhookdelivery/", {"q": case.reference}).context["cl"].result_count == 1
    assert client.get("/admin/webhooks/webhookdelivery/", {"q": "MG-1999-000001"}).context["cl"].result_count == 0
    by_id = client.get("/admin/webhooks/webhookdelivery/", {"q": str(delivery.event_id)})
    assert by_id.context["cl"].result_count == 1
    page = client.get(f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/webhooks/webhookdelivery/add/").status_code == 403
    assert client.post(f"/admin/webhooks/webhookdelivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403
    assert WebhookDelivery.objects.count() == 1


def test_a_frontline_employee_cannot_reach_the_webhook_admin(client, alice):
    alice.is_staff = True  # even with admin-site access, the role has no webhook permission
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/webhooks/webhookendpoint/").status_code == 403
    assert client.get("/admin/webhooks/webhookdelivery/").status_code == 403


def test_deleting_an_endpoint_keeps_its_deliveries_and_fails_those_still_waiting(
    client, dana, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/hooks")
    with django_capture_on_commit_callbacks(execute=False):
        make_case()
        make_case()
    sent, waiting = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk=sent.pk).update(state=DeliveryState.DELIVERED, next_attempt_at=None)
    client.force_login(dana)
    response = client.post(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.endpoint, sent.state) == (None, DeliveryState.DELIVERED)
    assert (waiting.endpoint, waiting.state, waiting.last_error) == (
        None,
        DeliveryState.FAILED,
        "The endpoint was deleted.",
    )
    assert sweep_outbox.call(PURPOSE) == 0
    assert client.get("/admin/webhooks/webhookdelivery/").status_code == 200
