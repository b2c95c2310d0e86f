"""Who is asking: the staff member behind a request, typed as a `User`."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest

from makegood.accounts.models import ApiToken


def staff_user(request: HttpRequest) -> User:
    """The logged-in staff member of a page (LoginRequiredMiddleware lets no anonymous request through)."""
    user = request.user
    assert isinstance(user, User)
    return user


def token_user(request: HttpRequest) -> User:
    """The token's owner of an API call (BearerToken authenticated it before the endpoint runs)."""
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token.user
