"""`POST /v1/cases/on-the-spot`: the same service as the page (`spot_recovery_record`)."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Status
from pydantic import BaseModel, field_validator

from makegood.accounts.requests import token_user
from makegood.cases.models import Case
from makegood.cases.schemas import CaseOut, ErrorOut, ValidationErrorOut, storable_text
from makegood.causes.models import Cause
from makegood.causes.selectors import cause_by_label
from makegood.intake.opening import MAX_NAME, MAX_STORY
from makegood.spot.services import spot_recovery_record

router = Router(tags=["cases"])


class SpotIn(BaseModel):
    channel: Literal["in_person", "phone"] = Field(examples=["in_person"])
    customer_name: str = Field("", max_length=MAX_NAME, description="Optional: the customer may give none.")
    story: str = Field(max_length=MAX_STORY, description="What went wrong, in the customer's words.")
    what_we_did: str = Field(max_length=MAX_STORY, description="What was done on the spot to put it right.")
    cause: str = Field(
        max_length=300, description="The root cause as `Category / Cause`.", examples=["Process / Wrong order"]
    )
    failure: Literal["system", "person"] = Field(description="Whether the system (a process) or a person failed.")
    idempotency_key: str | None = Field(None, max_length=200, description="Send the same key to retry safely.")

    _storable = field_validator("customer_name", "story", "what_we_did", "cause", "idempotency_key")(storable_text)


@router.post(
    "/cases/on-the-spot",
    response={
        201: CaseOut,
        200: CaseOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Record a complaint put right on the spot (opened, owned and resolved in one go)",
    operation_id="case_spot_record",
)
def spot_record(request: HttpRequest, payload: SpotIn) -> Status[Case]:
    """No contact details needed: then no acknowledgement and no follow-up are sent. 201 with the
    resolved case; 200 with the same case when the idempotency key was used before."""
    user = token_user(request)
    cause: Cause | None = cause_by_label(payload.cause)
    if cause is None:
        raise ValidationError({"cause": [f"No current cause {payload.cause!r}; write it as `Category / Cause`."]})
    result = spot_recovery_record(
        user=user,
        channel=payload.channel,
        customer_name=payload.customer_name,
        story=payload.story,
        what_we_did=payload.what_we_did,
        cause=cause,
        failure=payload.failure,
        idempotency_key=payload.idempotency_key,
    )
    return Status(200 if result.replayed else 201, result.case)
