"""A real HTTP endpoint on 127.0.0.1 that checks signatures, and an endpoint pointing at it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from makegood.webhooks import selectors
from makegood.webhooks.models import WebhookEndpoint
from makegood.webhooks.signing import SIGNATURE_HEADER, signature_verify


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HookServer:
    """Answers each POST with the next status in `script` (200 once it is empty).

    A request whose signature does not verify under `secret` is answered 401.
    """

    url: str
    secret: str = ""
    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)


@pytest.fixture
def hook_server(monkeypatch, settings) -> Iterator[HookServer]:
    # The server is on 127.0.0.1: delivering to it takes the explicit allowance.
    settings.MAKEGOOD_WEBHOOKS_ALLOW_PRIVATE = True
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    state = HookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            verified = signature_verify(state.secret, body, self.headers.get(SIGNATURE_HEADER, ""))
            state.received.append(Received(self.path, dict(self.headers.items()), body, verified))
            status = state.script.pop(0) if state.script else 200
            if not verified:
                status = 401
            self.send_response(status)
            answer = b"ok" if 200 <= status < 300 else b"nope"
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/makegood"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def endpoint(db, hook_server) -> WebhookEndpoint:
    created = WebhookEndpoint.objects.create(url=hook_server.url, description="CRM")
    hook_server.secret = created.secret
    return created


@pytest.fixture(autouse=True)
def _fresh_subscriptions():
    """Each test starts with no remembered subscriptions (the memory outlives a test's rollback)."""
    selectors.subscriptions_forget()
    yield
    selectors.subscriptions_forget()
