"""The REST API's shapes for cases: the filters and the output, and the errors every router shares.

The input of `POST /v1/cases` is intake's (`makegood.intake.schemas`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from ninja import Field, Schema
from pydantic import BaseModel, field_validator

from makegood.api_types import IsoDateTime
from makegood.cases.models import MAX_EXTERNAL_ID, Case, Channel, Status

MAX_EMAIL = 254  # Customer.email's column; longer would fail in the database, not in validation.
MAX_PAGE = 200


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


def case_out(case: Case) -> CaseOut:
    """`CaseOut` of a case, built from its attributes without validating them again.

    The same as ninja's `CaseOut.from_orm(case)` (a test holds the two to the same JSON), without
    its per-attribute getter and the validation of values the database has just given back:
    intake answers every new case with it, and that was a twentieth of an intake's CPU.
    """
    team, owner, customer = case.team, case.owner, case.customer
    return CaseOut.model_construct(
        id=case.pk,
        reference=case.reference,
        channel=Channel(case.channel),
        status=Status(case.status),
        subject=case.subject,
        external_id=case.external_id,
        customer=CustomerOut.model_construct(name=customer.name, email=customer.email, phone=customer.phone),
        team=None if team is None else TeamOut.model_construct(slug=team.slug, name=team.name),
        owner=None
        if owner is None
        else PersonOut.model_construct(username=owner.get_username(), name=PersonOut.resolve_name(owner)),
        received_at=case.received_at,
        acknowledged_at=case.acknowledged_at,
        first_response_due_at=case.first_response_due_at,
        first_responded_at=case.first_responded_at,
        first_response_breached=case.first_response_breached,
        resolved_at=case.resolved_at,
        story=case.story,
        expectation=case.expectation,
    )


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
    count: int = Field(
        description="How many cases match the filters, up to 10,000: past that it is 10,000 and `count_capped` is true."
    )
    count_capped: bool = Field(
        False, description="True when more cases match than `count` says (counting stops at 10,000)."
    )
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, if any.")
    previous: str | None = Field(description="URL of the previous page, if any.")
    items: list[CaseSummaryOut]
