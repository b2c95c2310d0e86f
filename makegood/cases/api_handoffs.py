"""REST endpoints for hand-offs and internal notes: the same services as the case page's cards
(`cases/handoffs.py`), so that the page and the API decide alike."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Status
from pydantic import BaseModel, field_validator

from makegood.accounts.models import Team
from makegood.accounts.requests import token_user
from makegood.cases.handoffs import MAX_REASON, case_note_add, case_transfer, case_transfer_cancel
from makegood.cases.models import Case, CaseEvent
from makegood.cases.schemas import ErrorOut, EventOut, TeamOut, ValidationErrorOut, storable_text
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import MAX_MESSAGE, case_take_ownership

router = Router(tags=["cases"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut}


class TransferIn(BaseModel):
    team: str = Field(max_length=100, description="The slug of the team to take the case.", examples=["riverside"])
    reason: str = Field(max_length=MAX_REASON, description="Why, for the team taking it.")

    _storable = field_validator("team", "reason")(storable_text)


class NoteIn(BaseModel):
    body: str = Field(max_length=MAX_MESSAGE, description="For colleagues only; never sent to the customer.")

    _storable = field_validator("body")(storable_text)


class HandoffOut(BaseModel):
    reference: str
    team: TeamOut | None = Field(description="The team that has the case now.")
    transfer_team: TeamOut | None = Field(description="The team asked to take it, until someone there does.")
    owner: str | None = Field(description="Username of the one person the customer has now.")


def _handoff(case: Case) -> HandoffOut:
    case = Case.objects.select_related("team", "transfer_team", "owner").get(pk=case.pk)

    def team(t: Team | None) -> TeamOut | None:
        return TeamOut(slug=t.slug, name=t.name) if t is not None else None

    return HandoffOut(
        reference=case.reference,
        team=team(case.team),
        transfer_team=team(case.transfer_team),
        owner=case.owner.get_username() if case.owner is not None else None,
    )


@router.post(
    "/cases/{reference}/transfer",
    response={200: HandoffOut, **ERRORS},
    summary="Transfer a case to another team",
    operation_id="case_transfer",
)
def transfer(request: HttpRequest, reference: str, payload: TransferIn) -> HandoffOut:
    """Ask another team to take the case. Its team and owner stay until someone there takes it
    (`POST /v1/cases/{reference}/take`, or the case page's *Take it*). 422: unknown team or no
    reason; 409: not the caller's to hand on, or no longer open."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    to_team = Team.objects.filter(slug=payload.team).first()
    if to_team is None:
        raise ValidationError({"team": [f"No team with the slug {payload.team!r}."]})
    return _handoff(case_transfer(case=case, user=user, to_team=to_team, reason=payload.reason))


@router.post(
    "/cases/{reference}/take",
    response={200: HandoffOut, **ERRORS},
    summary="Take ownership of a case",
    operation_id="case_take",
)
def take(request: HttpRequest, reference: str) -> HandoffOut:
    """ "I am taking ownership", as on the case page: of an unowned case of the caller's team, of
    one being transferred to it (the case then moves to that team), or any case for a manager.
    409 when it is not the caller's to take."""
    user = token_user(request)
    return _handoff(case_take_ownership(case=case_get_for_user(user, reference), user=user))


@router.post(
    "/cases/{reference}/transfer/withdraw",
    response={200: HandoffOut, **ERRORS},
    summary="Withdraw a transfer nobody has taken yet",
    operation_id="case_transfer_withdraw",
)
def transfer_withdraw(request: HttpRequest, reference: str) -> HandoffOut:
    user = token_user(request)
    return _handoff(case_transfer_cancel(case=case_get_for_user(user, reference), user=user))


@router.post(
    "/cases/{reference}/notes",
    response={201: EventOut, **ERRORS},
    summary="Add an internal note (never sent to the customer)",
    operation_id="case_note_add",
)
def note_add(request: HttpRequest, reference: str, payload: NoteIn) -> Status[CaseEvent]:
    user = token_user(request)
    event = case_note_add(case=case_get_for_user(user, reference), user=user, body=payload.body)
    return Status(201, event)
