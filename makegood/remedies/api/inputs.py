"""The remedies API's input: plain pydantic models, validated at the edge (ninja's Schema would read
attributes off any object). Money is a string with its currency (`"amount": "12.50", "currency":
"USD"`), never a JSON number: floats cannot hold cents exactly. Each currency keeps its own
decimals: `"1200"` yen, `"1.250"` dinars.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field
from pydantic import BaseModel, field_validator

from makegood.api_types import MONEY_PATTERN, BodyInt, Flag, Money, money_text
from makegood.cases.models import LossKind, Severity
from makegood.cases.schemas import storable_text
from makegood.remedies.models import RemedyKind
from makegood.remedies.services import MAX_NOTE, MAX_ORDER_REFERENCE

MONEY_EXAMPLE = "12.50"
MAX_MONEY_TEXT = 30


def _money(description: str) -> Any:
    return Field(
        None,
        max_length=MAX_MONEY_TEXT,
        description=description + " A decimal string, more than zero, with no more decimals than the currency has "
        "(USD two, JPY none, BHD three).",
        examples=[MONEY_EXAMPLE],
        json_schema_extra={"pattern": MONEY_PATTERN},
    )


def _currency() -> Any:
    return Field(
        None,
        max_length=3,
        description="ISO 4217 code; must be the catalog's (and the authority's) currency. Default: that one.",
        examples=["USD"],
    )


# Input ------------------------------------------------------------------------------------------


class GrantIn(BaseModel):
    remedy_type_id: BodyInt = Field(description="The remedy's `id` in `GET /api/v1/remedies`.", examples=[3])
    amount: Money | None = _money("Variable remedies (refunds, coupons, gift cards): how much. Fixed ones: omit.")
    currency: str | None = _currency()
    order_reference: str = Field("", max_length=MAX_ORDER_REFERENCE, description="Default: the case's external id.")
    note: str = Field("", max_length=MAX_NOTE)
    authorization_id: BodyInt | None = Field(
        None, description="Grant a manager's approval (its id from the case's escalations) instead of own authority."
    )

    _money_check = field_validator("amount", mode="before")(money_text)
    _text = field_validator("order_reference", "note", "currency")(storable_text)


class DemandIn(BaseModel):
    demand_kind: str | None = Field(
        None,
        description="The kind of remedy the customer asks for; omit for money back.",
        json_schema_extra={"enum": list(RemedyKind.values)},
        examples=["refund_full"],
    )
    demand_amount: Money | None = _money("How much the customer asks for.")
    minimum_value: Money | None = _money("The least the customer said they would accept (value to them).")
    currency: str | None = _currency()
    order_reference: str = Field(
        "", max_length=MAX_ORDER_REFERENCE, description="When the demand is granted at once. Default: the case's."
    )

    _money_check = field_validator("demand_amount", "minimum_value", mode="before")(money_text)
    _text = field_validator("demand_kind", "currency", "order_reference")(storable_text)


class ChoiceIn(BaseModel):
    index: BodyInt | None = Field(None, ge=0, le=9, description="The option the customer chose (0-based).")
    none: Flag = Field(False, description="`true`: the customer wants none of these (then escalate).")
    order_reference: str = Field("", max_length=MAX_ORDER_REFERENCE)

    _text = field_validator("order_reference")(storable_text)


class EscalationIn(BaseModel):
    note: str = Field("", max_length=MAX_NOTE, description="For the manager; the full story is attached.")
    offer_id: BodyInt | None = Field(None, description="The declined offer; default: the case's latest.")
    demand_kind: str | None = Field(None, json_schema_extra={"enum": list(RemedyKind.values)})
    demand_amount: Money | None = _money("Default: the offer's demand.")
    currency: str | None = _currency()

    _money_check = field_validator("demand_amount", mode="before")(money_text)
    _text = field_validator("note", "demand_kind", "currency")(storable_text)


class DecisionIn(BaseModel):
    decision: Literal["approve", "take_over"] = Field(
        description='"approve": the employee delivers it; "take_over": the case becomes yours, and you '
        "contact the customer personally."
    )
    note: str = Field("", max_length=MAX_NOTE)
    remedy_type_id: BodyInt | None = Field(None, description="Approve this remedy (default: what the customer asked).")
    amount: Money | None = _money("Approve up to this amount (default: the demand's).")

    _money_check = field_validator("amount", mode="before")(money_text)
    _text = field_validator("note")(storable_text)


class LossIn(BaseModel):
    loss_kind: LossKind
    severity: Severity
    loss_amount: Money | None = _money("What the customer lost, if money.")
    loss_currency: str | None = _currency()
    business_at_fault: Flag = False

    _money_check = field_validator("loss_amount", mode="before")(money_text)
    _text = field_validator("loss_currency")(storable_text)


class CatalogFilters(BaseModel):
    currency: str | None = Field(None, max_length=3)


class AuthorityFilters(BaseModel):
    case: str | None = Field(None, max_length=40, description="A case reference: adds what is left on that case.")
