"""`GET /remedies`: the catalog."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.remedies.api.common import router
from makegood.remedies.api.inputs import CatalogFilters
from makegood.remedies.api.outputs import RemedyTypeOut
from makegood.remedies.models import RemedyType
from makegood.remedies.selectors import remedy_types_active


@router.get(
    "/remedies",
    response={200: list[RemedyTypeOut], 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="The remedy catalog",
    operation_id="remedy_catalog",
)
def remedy_catalog(request: HttpRequest, filters: Query[CatalogFilters]) -> QuerySet[RemedyType]:
    """The active remedies: what each costs the business and is worth to the customer, its limits."""
    user = token_user(request)
    if not user.has_perm("remedies.view_remedytype"):
        raise PermissionDenied("Your role may not see the remedy catalog.")
    currency = (filters.currency or "").upper() or None
    return remedy_types_active(currency=currency)
