"""The input of `POST /v1/cases`. The case it answers with is the core's `CaseOut`."""

from __future__ import annotations

from typing import Any

from ninja import Field
from pydantic import BaseModel, field_validator

from makegood.cases.models import Channel
from makegood.cases.schemas import MAX_EMAIL, storable_text
from makegood.intake.opening import MAX_EXPECTATION, MAX_EXTERNAL_ID, MAX_NAME, MAX_STORY, MAX_SUBJECT

MAX_PHONE = 64  # As typed, before normalising to E.164.

# Field names of `intake.opening.validate_intake` -> where the field sits in the JSON body.
INTAKE_FIELD_PATHS: dict[str, str] = {
    "channel": "channel",
    "customer_name": "customer.name",
    "customer_email": "customer.email",
    "customer_phone": "customer.phone",
    "story": "story",
    "expectation": "expectation",
    "subject": "subject",
    "external_id": "external_id",
    "team": "team",
    "idempotency_key": "Idempotency-Key",
}


# Plain pydantic models: ninja's Schema reads attributes off any object, so it would take
# `"customer": "Dana"` for a customer with every field blank.


def _documented_limit(limit: int, **extra: Any) -> dict[str, Any]:
    # Shown in the OpenAPI schema, enforced by `validate_intake`: that way one response lists
    # every problem of a complaint, instead of the schema's first and the service's later.
    return {"maxLength": limit, **extra}


class CustomerIn(BaseModel):
    name: str = Field("", json_schema_extra=_documented_limit(MAX_NAME), examples=["Dana Whitfield"])
    email: str | None = Field(None, max_length=MAX_EMAIL, examples=["dana@example.com"])
    phone: str | None = Field(None, max_length=MAX_PHONE, examples=["+1 415 555 0100"])

    _storable = field_validator("name", "email", "phone")(storable_text)


class CaseIn(BaseModel):
    """A complaint. The customer needs an e-mail address or a phone number so that we can reply."""

    channel: str = Field(json_schema_extra={"enum": list(Channel.values)}, examples=["web"])
    customer: CustomerIn
    story: str = Field(
        description="The customer's account, in their own words.",
        json_schema_extra=_documented_limit(MAX_STORY),
        examples=["The sofa arrived with a torn cushion and nobody called back."],
    )
    expectation: str = Field(
        "",
        description="What the customer expects to happen.",
        json_schema_extra=_documented_limit(MAX_EXPECTATION),
        examples=["A new cushion before the weekend."],
    )
    subject: str = Field("", json_schema_extra=_documented_limit(MAX_SUBJECT))
    external_id: str = Field(
        "",
        description="Your system's identifier for this complaint (filterable).",
        json_schema_extra=_documented_limit(MAX_EXTERNAL_ID),
    )
    team: str = Field("", max_length=100, description="Slug of the team to route to; default: the intake team.")

    _storable = field_validator("story", "expectation", "subject", "external_id", "team")(storable_text)
