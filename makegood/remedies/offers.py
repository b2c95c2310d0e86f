"""The three options put to the customer, and their answer: a choice (granted as offered) or "none
of these" (which opens the way to `escalations.escalation_open`). An offer is made only by
`demands.demand_answer`, when the customer's demand is beyond what the employee may grant."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.cases.models import Case
from makegood.cases.services import CaseActionError
from makegood.remedies.authority import money
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import Grant, Offer, OfferStatus, RemedyType
from makegood.remedies.rules import check_can_grant_on
from makegood.remedies.selectors import OptionSet
from makegood.remedies.services import remedy_grant, timeline_add


@transaction.atomic
def offer_record(*, case: Case, user: User, option_set: OptionSet, at: datetime | None = None) -> Offer:
    """Record the options put to the customer (a snapshot: later catalog edits do not change it)."""
    check_can_grant_on(user, case)
    now = at or timezone.now()
    offer = Offer.objects.create(
        case=case,
        made_by=user,
        made_at=now,
        demand_kind=option_set.demand_kind,
        demand_amount=option_set.demand_amount,
        minimum_value=option_set.sizing.minimum,
        currency=option_set.currency,
        demand_fits=option_set.demand_fits,
        options=[o.as_dict() for o in option_set.options],
        reason=option_set.reason,
    )
    listed = "; ".join(
        f"{o.name}" + (f" ({money(o.amount, o.currency)})" if o.amount is not None else "") for o in option_set.options
    )
    timeline_add(
        case,
        kind=RemedyEventKind.OFFERED,
        actor=user,
        at=now,
        body=f"Offered: {listed}." if listed else "No option could be offered.",
        data={"offer_id": offer.pk},
    )
    return offer


def _lock_offer(offer: Offer) -> Offer:
    # Lock the offer row only: the case is locked later, after the authority row, as in every grant.
    return Offer.objects.select_for_update(of=("self",)).select_related("case").get(pk=offer.pk)


@transaction.atomic
def offer_choose(
    *,
    offer: Offer,
    user: User,
    index: int,
    idempotency_key: str | None = None,
    order_reference: str = "",
) -> Grant:
    """The customer chose option `index` (0-based): grant it, as offered, and record the choice."""
    offer = _lock_offer(offer)
    if offer.status == OfferStatus.CHOSEN and idempotency_key:
        earlier = offer.grants.filter(granted_by=user, idempotency_key=idempotency_key.strip()).first()
        if earlier is not None:
            earlier.replayed = True
            return earlier
    check_can_grant_on(user, offer.case)
    if offer.status != OfferStatus.OPEN:
        raise CaseActionError(f"The customer already answered this offer ({offer.get_status_display().lower()}).")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(offer.options):
        raise ValidationError({"index": [f"Choose one of the {len(offer.options)} options offered."]})
    option = offer.options[index]
    remedy_type = RemedyType.objects.filter(pk=option["remedy_type_id"]).first()
    if remedy_type is None:
        raise ValidationError({"index": ["That remedy is no longer in the catalog; make a new offer."]})
    grant = remedy_grant(
        case=offer.case,
        user=user,
        remedy_type=remedy_type,
        amount=option["amount"],
        currency=option["currency"],
        idempotency_key=idempotency_key,
        order_reference=order_reference,
        offer=offer,
    )
    offer.status = OfferStatus.CHOSEN
    offer.chosen_index = index
    offer.responded_at = grant.granted_at
    offer.save(update_fields=["status", "chosen_index", "responded_at"])
    return grant


@transaction.atomic
def offer_decline(*, offer: Offer, user: User, at: datetime | None = None) -> Offer:
    """The customer said "none of these". Next: `escalation_open`."""
    offer = _lock_offer(offer)
    check_can_grant_on(user, offer.case)
    if offer.status != OfferStatus.OPEN:
        raise CaseActionError(f"The customer already answered this offer ({offer.get_status_display().lower()}).")
    now = at or timezone.now()
    offer.status = OfferStatus.DECLINED
    offer.responded_at = now
    offer.save(update_fields=["status", "responded_at"])
    timeline_add(
        offer.case,
        kind=RemedyEventKind.OFFER_DECLINED,
        actor=user,
        at=now,
        body="The customer declined the options offered.",
        data={"offer_id": offer.pk},
    )
    return offer
