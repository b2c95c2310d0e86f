"""The webhook signature: `Makegood-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`.

The HMAC is computed with the endpoint's secret over `"<t>." + body` (the raw bytes sent). The
timestamp is inside the signed text, so a receiver that refuses old timestamps also refuses a
replayed request. `signature_verify` is what a receiver written in Python can use as is.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Makegood-Signature"
# How old a signature a receiver should still accept (clock skew plus time in transit).
DEFAULT_TOLERANCE_SECONDS = 300


def signature_compute(secret: str, body: bytes, timestamp: int) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>." + body` under the secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature_compute(secret, body, timestamp)}"


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
