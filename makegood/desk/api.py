"""The desk's API: `GET /v1/search` (the search page's selector) and
`POST /v1/cases/{reference}/merge` (the case page's merge service)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, field_validator

from makegood.accounts.requests import token_user
from makegood.cases.models import Case, Channel, Status
from makegood.cases.schemas import CaseSummaryOut, ErrorOut, ValidationErrorOut, storable_text
from makegood.cases.selectors import case_get_for_user
from makegood.desk.merge import case_merge
from makegood.desk.search import MAX_QUERY_CHARS, RESULT_LIMIT, SearchFilters, case_search

router = Router(tags=["search"])


class SearchQuery(BaseModel):
    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="A reference, name, e-mail, phone or words.")
    status: Status | None = None
    channel: Channel | None = None
    team: str | None = Field(None, max_length=100, description="Team slug.")
    limit: int = Field(RESULT_LIMIT, ge=1, le=RESULT_LIMIT)

    _storable = field_validator("q", "team")(storable_text)


class SearchOut(Schema):
    query: str
    matched_on: str = Field(description='"reference", "email", "phone" or "words" ("" when nothing matched).')
    items: list[CaseSummaryOut] = Field(description="Best match first (newest first for an e-mail or phone).")


@router.get(
    "/search",
    response={200: SearchOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Search cases",
    operation_id="case_search",
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, object]:
    """Only cases the token's owner may see; a reference answers with that one case."""
    filters = SearchFilters(status=query.status or "", team=query.team or "", channel=query.channel or "")
    result = case_search(token_user(request), query.q, filters=filters, limit=query.limit)
    return {"query": result.query, "matched_on": result.matched_on, "items": result.cases}


class MergeIn(Schema):
    into: str = Field(max_length=40, description="The reference of the customer's case to merge this one into.")


@router.post(
    "/cases/{reference}/merge",
    response={200: CaseSummaryOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Merge a duplicate case into another of the same customer",
    operation_id="case_merge",
)
def merge(request: HttpRequest, reference: str, payload: MergeIn) -> Case:
    """The case is closed into `into`; both keep their timelines. Answers with the case that remains.
    404 for a case the token's owner may not see; 409 when they cannot be merged."""
    user = token_user(request)
    source = case_get_for_user(user, reference)
    target = case_get_for_user(user, payload.into)
    return case_merge(source=source, target=target, by=user)
