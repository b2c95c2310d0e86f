"""The one HTTP client for everything Makegood POSTs: httpx, a timeout, no redirects, public addresses.

The host's name is resolved here, every address it resolves to is checked (`addresses.py`),
and the request connects to the checked address itself, with the name kept for the `Host`
header and TLS (SNI and the certificate check): a name that resolves to a public address when
saved and to a private one at delivery (DNS rebinding) is refused, not followed. A redirect is
answered as a failure rather than followed: the destination is the administrator's to change.
Proxies from the environment are not used, since the connection goes to the checked address.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from makegood.outbox import addresses

TIMEOUT_SECONDS = 10
# How much of a refusing endpoint's answer is kept to show the administrator.
ERROR_BODY_CHARS = 500
ERROR_CHARS = 1000


@dataclass(frozen=True)
class PostResult:
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _pinned(url: str) -> tuple[str, dict[str, str], dict[str, str]] | PostResult:
    """The URL rewritten to a checked address, its Host header and TLS name; or why it is refused."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        resolved = addresses.resolve(host, port)
    except (OSError, UnicodeError) as exc:
        return PostResult(status=None, error=f"Could not reach the endpoint: {exc}"[:ERROR_CHARS])
    if not addresses.private_allowed():
        refused = [address for address in resolved if not addresses.address_is_public(address)]
        if refused or not resolved:
            return PostResult(
                status=None,
                error=(
                    f"Refused: {host} resolves to {refused[0] if refused else 'nothing'}, not a public address "
                    f"({addresses.ALLOW_SETTING} allows private ones)."
                ),
            )
    address = resolved[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return (
        urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        {"Host": host_header},
        {"sni_hostname": host} if parts.scheme == "https" else {},
    )


def post(url: str, *, body: bytes, headers: dict[str, str]) -> PostResult:
    """Send the body; whatever happens (refusal, timeout, bad address) comes back as a result."""
    if not url.startswith(("https://", "http://")):
        return PostResult(status=None, error="The endpoint's URL must start with http:// or https://.")
    try:
        pinned = _pinned(url)
    except ValueError as exc:
        return PostResult(status=None, error=f"Could not reach the endpoint: {exc}"[:ERROR_CHARS])
    if isinstance(pinned, PostResult):
        return pinned
    target, host_header, extensions = pinned
    try:
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False) as client:
            request = client.build_request(
                "POST", target, content=body, headers={**headers, **host_header}, extensions=extensions
            )
            response = client.send(request)
            if 200 <= response.status_code < 300:
                return PostResult(status=response.status_code)
            answer = response.text[:ERROR_BODY_CHARS].strip()
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return PostResult(
            status=None, error=f"Could not reach the endpoint: {exc or exc.__class__.__name__}"[:ERROR_CHARS]
        )
    error = f"The endpoint answered {response.status_code} {response.reason_phrase}." + (f" {answer}" if answer else "")
    return PostResult(status=response.status_code, error=error[:ERROR_CHARS])
