"""The REST API's shapes for cases: input and output kept apart, errors shared by every router."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from ninja import Field, Schema
from pydantic import BaseModel, field_validator

from makegood.api_types import IsoDateTime
from makegood.cases.models import Channel, Status
from makegood.cases.services import MAX_EXPECTATION, MAX_EXTERNAL_ID, MAX_NAME, MAX_STORY, MAX_SUBJECT

MAX_EMAIL = 254  # Customer.email's column; longer would fail in the database, not in validation.
MAX_PHONE = 64  # As typed, before normalising to E.164.
MAX_PAGE = 200

# Field names of `cases.services.validate_intake` -> where the field sits in the JSON body.
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


def storable_text(value: str | None) -> str | None:
    """Refuse text no database column can hold: PostgreSQL rejects NUL, UTF-8 lone surrogates."""
    if value is None:
        return value
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Must be valid Unicode text (it contains an unpaired surrogate).") from None
    return value


# Errors -------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(examples=["No such case."])


class ValidationErrorOut(Schema):
    detail: str = Field(examples=["Some fields are invalid."])
    errors: dict[str, list[str]] = Field(
        description="Messages per field, keyed by the field's path in the request (`customer.email`).",
        examples=[{"customer.email": ["Enter a valid e-mail address."]}],
    )


# Input --------------------------------------------------------------------------------------
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


class CaseFilters(BaseModel):
    status: Status | None = None
    channel: Channel | None = None
    team: str | None = Field(None, max_length=100, description="Team slug.")
    owner: str | None = Field(None, max_length=150, description='Owner\'s username, or "me".')
    received_after: IsoDateTime | None = Field(None, description="Inclusive; ISO 8601.")
    received_before: IsoDateTime | None = Field(None, description="Exclusive; ISO 8601.")
    external_id: str | None = Field(None, max_length=MAX_EXTERNAL_ID)
    customer_email: str | None = Field(None, max_length=MAX_EMAIL)
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=1_000_000_000)

    _storable = field_validator("team", "owner", "external_id", "customer_email")(storable_text)


# Output -------------------------------------------------------------------------------------


class CustomerOut(Schema):
    name: str
    email: str
    phone: str


class TeamOut(Schema):
    slug: str
    name: str


class PersonOut(Schema):
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class CaseSummaryOut(Schema):
    id: int
    reference: str = Field(examples=["MG-2026-000123"])
    channel: Channel
    status: Status
    subject: str
    external_id: str
    customer: CustomerOut
    team: TeamOut | None
    owner: PersonOut | None
    received_at: datetime
    acknowledged_at: datetime | None
    first_response_due_at: datetime
    first_responded_at: datetime | None
    first_response_breached: bool
    resolved_at: datetime | None


class CaseOut(CaseSummaryOut):
    story: str
    expectation: str


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    body: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.get_username() if obj.actor_id is not None else None


class CaseDetailOut(CaseOut):
    events: list[EventOut] = Field(description="The timeline, oldest first.")


class CasePageOut(Schema):
    count: int = Field(description="How many cases match the filters.")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, if any.")
    previous: str | None = Field(description="URL of the previous page, if any.")
    items: list[CaseSummaryOut]
