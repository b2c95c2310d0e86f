"""Server-side request forgery: destinations on loopback, private, link-local or reserved
addresses are refused when saved and again, resolved, at delivery (DNS rebinding), unless
MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE allows them."""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.outbox import addresses, client
from makegood.outbox.addresses import url_refusal

PRIVATE_URLS = [
    "http://127.0.0.1:8000/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://172.16.5.5/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://240.0.0.1/hook",
    "http://localhost:8000/hook",
    "http://metadata.google.internal/computeMetadata/v1/",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_non_public_destinations_are_refused(url, settings):
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = False
    assert url_refusal(url)


def test_public_destinations_and_unresolvable_names_are_accepted(settings, monkeypatch):
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = False
    assert url_refusal("https://93.184.216.34/hook") is None
    monkeypatch.setattr(addresses, "resolve", lambda host, port: [ipaddress.ip_address("93.184.216.34")])
    assert url_refusal("https://crm.example.com/hook") is None


def test_a_name_that_resolves_to_a_private_address_is_refused_when_saved(settings, monkeypatch):
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(addresses, "resolve", lambda host, port: [ipaddress.ip_address("10.0.0.7")])
    assert "10.0.0.7" in (url_refusal("https://crm.example.com/hook") or "")


def test_the_setting_allows_private_destinations(settings):
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = True
    assert all(url_refusal(url) is None for url in PRIVATE_URLS)


@pytest.mark.django_db
def test_the_admin_refuses_an_endpoint_on_a_private_address_with_a_clear_error(client, north, settings):
    from makegood.webhooks.models import WebhookEndpoint

    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = False
    client.force_login(make_staff("dana", Role.ADMINISTRATOR, north))
    form = {"url": "http://169.254.169.254/latest/meta-data/", "description": "x", "events": ["case.opened"]}
    response = client.post("/admin/webhooks/webhookendpoint/add/", form)
    assert response.status_code == 200
    assert "public addresses" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()

    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = True
    assert client.post("/admin/webhooks/webhookendpoint/add/", form).status_code == 302
    assert WebhookEndpoint.objects.get().url == form["url"]


def test_a_private_payment_system_url_fails_the_start_up_check(settings):
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = False
    settings.MAKEGOOD_PAYMENT_WEBHOOK_URL = "http://10.0.0.5/refunds"
    with pytest.raises(SystemCheckError, match="MAKEGOOD_PAYMENT_WEBHOOK_URL"):
        call_command("check")
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = True
    call_command("check")


@pytest.fixture
def local_server():
    received: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(dict(self.headers.items()))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port, received
    finally:
        server.shutdown()
        server.server_close()


def test_a_name_rebound_to_a_private_address_is_refused_at_delivery(local_server, settings, monkeypatch):
    """Saved while it resolved to a public address; at delivery it resolves to loopback."""
    port, received = local_server
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(addresses, "resolve", lambda host, port: [ipaddress.ip_address("93.184.216.34")])
    url = f"http://hooks.example.com:{port}/in"
    assert url_refusal(url) is None
    monkeypatch.setattr(addresses, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    result = client.post(url, body=b"{}", headers={})
    assert not result.ok and result.status is None
    assert "127.0.0.1" in result.error and "not a public address" in result.error
    assert received == []


def test_delivery_connects_to_the_address_it_checked_with_the_name_as_host(local_server, settings, monkeypatch):
    port, received = local_server
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = True
    monkeypatch.setattr(addresses, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    result = client.post(f"http://hooks.example.com:{port}/in", body=b"{}", headers={"X-Test": "1"})
    assert result.ok and result.status == 204
    assert received[0]["Host"] == f"hooks.example.com:{port}"
    assert received[0]["X-Test"] == "1"
