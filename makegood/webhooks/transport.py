"""POSTing one webhook: urllib, http(s) only, a timeout, and no redirects followed.

A redirect is answered as a failure rather than followed: urllib would turn the POST into a GET
without its body, and an endpoint's address is the administrator's to change.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

TIMEOUT_SECONDS = 10
# How much of a refusing endpoint's answer is kept to show the administrator.
ERROR_BODY_CHARS = 500


@dataclass(frozen=True)
class PostResult:
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> PostResult:
    """Send the body; whatever happens (refusal, timeout, bad address) comes back as a result."""
    if not url.startswith(("https://", "http://")):
        return PostResult(status=None, error="The endpoint's URL must start with http:// or https://.")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked above)
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return PostResult(status=response.status)
    except urllib.error.HTTPError as exc:
        try:
            answer = exc.read(ERROR_BODY_CHARS).decode("utf-8", "replace").strip()
        except OSError:
            answer = ""
        error = f"The endpoint answered {exc.code} {exc.reason}." + (f" {answer}" if answer else "")
        return PostResult(status=exc.code, error=error[:1000])
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # URLError, timeouts, refused connections, garbled answers, malformed addresses.
        reason = getattr(exc, "reason", None) or exc
        return PostResult(status=None, error=f"Could not reach the endpoint: {reason}"[:1000])
