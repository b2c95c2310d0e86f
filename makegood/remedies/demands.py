"""What happens to a customer's demand: the one write path behind the case page's "The customer
asks for…" form and the API's `POST /cases/{reference}/options`.

The demand is granted at once when it fits the employee's remaining authority and the catalog
(the cheapest remedy that makes it); otherwise the options the employee can grant right now are
recorded as an offer to put to the customer, and when nothing fits that offer is empty and the
next step is a manager (`escalations.escalation_open`, once the customer has said no).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from makegood.cases.models import Case
from makegood.remedies.models import Grant, Offer, RemedyType
from makegood.remedies.offers import offer_record
from makegood.remedies.rules import check_can_grant_on
from makegood.remedies.selectors import OptionSet, options_for_demand
from makegood.remedies.services import remedy_grant

Outcome = Literal["granted", "offered", "escalate"]
NO_DEMAND = "Say what the customer asks for: a remedy, an amount, or both."


@dataclass(frozen=True)
class DemandAnswer:
    """The demand's fate: `grant` when it fitted, else the `offer` (whose options may be none)."""

    case: Case
    option_set: OptionSet
    grant: Grant | None = None
    offer: Offer | None = None

    @property
    def outcome(self) -> Outcome:
        """granted; offered (options to put to the customer); escalate (nothing fits: a manager)."""
        if self.grant is not None:
            return "granted"
        return "offered" if self.offer is not None and self.offer.options else "escalate"


def demand_answer(
    *,
    case: Case,
    user: User,
    demand_kind: str | None = None,
    demand_amount: Decimal | str | int | None = None,
    minimum_value: Decimal | str | int | None = None,
    currency: str | None = None,
    order_reference: str = "",
    idempotency_key: str | None = None,
) -> DemandAnswer:
    """Grant the customer's demand if the employee may, else record the three options as an offer.

    `demand_kind` / `demand_amount`: what the customer asks for (either or both; an amount alone
    is money back); `minimum_value`: the least they said they would accept. The grant goes through
    `remedy_grant` (idempotent with `idempotency_key`); the offer through `offers.offer_record`.
    Raises ValidationError (the demand, an amount, the currency) or CaseActionError (not on this
    case); either way nothing is written.
    """
    check_can_grant_on(user, case)
    no_amount = demand_amount is None or (isinstance(demand_amount, str) and not demand_amount.strip())
    if not demand_kind and no_amount:
        raise ValidationError({"demand_kind": [NO_DEMAND], "demand_amount": [NO_DEMAND]})
    option_set = options_for_demand(
        case=case,
        user=user,
        demand_kind=demand_kind,
        demand_amount=demand_amount,
        minimum_value=minimum_value,
        currency=currency,
    )
    fits = option_set.demand_option
    if fits is not None:
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=RemedyType.objects.get(pk=fits.remedy_type_id),
            amount=fits.amount,
            currency=fits.currency,
            order_reference=order_reference,
            idempotency_key=idempotency_key,
        )
        return DemandAnswer(case=case, option_set=option_set, grant=grant)
    offer = offer_record(case=case, user=user, option_set=option_set)
    return DemandAnswer(case=case, option_set=option_set, offer=offer)
