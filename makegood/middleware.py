"""Django's middleware that the pages need and the REST API's operations do not, skipped under `/api/v1/`.

An API call authenticates with a bearer token on every request and answers JSON. It reads no
session, needs no CSRF check (ninja's operations are CSRF-exempt: no cookie authenticates them),
has no user of the session (`request.user` is anonymous until `makegood.api.BearerToken` sets the
token's owner) and shows no messages. Django runs every middleware on every request all the same, and these four cost
about 0.1 ms of CPU per call. Each class here is the Django middleware itself (so the admin's
checks, which look for them, still find them), passing an API call straight through. Security
headers (`SecurityMiddleware`, the CSP, `X-Frame-Options`), `Server-Timing`, `CommonMiddleware`
and the login-required check (which lets the API's views through by their own mark) still run
for every request.

The API's documentation (`/api/docs`, `/api/openapi.json`) is outside `/api/v1/` and is served
like a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware

API_OPERATIONS_PREFIX = "/api/v1/"


def is_api_operation(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_OPERATIONS_PREFIX)


class _PagesOnly:
    get_response: Callable[[HttpRequest], Any]

    def __call__(self, request: HttpRequest) -> Any:
        if is_api_operation(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class Sessions(_PagesOnly, SessionMiddleware):
    pass


class Authentication(AuthenticationMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        if is_api_operation(request):
            # Nobody, until `makegood.api.BearerToken` finds the token's owner: no session to read.
            request.user = AnonymousUser()
            return self.get_response(request)
        return super().__call__(request)


class Messages(_PagesOnly, MessageMiddleware):
    pass


class Csrf(_PagesOnly, CsrfViewMiddleware):
    def process_view(
        self,
        request: HttpRequest,
        callback: Callable[..., Any],
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> HttpResponseForbidden | None:
        if is_api_operation(request):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)
