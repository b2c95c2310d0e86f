"""The customer's demand (`POST /cases/{reference}/options`: granted at once when it fits, else
three options recorded as an offer) and their answer to an offer (`…/offers/{id}/choice`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Status

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut
from makegood.cases.selectors import case_get_for_user
from makegood.edges import rekeyed
from makegood.remedies.api.common import E_CASE, GRANT_PATHS, IDEMPOTENCY_KEY, REPLAYED_HEADER, may_grant, router
from makegood.remedies.api.inputs import ChoiceIn, DemandIn
from makegood.remedies.api.outputs import ChoiceOut, OptionsOut
from makegood.remedies.demands import demand_answer
from makegood.remedies.models import Offer
from makegood.remedies.offers import offer_choose, offer_decline


@router.post(
    "/cases/{reference}/options",
    response={201: OptionsOut, 400: ErrorOut, **E_CASE},
    summary="Answer the customer's demand: grant it, or three options",
    operation_id="options_create",
)
def options_create(
    request: HttpRequest,
    reference: str,
    payload: DemandIn,
    response: HttpResponse,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status:
    """What the customer asks for (a kind, an amount, or both), answered as the case page answers
    it. When the demand fits the employee's remaining authority it is granted at once
    (`outcome` "granted", the `grant`; `Idempotency-Key` makes a retry safe). Otherwise up to three
    options the employee can grant right now, of different kinds, best first, are recorded as an
    offer (`outcome` "offered"; its `id` is what to answer), or none fits ("escalate")."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    may_grant(user)
    if not payload.demand_kind and payload.demand_amount is None:
        message = "Say what the customer asks for: demand_kind, demand_amount, or both."
        raise ValidationError({"demand_kind": [message], "demand_amount": [message]})
    try:
        answer = demand_answer(
            case=case,
            user=user,
            demand_kind=payload.demand_kind,
            demand_amount=payload.demand_amount,
            minimum_value=payload.minimum_value,
            currency=payload.currency,
            order_reference=payload.order_reference,
            idempotency_key=idempotency_key,
        )
    except ValidationError as exc:
        raise rekeyed(exc, GRANT_PATHS) from exc
    if answer.grant is not None and answer.grant.replayed:
        response[REPLAYED_HEADER] = "true"
    return Status(201, answer)


@router.post(
    "/cases/{reference}/offers/{offer_id}/choice",
    response={200: ChoiceOut, 201: ChoiceOut, 400: ErrorOut, **E_CASE},
    summary="Record the customer's choice",
    operation_id="offer_choice",
)
def offer_choice(
    request: HttpRequest,
    reference: str,
    offer_id: int,
    payload: ChoiceIn,
    response: HttpResponse,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status:
    """`{"index": n}`: the customer chose option n; it is granted as offered (201). `{"none": true}`:
    none of these (200); next, escalate to a manager."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    may_grant(user)
    offer = Offer.objects.filter(case=case, pk=offer_id).select_related("case").first()
    if offer is None:
        raise Http404("No such offer on this case.")
    if (payload.index is None) == (not payload.none):
        message = 'Send either "index" (the option the customer chose) or "none": true.'
        raise ValidationError({"index": [message], "none": [message]})
    if payload.none:
        offer = offer_decline(offer=offer, user=user)
        return Status(200, {"offer": offer, "grant": None})
    assert payload.index is not None
    try:
        grant = offer_choose(
            offer=offer,
            user=user,
            index=payload.index,
            idempotency_key=idempotency_key,
            order_reference=payload.order_reference,
        )
    except ValidationError as exc:
        raise rekeyed(exc, {"idempotency_key": "Idempotency-Key"}) from exc
    if grant.replayed:
        response[REPLAYED_HEADER] = "true"
    offer.refresh_from_db()
    return Status(201, {"offer": offer, "grant": grant})
