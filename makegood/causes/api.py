"""REST endpoints for root causes: the taxonomy, a case's cause (read and write) and its suggestions.

Visibility is the case's (404 for a case the token's owner may not see); setting a cause needs
the respond permission (403), a current cause and a failure (422).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.cases.selectors import case_get_for_user
from makegood.causes.models import CaseCause, Cause, Choice, Failure, Source
from makegood.causes.selectors import case_cause_of, case_story_text, cause_by_label, causes_active
from makegood.causes.services import case_cause_set
from makegood.causes.suggester import causes_suggest

router = Router(tags=["causes"])


class CauseOut(Schema):
    id: int
    category: str
    name: str
    label: str = Field(description="`Category / Cause`.", examples=["Process / Delay in our own process"])
    owner: str | None = Field(description="Username of the process owner (the category's when the cause has none).")

    @staticmethod
    def resolve_category(obj: Cause) -> str:
        return obj.category.name

    @staticmethod
    def resolve_owner(obj: Cause) -> str | None:
        owner = obj.owner or obj.category.owner
        return owner.get_username() if owner is not None else None


class SuggestedOut(Schema):
    cause: int
    label: str
    probability: float = Field(ge=0, le=1)


class SuggestionsOut(Schema):
    source: Source = Field(description='"model" (learned from this business\'s cases), "rules" (keywords) or "none".')
    items: list[SuggestedOut]


class CaseCauseOut(Schema):
    case: str = Field(examples=["MG-2026-000123"])
    cause: CauseOut | None
    failure: Failure | None = Field(description='"system" (a process) or "person" (a one-off by a person).')
    set_by: str | None
    set_at: datetime | None
    choice: Choice | None = Field(
        description="Whether the first suggestion, another one, or the person's own was taken."
    )


class CaseCauseIn(Schema):
    cause: int | str = Field(description="The cause's id, or its label `Category / Cause`.")
    failure: Failure


def _out(reference: str, current: CaseCause | None) -> dict[str, object]:
    if current is None:
        return {"case": reference, "cause": None, "failure": None, "set_by": None, "set_at": None, "choice": None}
    return {
        "case": reference,
        "cause": current.cause,
        "failure": current.failure or None,
        "set_by": current.set_by.get_username() if current.set_by is not None else None,
        "set_at": current.set_at,
        "choice": current.choice,
    }


@router.get(
    "/causes", response={200: list[CauseOut], 401: ErrorOut}, summary="List the causes", operation_id="cause_list"
)
def cause_list(request: HttpRequest) -> list[Cause]:
    """The active taxonomy, in order (every staff token may read it)."""
    token_user(request)
    return list(causes_active().order_by("category__position", "category__name", "name"))


@router.get(
    "/cases/{reference}/cause",
    response={200: CaseCauseOut, 401: ErrorOut, 404: ErrorOut},
    summary="Read a case's root cause",
    operation_id="case_cause_get",
)
def case_cause_get(request: HttpRequest, reference: str) -> dict[str, object]:
    case = case_get_for_user(token_user(request), reference)
    return _out(case.reference, case_cause_of(case))


@router.put(
    "/cases/{reference}/cause",
    response={200: CaseCauseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Set or change a case's root cause",
    operation_id="case_cause_set",
)
def case_cause_put(request: HttpRequest, reference: str, payload: CaseCauseIn) -> dict[str, object]:
    """The same service as the case page: a timeline line and an audit entry each time."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    if not user.has_perm("cases.respond_case"):
        raise PermissionDenied("Your role may not set root causes.")
    if isinstance(payload.cause, int):
        cause = causes_active().filter(pk=payload.cause).first()
    else:
        cause = cause_by_label(payload.cause)
    if cause is None:
        raise ValidationError({"cause": [f"No current cause {payload.cause!r}; GET /api/v1/causes lists them."]})
    suggestions = causes_suggest(case_story_text(case))
    case_cause_set(
        case=case,
        user=user,
        cause=cause,
        failure=payload.failure,
        suggested=suggestions.as_json(),
        source=suggestions.source,
    )
    return _out(case.reference, case_cause_of(case))


@router.get(
    "/cases/{reference}/cause/suggestions",
    response={200: SuggestionsOut, 401: ErrorOut, 404: ErrorOut},
    summary="The three likeliest causes of a case",
    operation_id="case_cause_suggestions",
)
def case_cause_suggestions(request: HttpRequest, reference: str) -> dict[str, object]:
    case = case_get_for_user(token_user(request), reference)
    suggestions = causes_suggest(case_story_text(case))
    return {"source": suggestions.source, "items": suggestions.as_json()}
