"""The one signer: HMAC-SHA256 under a shared secret, in the two header formats receivers expect.

- Webhooks: `Makegood-Signature: t=<unix seconds>,v1=<hex HMAC>` over `"<t>." + body`. The
  timestamp is inside the signed text, so a receiver that refuses old timestamps also refuses a
  replayed request. `signature_verify` is what a receiver written in Python can use as is.
- The payment system: `X-Makegood-Signature: sha256=<hex HMAC>` over the body, the format its
  integration was built against.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Makegood-Signature"
PAYMENT_SIGNATURE_HEADER = "X-Makegood-Signature"
# How old a signature a receiver should still accept (clock skew plus time in transit).
DEFAULT_TOLERANCE_SECONDS = 300


def hmac_hex(secret: str, message: bytes) -> str:
    """Hex HMAC-SHA256 of the message under the secret: every signature Makegood sends is one."""
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_compute(secret: str, body: bytes, timestamp: int) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>." + body` under the secret."""
    return hmac_hex(secret, f"{timestamp}.".encode() + body)


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature_compute(secret, body, timestamp)}"


def payment_signature_header(secret: str, body: bytes) -> str:
    return f"sha256={hmac_hex(secret, body)}"


def signature_verify(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True if the header signs exactly this body with this secret, and is recent enough."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, IndexError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature_compute(secret, body, timestamp)
    return any(hmac.compare_digest(expected, candidate) for candidate in fields.get("v1", []))
