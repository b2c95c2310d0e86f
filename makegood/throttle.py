"""Rate limits, and who the client is.

One answer to "which address is this?" (`client_ip`, which believes `X-Forwarded-For` only as far
as the configured proxies vouch for it) serves every limiter: the public web form's
django-ratelimit (`RATELIMIT_IP_META_KEY`), the API's and the login's. The counters are
django-ratelimit's, in the configured cache (`CACHE_URL`), so every process shares them.

Failed authentications (a wrong password, an unknown or missing API token) are limited far more
tightly than normal use: past `MAKEGOOD_RATE_AUTH_FAILURES` from one address, that address may
not sign in at all until the window ends (and its bad API tokens get 429 instead of 401), and
past `MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER` for one username, that username is locked out the
same way, whoever tries it. API requests are counted per token and per address by ninja's
throttles. Every refusal is a 429 with `Retry-After`. A rate is `count/period` (`20/m`,
`10/15m`); empty turns that limit off.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_ratelimit.core import get_usage
from ninja.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """Over a limit: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(what)
        self.retry_after = retry_after


# --- Who the client is --------------------------------------------------------------------------


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return None


def _trusted(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.MAKEGOOD_TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The client's address: `REMOTE_ADDR`, unless the request came through trusted proxies.

    With `MAKEGOOD_PROXY_COUNT = N`, N proxies each appended the address they saw to
    `X-Forwarded-For`, so the client is the Nth entry from the right (a client may write anything
    to the left of it, which is why nothing further left is believed). With
    `MAKEGOOD_TRUSTED_PROXIES` (addresses or networks), the header is read from the right for as
    long as the hop that wrote it is trusted. Otherwise the header is ignored: anyone can send it.
    """
    # Unknown (a Unix socket with no proxy header): one shared bucket rather than none.
    remote = _address(str(request.META.get("REMOTE_ADDR", ""))) or "0.0.0.0"  # noqa: S104
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part for part in header.split(",") if part.strip()]
    hops = settings.MAKEGOOD_PROXY_COUNT
    if hops > 0:
        if len(forwarded) < hops:
            return remote  # did not come through all our proxies: nothing in the header is vouched for
        return _address(forwarded[-hops]) or remote
    if settings.MAKEGOOD_TRUSTED_PROXIES and _trusted(remote):
        client = remote
        for part in reversed(forwarded):
            address = _address(part)
            if address is None:
                break
            client = address
            if not _trusted(address):
                break
        return client
    return remote


def ratelimit_ip(request: HttpRequest) -> str:
    """`RATELIMIT_IP_META_KEY`: django-ratelimit's `key="ip"` (the web form) through `client_ip`."""
    return client_ip(request)


# --- Counting -----------------------------------------------------------------------------------


def _digest(value: str) -> str:
    # Cache keys stay short and safe for any backend whatever a client sends.
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:32]


def _count(request: HttpRequest, group: str, value: str, rate: str) -> int | None:
    """Count one more for `value`; the seconds left in the window once that used up `rate`, else None."""
    if not rate:
        return None
    key: Callable[[str, HttpRequest], str] = lambda _group, _request: _digest(value)  # noqa: E731
    usage = get_usage(request, group=f"makegood.{group}", key=key, rate=rate, increment=True)
    # Locked when the allowance is used up (not one past it): "20 a minute" means the 21st waits.
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(1, int(usage["time_left"]))


def _lock_key(kind: str, value: str) -> str:
    return f"makegood:lock:{kind}:{_digest(value)}"


def _lock(kind: str, value: str, seconds: int) -> None:
    caches[settings.RATELIMIT_USE_CACHE].set(_lock_key(kind, value), time.time() + seconds, seconds)


def _locked_for(kind: str, value: str) -> int:
    """Seconds this lock still holds (0: not locked). A read only, so cheap on every request."""
    until = caches[settings.RATELIMIT_USE_CACHE].get(_lock_key(kind, value))
    return max(0, math.ceil(until - time.time())) if until else 0


def authentication_failed(request: HttpRequest, *, username: str = "") -> None:
    """Count a failed authentication from this client (and against this username, for a login);
    lock the address or the username out when over its limit."""
    ip = client_ip(request)
    wait = _count(request, "auth-failures", ip, settings.MAKEGOOD_RATE_AUTH_FAILURES)
    if wait is not None:
        logger.warning("Authentication failures over the limit from %s: locked for %d s", ip, wait)
        _lock("address", ip, wait)
    if username:
        wait = _count(request, "login-failures", username.lower(), settings.MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER)
        if wait is not None:
            logger.warning("Login failures over the limit for username %r: locked for %d s", username[:150], wait)
            _lock("username", username.lower(), wait)


def check_authentication_allowed(request: HttpRequest, *, username: str = "") -> None:
    """Raise RateLimited while this address (or this username) is locked out."""
    wait = _locked_for("address", client_ip(request))
    if wait:
        raise RateLimited(wait, "Too many failed sign-ins from your address.")
    if username:
        wait = _locked_for("username", username.lower())
        if wait:
            raise RateLimited(wait, "Too many failed sign-ins for this username.")


# --- API requests -------------------------------------------------------------------------------


class _SettingsRateThrottle(SimpleRateThrottle):
    """ninja's throttle with its rate read from settings on each request (so a changed setting,
    or a test's, applies at once) and its counts in `MAKEGOOD_API_RATELIMIT_CACHE`.

    That cache is separate because every API request writes its counters: in the default
    database cache that would be several queries, and on SQLite a write lock, on every read.
    """

    setting = ""

    def __init__(self) -> None:
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting)
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        self.cache = caches[settings.MAKEGOOD_API_RATELIMIT_CACHE]
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request)


class TokenThrottle(_SettingsRateThrottle):
    """Requests per API token (`MAKEGOOD_RATE_API_TOKEN`)."""

    setting = "MAKEGOOD_RATE_API_TOKEN"
    scope = "token"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        digest = getattr(getattr(request, "auth", None), "digest", None)
        return self.cache_format % {"scope": self.scope, "ident": digest} if digest else None


class AddressThrottle(_SettingsRateThrottle):
    """API requests per client address (`MAKEGOOD_RATE_API_ADDRESS`), whatever the token."""

    setting = "MAKEGOOD_RATE_API_ADDRESS"
    scope = "address"

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@receiver(user_login_failed, dispatch_uid="makegood_throttle_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    if request is not None:
        authentication_failed(request, username=str(credentials.get("username") or ""))


# --- The login pages ----------------------------------------------------------------------------


class LoginThrottleMiddleware:
    """Refuse a sign-in (the staff login and the admin's) from a locked-out address or username
    with 429 and Retry-After, before the password is even checked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info in self._login_paths():
            try:
                check_authentication_allowed(request, username=str(request.POST.get("username", "")))
            except RateLimited as exc:
                logger.warning("Sign-in refused for %s: %s", client_ip(request), exc)
                response = render(
                    request,
                    "registration/locked.html",
                    {"retry_after": exc.retry_after, "minutes": math.ceil(exc.retry_after / 60)},
                    status=429,
                )
                response["Retry-After"] = str(exc.retry_after)
                return response
        return self.get_response(request)

    def _login_paths(self) -> frozenset[str]:
        if self._paths is None:
            self._paths = frozenset({reverse("login"), reverse("admin:login")})
        return self._paths
