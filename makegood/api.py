"""The REST API at /api/v1 (OpenAPI docs at /api/docs). Each app contributes a router.

Every error is JSON with a `detail`; a 422 also carries `errors`, messages per field path
(`{"customer.email": ["Enter a valid e-mail address."]}`), whether the schema or a service
found the problem.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from makegood.accounts.models import ApiToken
from makegood.cases.services import CaseActionError
from makegood.throttle import (
    AddressThrottle,
    RateLimited,
    TokenThrottle,
    authentication_failed,
    check_authentication_allowed,
)

logger = logging.getLogger(__name__)

# `last_used_at` is for people auditing tokens, so minute precision is plenty; writing it on
# every request would put a write (and on SQLite the database lock) on every read.
LAST_USED_PRECISION = timedelta(minutes=1)

# A token's owner is remembered per token (in each worker) for this long, with their staff
# profile and permissions: loading them costs three queries, a fifth of an intake. The token
# itself is looked up on every request (`ApiToken.find_active_row`, one hand-written statement),
# so a revoked token or a deactivated employee is refused at once; a changed role or team
# reaches that person's tokens within this time.
PERMISSIONS_TTL_SECONDS = 60.0
_MAX_REMEMBERED = 10_000
_owners: dict[str, tuple[float, User]] = {}  # by the token's digest: never reused, unlike an id
_clock = time.monotonic


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the request's user becomes the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.find_active_row(token)
        if found is not None:
            found.user = request.user = _owner(found)
            _note_use(found)
        return found


def _owner(token: ApiToken) -> User:
    """The token's owner: a copy of the remembered one, so that a request's changes stay its own."""
    now = _clock()
    remembered = _owners.get(token.digest)
    if remembered is None or remembered[0] <= now or remembered[1].pk != token.user_id:
        user = User.objects.select_related("staff__team").get(pk=token.user_id)
        # ModelBackend answers has_perm from this attribute when it is set.
        user._perm_cache = user.get_all_permissions()  # type: ignore[attr-defined]
        if len(_owners) >= _MAX_REMEMBERED:
            _owners.clear()
        remembered = _owners[token.digest] = (now + PERMISSIONS_TTL_SECONDS, user)
    return copy.copy(remembered[1])


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    # The condition makes concurrent requests of one token write once, not once each.
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


class UnsupportedBody(Exception):
    """A request body that is not JSON in UTF-8 with `Content-Type: application/json`."""

    status = 415


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


class StrictJsonParser(Parser):
    """Request bodies exactly as the schema describes them: `application/json`, UTF-8, JSON.

    ninja's own parser hands the bytes to `json.loads`, which also reads UTF-16 and UTF-32, never
    looks at the Content-Type, and takes `NaN` and `Infinity`.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        charset = (request.content_params or {}).get("charset", "utf-8").lower()
        if request.content_type != "application/json" or charset not in ("utf-8", "utf8"):
            raise UnsupportedBody("Send the request body as JSON, with 'Content-Type: application/json'.")
        text = request.body.decode("utf-8")  # strict: anything else is a UnicodeDecodeError (400)
        return json.loads(text, parse_constant=_no_constant)


api = NinjaAPI(
    title="Makegood API",
    version="1",
    description=(
        "Open complaints from any system and read them back. Authenticate with "
        "`Authorization: Bearer <token>` (`makegood create_api_token USERNAME` issues one)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=BearerToken(),
    throttle=[TokenThrottle(), AddressThrottle()],
    parser=StrictJsonParser(),
)


def _error(request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _too_many(request: HttpRequest, detail: str, retry_after: int) -> HttpResponse:
    response = _error(request, 429, f"{detail} Try again in {retry_after} seconds.")
    response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Over the per-token or per-address limit (makegood/throttle.py)."""
    return _too_many(request, "Too many requests.", max(1, math.ceil(exc.wait or 1)))


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    # Counted: an address that keeps sending bad tokens is answered 429 instead, until its window ends.
    try:
        check_authentication_allowed(request)
    except RateLimited as limited:
        return _too_many(request, str(limited), limited.retry_after)
    authentication_failed(request)
    response = _error(
        request,
        401,
        "Missing or invalid API token. Send a valid token as 'Authorization: Bearer <token>'.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="makegood"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = exc.message
    cause = exc.__cause__
    # ninja reports every unreadable body as "Cannot parse request body"; say what is wrong.
    if isinstance(cause, UnsupportedBody):
        return _error(request, cause.status, str(cause))
    if isinstance(cause, json.JSONDecodeError):
        detail = f"The request body is not valid JSON: {cause.msg} (line {cause.lineno}, column {cause.colno})."
    elif isinstance(cause, UnicodeDecodeError):
        detail = "The request body is not valid JSON: it must be UTF-8 encoded."
    elif isinstance(cause, ValueError) and "is not a JSON value" in str(cause):
        detail = f"The request body is not valid JSON: {cause}."
    elif isinstance(cause, RecursionError):
        detail = "The request body is not valid JSON: it is nested too deeply."
    elif cause is not None and exc.status_code == 400:
        detail = "The request body is not valid JSON."
    return _error(request, exc.status_code, detail)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """ninja's error location -> the field's path as the client wrote it.

    `("body", "payload", "customer", "email")` -> `customer.email` (the body parameter's name
    is ours, not the client's); `("query", "limit")` -> `limit`; `("header", "Idempotency-Key")`.
    """
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


@api.exception_handler(RequestValidationError)
def _invalid_request(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        path = _field_path(error.get("loc", ()))
        if not path:
            # The body as a whole is missing or is not an object: the request is malformed.
            return _error(request, 400, "The request body must be a JSON object.")
        message = "This field is required." if error.get("type") == "missing" else str(error.get("msg", "Invalid."))
        message = message.removeprefix("Value error, ")
        errors.setdefault(path, []).append(message)
    return _error(request, 422, "Some fields are invalid.", errors)


@api.exception_handler(DjangoValidationError)
def _invalid_fields(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the input. Endpoints re-key the errors to JSON paths before they get here."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "Some fields are invalid.", errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Your role may not do this.")


@api.exception_handler(CaseActionError)
def _not_now(request: HttpRequest, exc: CaseActionError) -> HttpResponse:
    """Well-formed, but not allowed in the case's current state (taking a closed case, ...)."""
    return _error(request, 409, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "The request body is too large.")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback; the client gets JSON like every other answer, not an HTML page.
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return _error(request, 500, "Something went wrong on our side. Please try again.")


def _register_routers() -> None:
    # Imported here: the routers' modules import models, and this module is imported by urls.py.
    from makegood.cases.api import router as cases_router
    from makegood.intake.api import case_open_add_to
    from makegood.recovery.api import router as recovery_router
    from makegood.remedies.api import router as remedies_router
    from makegood.webhooks.api import router as webhooks_router

    # `/v1/cases` is one URL, so one router: the core's list and read, and intake's open.
    case_open_add_to(cases_router)
    # Before `/v1/cases/{reference}`, which would take "on-the-spot" for a reference.
    api.add_router("/v1", "makegood.spot.api.router")
    api.add_router("/v1/cases", cases_router)
    api.add_router("/v1", "makegood.cases.api_handoffs.router")
    api.add_router("/v1", recovery_router)
    api.add_router("/v1", remedies_router)
    api.add_router("/v1", "makegood.followup.api.router")
    api.add_router("/v1/webhooks", webhooks_router)
    api.add_router("/v1", "makegood.causes.api.router")
    api.add_router("/v1", "makegood.improvement.api.router")
    api.add_router("/v1", "makegood.desk.api.router")
    api.add_router("/v1", "makegood.insights.api.router")
    api.add_router("/v1", "makegood.purchases.api.router")


_register_routers()
