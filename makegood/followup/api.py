"""REST endpoints for follow-ups: read a case's follow-ups and answers, list them across cases,
and record the answers of a follow-up call.

Visibility is the case's: 404 for a case (or follow-up) the token's owner may not see. Refusals:
422 with messages per field, 409 when the follow-up is answered already or no longer open, 403
for someone who may not record the call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, field_validator

from makegood.accounts.requests import token_user
from makegood.api_types import BodyInt, Flag
from makegood.cases.api import page_url
from makegood.cases.schemas import MAX_PAGE, ErrorOut, ValidationErrorOut, storable_text
from makegood.cases.selectors import case_get_for_user
from makegood.followup.models import FollowUp, Method, Outcome, State, Via
from makegood.followup.selectors import followups_visible_to, may_record_call
from makegood.followup.services import MAX_TEXT, followup_answer

router = Router(tags=["follow-ups"])


# Shapes -------------------------------------------------------------------------------------------


class AnswerOut(Schema):
    resolved: bool = Field(description="Whether the customer said the issue is resolved.")
    satisfaction: int = Field(ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied).")
    comment: str
    suggestion: str = Field(description="What the customer said we could do better.")
    via: Via
    recorded_by: str | None = Field(description="Username of the employee who noted a call's answers.")
    outcome: Outcome = Field(description='"reopened" (not resolved, or a score of 1-2) or "closed".')
    answered_at: datetime

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by_id is not None else None


class FollowUpOut(Schema):
    id: int
    case: str = Field(description="The case's reference.", examples=["MG-2026-000123"])
    method: Method
    state: State
    due_at: datetime = Field(description="When the customer is (or was) to be asked.")
    sent_at: datetime | None
    remind_at: datetime | None
    reminded_at: datetime | None
    give_up_at: datetime | None = Field(description='When silence becomes "no response".')
    answered_at: datetime | None
    no_response_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    answer: AnswerOut | None

    @staticmethod
    def resolve_case(obj: FollowUp) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_answer(obj: FollowUp) -> Any:
        return getattr(obj, "answer", None)


class FollowUpPageOut(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[FollowUpOut]


class FollowUpFilters(BaseModel):
    state: State | None = None
    method: Method | None = None
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=1_000_000_000)


class CallAnswerIn(BaseModel):
    """What the customer said on the follow-up call."""

    resolved: Flag = Field(description="Does the customer say the issue is resolved?")
    satisfaction: BodyInt = Field(ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied).", examples=[4])
    comment: str = Field("", max_length=MAX_TEXT)
    suggestion: str = Field("", max_length=MAX_TEXT, description="What we could do better, in their words.")

    _storable = field_validator("comment", "suggestion")(storable_text)


def _with_answers(follow_ups: Any) -> Any:
    return follow_ups.select_related("case", "answer__recorded_by")


# Endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/cases/{reference}/follow-ups",
    response={200: list[FollowUpOut], 401: ErrorOut, 404: ErrorOut},
    summary="A case's follow-ups and answers",
    operation_id="case_followups_list",
)
def case_followups(request: HttpRequest, reference: str) -> list[FollowUp]:
    """Newest first: one follow-up per resolution, each with the customer's answer if there is one."""
    case = case_get_for_user(token_user(request), reference)
    return list(_with_answers(FollowUp.objects.filter(case=case)).order_by("-created_at", "-pk"))


@router.get(
    "/follow-ups",
    response={200: FollowUpPageOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="List follow-ups",
    operation_id="followup_list",
)
def followup_list(request: HttpRequest, filters: Query[FollowUpFilters]) -> dict[str, object]:
    """The follow-ups of the cases the token's owner may see, latest due first, filtered by state
    or method and paginated (`limit` at most 200)."""
    follow_ups = followups_visible_to(token_user(request))
    if filters.state:
        follow_ups = follow_ups.filter(state=filters.state)
    if filters.method:
        follow_ups = follow_ups.filter(method=filters.method)
    count = follow_ups.count()
    offset, limit = filters.offset, filters.limit
    items: list[FollowUp] = []
    if offset < count:
        items = list(_with_answers(follow_ups).order_by("-due_at", "-pk")[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": page_url(request, offset + limit) if offset + limit < count else None,
        "previous": page_url(request, max(offset - limit, 0)) if offset > 0 else None,
        "items": items,
    }


@router.post(
    "/follow-ups/{follow_up_id}/answer",
    response={
        201: FollowUpOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Record the answers of a follow-up call",
    operation_id="followup_answer_call",
)
def followup_answer_call(request: HttpRequest, follow_up_id: int, payload: CallAnswerIn) -> Status:
    """The case's owner (or a manager) records what the customer said on the phone. "Not resolved"
    or a score of 1-2 reopens the case with high priority; otherwise it is closed."""
    user = token_user(request)
    follow_up = followups_visible_to(user).select_related("case").filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404("No such follow-up.")
    if not may_record_call(user, follow_up.case):
        raise PermissionDenied("Only the case's owner (or a manager) records the follow-up call.")
    followup_answer(
        follow_up=follow_up,
        via=Via.CALL,
        recorded_by=user,
        resolved=payload.resolved,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
        suggestion=payload.suggestion,
    )
    return Status(201, _with_answers(FollowUp.objects.filter(pk=follow_up.pk)).get())
