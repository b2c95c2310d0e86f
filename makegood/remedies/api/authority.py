"""`GET /me/authority`: what the caller may still grant."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.cases.selectors import case_get_for_user
from makegood.remedies.api.common import router
from makegood.remedies.api.inputs import AuthorityFilters
from makegood.remedies.api.outputs import AuthorityOut
from makegood.remedies.panel_state import CaseAuthority
from makegood.remedies.selectors import authority_status


@router.get(
    "/me/authority",
    response={200: AuthorityOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="My authority left",
    operation_id="authority_me",
)
def authority_me(request: HttpRequest, filters: Query[AuthorityFilters]) -> CaseAuthority:
    """Caps and what is left: per case (of `case`, if given), today and this month."""
    user = token_user(request)
    case = case_get_for_user(user, filters.case) if filters.case else None
    return CaseAuthority(case=case, remaining=authority_status(user=user, case=case))
