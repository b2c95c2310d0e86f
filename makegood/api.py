"""The REST API at /api/v1 (OpenAPI docs at /api/docs). Each app contributes a router."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from makegood.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the request's user becomes the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.find_active(token)
        if found is not None:
            request.user = found.user
        return found


api = NinjaAPI(
    title="Makegood API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=BearerToken(),
)


def _register_routers() -> None:
    # Imported here: the routers' modules import models, and this module is imported by urls.py.
    from makegood.recovery.api import router as recovery_router

    api.add_router("/v1", recovery_router)


_register_routers()
