"""The signature proves who sent the body and when; any change to either fails verification."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from makegood.webhooks.signing import SIGNATURE_HEADER, signature_header, signature_verify

SECRET = "whsec_test-secret"
BODY = b'{"event":"case.opened","id":"1"}'
NOW = 1_770_000_000


def test_a_signature_verifies_the_exact_body_it_was_made_for():
    header = signature_header(SECRET, BODY, NOW)
    assert header.startswith(f"t={NOW},v1=")
    assert signature_verify(SECRET, BODY, header, now=NOW + 10)


@pytest.mark.parametrize(
    "body",
    [
        BODY.replace(b"opened", b"closed"),
        BODY + b" ",
        json.dumps(json.loads(BODY), indent=1).encode(),
    ],
)
def test_a_tampered_body_fails_verification(body):
    assert not signature_verify(SECRET, body, signature_header(SECRET, BODY, NOW), now=NOW)


def test_a_wrong_secret_a_changed_timestamp_or_an_old_signature_fails():
    header = signature_header(SECRET, BODY, NOW)
    assert not signature_verify("whsec_other", BODY, header, now=NOW)
    assert not signature_verify(SECRET, BODY, header.replace(f"t={NOW}", f"t={NOW + 1}"), now=NOW)
    assert not signature_verify(SECRET, BODY, header, now=NOW + 301)
    assert not signature_verify(SECRET, BODY, "", now=NOW)
    assert not signature_verify(SECRET, BODY, "t=abc,v1=00", now=NOW)


def test_the_local_endpoint_refuses_a_tampered_delivery(hook_server):
    hook_server.secret = SECRET
    header = signature_header(SECRET, BODY)

    def post(body: bytes) -> int:
        request = urllib.request.Request(hook_server.url, data=body, headers={SIGNATURE_HEADER: header}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert post(BODY) == 200
    assert post(BODY.replace(b"opened", b"closed")) == 401
    assert [r.verified for r in hook_server.received] == [True, False]
