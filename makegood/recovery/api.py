"""REST endpoints of the guided recovery (the reply coach, steps and messages)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import BaseModel

from makegood.accounts.models import Role
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.cases.services import MAX_STORY
from makegood.recovery.coach import CoachResult, Rule, coach_reply

router = Router(tags=["recovery"])


# The reply coach ----------------------------------------------------------------------------------

MAX_COACH_TEXT = MAX_STORY  # as long as a message to a customer may be


class CoachIn(BaseModel):
    text: str = Field(
        max_length=MAX_COACH_TEXT,
        description="The message being written to the customer.",
        examples=["I'm sorry, but we can't refund a sale item."],
    )
    role: Role = Field(
        description="The writer's role: a frontline employee's \"no\" blocks sending, a manager's only warns.",
        examples=[Role.FRONTLINE],
    )
    first_reply: bool = Field(False, description="The first reply to the complaint: it should apologise.")
    closing: bool = Field(True, description="The message closes the conversation: it should thank the customer.")
    explanation_requested: bool = Field(
        False, description="The customer asked why it happened, so an explanation after the apology is welcome."
    )


class FindingOut(Schema):
    rule: Rule
    severity: Literal["block", "warn"]
    start: int = Field(
        description="Offset of the span's first character in `text`, counted in Unicode code points (not UTF-16 units)."
    )
    end: int = Field(description="Offset just past the span's last character.")
    excerpt: str = Field(description="The span's text: `text[start:end]`.")
    message: str
    suggestion: str = Field(description="A suggested rewording.")


class CoachOut(Schema):
    findings: list[FindingOut] = Field(description="In text order.")
    blocking: bool = Field(description="Whether a finding stops this writer from sending the message.")


@router.post(
    "/coach",
    response={200: CoachOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut},
    summary="Coach a reply to a customer",
    operation_id="coach_reply",
)
def coach(request: HttpRequest, payload: CoachIn) -> CoachResult:
    """What to change in a message before sending it: saying no, passing the buck, blaming, an excuse
    after the apology, a missing apology or thanks; each with its span and a suggested rewording.

    This endpoint only advises, for the role given; sending a message must check again with the
    sender's own role (`coach_reply(text, role=role_of(user))`).
    """
    return coach_reply(
        payload.text,
        role=payload.role,
        first_reply=payload.first_reply,
        closing=payload.closing,
        explanation_requested=payload.explanation_requested,
    )
