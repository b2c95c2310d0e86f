"""REST endpoints for remedies: the catalog, authority, grants, the three options, escalations and
managers' decisions. The same services as the screens, so the same rules.

Money is a string with its currency (`"amount": "12.50", "currency": "USD"`), never a JSON number:
floats cannot hold cents exactly. Refusals: 422 with messages per field, 409 when the case's state
forbids it (closed, already answered), 403 for a role that may not, 404 for a case one may not see.
There is no endpoint to deny a customer: a manager approves or takes the case over.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import BaseModel, field_validator

from makegood.accounts.requests import token_user
from makegood.api_types import MONEY_PATTERN, BodyInt, Flag, Money, money_text
from makegood.cases.models import Case, LossKind, Severity
from makegood.cases.schemas import ErrorOut, ValidationErrorOut, storable_text
from makegood.cases.selectors import case_get_for_user, cases_visible_to
from makegood.edges import rekeyed
from makegood.remedies.escalations import approval_decide, escalation_open
from makegood.remedies.loss import case_loss_record
from makegood.remedies.models import (
    Authorization,
    Escalation,
    Grant,
    Offer,
    RemedyKind,
    RemedyType,
)
from makegood.remedies.offers import offer_choose, offer_decline, offer_record
from makegood.remedies.presenters import option_reason
from makegood.remedies.selectors import (
    authority_status,
    escalations_pending_for,
    grants_for_case,
    options_for_demand,
    remedy_types_active,
)
from makegood.remedies.services import MAX_KEY, MAX_NOTE, MAX_ORDER_REFERENCE, remedy_grant

router = Router(tags=["remedies"])

MONEY_EXAMPLE = "12.50"
MAX_MONEY_TEXT = 30
REPLAYED_HEADER = "Idempotent-Replayed"


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _who(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


# Input ------------------------------------------------------------------------------------------


def _money(description: str) -> Any:
    return Field(
        None,
        max_length=MAX_MONEY_TEXT,
        description=description + " A decimal string with at most two decimals, more than zero.",
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

    _money_check = field_validator("demand_amount", "minimum_value", mode="before")(money_text)
    _text = field_validator("demand_kind", "currency")(storable_text)


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


# Output -----------------------------------------------------------------------------------------


class RemedyTypeOut(Schema):
    id: int
    catalog: str
    code: str
    kind: str
    kind_label: str
    name: str
    description: str
    currency: str
    is_variable: bool
    cost: str = Field(description="Fixed remedies: what it costs the business.")
    value: str = Field(description="Fixed remedies: what it is worth to the customer.")
    cost_per_unit: str
    value_per_unit: str
    min_amount: str | None
    max_amount: str | None
    max_per_case: int | None
    needs_order_reference: bool
    channels: list[str]
    immediate: bool
    effort: str
    issues_code: bool


class AuthorityOut(Schema):
    case: str | None = Field(description="The case the per-case figures are for, if one was given.")
    currency: str
    cap_per_case: str
    cap_per_day: str
    budget_per_month: str
    used_on_case: str
    used_today: str
    used_this_month: str
    left_on_case: str
    left_today: str
    left_this_month: str
    left: str = Field(description="The most one grant may cost right now: the tightest limit.")
    allowed_kinds: list[str]


class GrantOut(Schema):
    id: int
    case: str = Field(description="The case's reference.")
    remedy_type_id: int
    kind: str
    name: str
    amount: str | None
    cost: str
    value: str
    currency: str
    code: str = Field(description="Coupons, vouchers, gift cards: the code e-mailed to the customer.")
    order_reference: str
    note: str
    granted_at: datetime
    granted_by: str
    charged_to: str
    authorized_by: str | None
    authorization_id: int | None
    offer_id: int | None


class OptionOut(Schema):
    index: int | None = Field(description="What to send as `index` to choose it.")
    remedy_type_id: int
    kind: str
    kind_label: str
    name: str
    amount: str | None
    cost: str
    value: str = Field(description="What it is worth to the customer.")
    currency: str
    immediate: bool
    effort: str
    needs_order_reference: bool
    reason: str = Field(description="Why this option, in one line.")


class OfferOut(Schema):
    id: int
    case: str
    status: str = Field(description="open, chosen or declined (none of these).")
    demand_kind: str
    demand_amount: str | None
    minimum_value: str | None
    currency: str
    demand_fits: bool
    reason: str = Field(description="Why fewer than three options, if so.")
    options: list[OptionOut]
    chosen_index: int | None
    made_at: datetime
    responded_at: datetime | None


class OptionsOut(Schema):
    offer: OfferOut
    demand_fits: bool = Field(description="The demand itself is within authority: grant `demand_option`.")
    demand_option: OptionOut | None
    authority: AuthorityOut
    sizing: dict[str, Any]


class ChoiceOut(Schema):
    offer: OfferOut
    grant: GrantOut | None


class AuthorizationOut(Schema):
    id: int
    employee: str
    approved_by: str
    remedy_kind: str
    remedy_type_id: int | None
    max_amount: str | None
    max_cost: str
    currency: str
    expires_at: datetime
    used_at: datetime | None


class EscalationOut(Schema):
    id: int
    case: str
    status: str = Field(description="pending, approved or taken_over.")
    raised_by: str
    raised_at: datetime
    demand_kind: str
    demand_amount: str | None
    currency: str
    note: str
    story: dict[str, Any]
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    authorization: AuthorizationOut | None


class LossOut(Schema):
    case: str
    loss_kind: str
    loss_amount: str | None
    loss_currency: str
    severity: str
    business_at_fault: bool
    repeat_failure: bool


def _remedy_out(r: RemedyType) -> dict[str, Any]:
    return {
        "id": r.pk,
        "catalog": r.catalog,
        "code": r.code,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "name": r.name,
        "description": r.description,
        "currency": r.currency,
        "is_variable": r.is_variable,
        "cost": str(r.cost),
        "value": str(r.value),
        "cost_per_unit": str(r.cost_per_unit),
        "value_per_unit": str(r.value_per_unit),
        "min_amount": _s(r.min_amount),
        "max_amount": _s(r.max_amount),
        "max_per_case": r.max_per_case,
        "needs_order_reference": r.needs_order_reference,
        "channels": list(r.channels or []),
        "immediate": r.immediate,
        "effort": r.effort,
        "issues_code": r.issues_code,
    }


def _authority_out(user: User, case: Case | None) -> dict[str, Any]:
    return {"case": case.reference if case is not None else None, **authority_status(user=user, case=case).as_dict()}


def _grant_out(g: Grant, case: Case) -> dict[str, Any]:
    return {
        "id": g.pk,
        "case": case.reference,
        "remedy_type_id": g.remedy_type_id,
        "kind": g.kind,
        "name": g.name,
        "amount": _s(g.amount),
        "cost": str(g.cost),
        "value": str(g.value),
        "currency": g.currency,
        "code": g.code,
        "order_reference": g.order_reference,
        "note": g.note,
        "granted_at": g.granted_at,
        "granted_by": _who(g.granted_by),
        "charged_to": _who(g.charged_to),
        "authorized_by": _who(g.authorized_by),
        "authorization_id": g.authorization_id,
        "offer_id": g.offer_id,
    }


def _option_out(option: dict[str, Any], index: int | None, case: Case) -> dict[str, Any]:
    keys = ("remedy_type_id", "kind", "kind_label", "name", "amount", "cost", "value", "currency")
    return {
        "index": index,
        **{key: option[key] for key in keys},
        "immediate": option["immediate"],
        "effort": option["effort"],
        "needs_order_reference": option["needs_order_reference"],
        "reason": option_reason(option, case=case),
    }


def _offer_out(offer: Offer, case: Case) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "case": case.reference,
        "status": offer.status,
        "demand_kind": offer.demand_kind,
        "demand_amount": _s(offer.demand_amount),
        "minimum_value": _s(offer.minimum_value),
        "currency": offer.currency,
        "demand_fits": offer.demand_fits,
        "reason": offer.reason,
        "options": [_option_out(o, i, case) for i, o in enumerate(offer.options)],
        "chosen_index": offer.chosen_index,
        "made_at": offer.made_at,
        "responded_at": offer.responded_at,
    }


def _authorization_out(a: Authorization | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "id": a.pk,
        "employee": _who(a.employee),
        "approved_by": _who(a.approved_by),
        "remedy_kind": a.remedy_kind,
        "remedy_type_id": a.remedy_type_id,
        "max_amount": _s(a.max_amount),
        "max_cost": str(a.max_cost),
        "currency": a.currency,
        "expires_at": a.expires_at,
        "used_at": a.used_at,
    }


def _escalation_out(e: Escalation) -> dict[str, Any]:
    authorization = Authorization.objects.filter(escalation=e).select_related("employee", "approved_by").first()
    return {
        "id": e.pk,
        "case": e.case.reference,
        "status": e.status,
        "raised_by": _who(e.raised_by),
        "raised_at": e.raised_at,
        "demand_kind": e.demand_kind,
        "demand_amount": _s(e.demand_amount),
        "currency": e.currency,
        "note": e.note,
        "story": e.story,
        "decided_by": _who(e.decided_by),
        "decided_at": e.decided_at,
        "decision_note": e.decision_note,
        "authorization": _authorization_out(authorization),
    }


def _may_grant(user: User) -> None:
    if not user.has_perm("remedies.grant_remedy"):
        raise PermissionDenied("Your role may not grant remedies.")


def _may_decide(user: User) -> None:
    if not user.has_perm("remedies.decide_escalation"):
        raise PermissionDenied("Only managers decide on escalations.")


IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=MAX_KEY,
    description=(
        "Makes retries safe: the same key with the same request returns the same grant (with "
        "`Idempotent-Replayed: true`) and grants nothing more; the same key for another grant is refused (422)."
    ),
)

E401 = {401: ErrorOut}
E_CASE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


# The catalog and authority ---------------------------------------------------------------------


@router.get(
    "/remedies",
    response={200: list[RemedyTypeOut], 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="The remedy catalog",
    operation_id="remedy_catalog",
)
def remedy_catalog(request: HttpRequest, filters: Query[CatalogFilters]) -> list[dict[str, Any]]:
    """The active remedies: what each costs the business and is worth to the customer, its limits."""
    user = token_user(request)
    if not user.has_perm("remedies.view_remedytype"):
        raise PermissionDenied("Your role may not see the remedy catalog.")
    currency = (filters.currency or "").upper() or None
    return [_remedy_out(r) for r in remedy_types_active(currency=currency)]


@router.get(
    "/me/authority",
    response={200: AuthorityOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="My authority left",
    operation_id="authority_me",
)
def authority_me(request: HttpRequest, filters: Query[AuthorityFilters]) -> dict[str, Any]:
    """Caps and what is left: per case (of `case`, if given), today and this month."""
    user = token_user(request)
    case = case_get_for_user(user, filters.case) if filters.case else None
    return _authority_out(user, case)


# Grants -----------------------------------------------------------------------------------------

GRANT_PATHS = {
    "remedy_type": "remedy_type_id",
    "idempotency_key": "Idempotency-Key",
    "authorization": "authorization_id",
}


@router.get(
    "/cases/{reference}/grants",
    response={200: list[GrantOut], 401: ErrorOut, 404: ErrorOut},
    summary="Remedies granted on a case",
    operation_id="grant_list",
)
def grant_list(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    case = case_get_for_user(token_user(request), reference)
    return [_grant_out(g, case) for g in grants_for_case(case=case).select_related("charged_to")]


@router.post(
    "/cases/{reference}/grants",
    response={201: GrantOut, 400: ErrorOut, **E_CASE},
    summary="Grant a remedy",
    operation_id="grant_create",
)
def grant_create(
    request: HttpRequest,
    reference: str,
    payload: GrantIn,
    response: HttpResponse,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status:
    """Granted at once when it fits the employee's remaining authority (or a manager's approval,
    `authorization_id`); written to the ledger, shown in the timeline, the code e-mailed. Beyond
    authority: 422 on `amount`; ask for options (`POST …/options`) instead."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    _may_grant(user)
    remedy = RemedyType.objects.filter(pk=payload.remedy_type_id).first()
    if remedy is None:
        raise ValidationError({"remedy_type_id": ["No such remedy in the catalog."]})
    authorization = None
    if payload.authorization_id is not None:
        authorization = Authorization.objects.filter(case=case, pk=payload.authorization_id).first()
        if authorization is None:
            raise ValidationError({"authorization_id": ["No such approval on this case."]})
    try:
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=remedy,
            amount=payload.amount,
            currency=payload.currency,
            idempotency_key=idempotency_key,
            authorization=authorization,
            order_reference=payload.order_reference,
            note=payload.note,
        )
    except ValidationError as exc:
        raise rekeyed(exc, GRANT_PATHS) from exc
    response["Location"] = request.path.rstrip("/")
    if grant.replayed:
        response[REPLAYED_HEADER] = "true"
    return Status(201, _grant_out(grant, case))


# Options, offers and the customer's choice ---------------------------------------------------------


@router.post(
    "/cases/{reference}/options",
    response={201: OptionsOut, 400: ErrorOut, **E_CASE},
    summary="Three options for the customer's demand",
    operation_id="options_create",
)
def options_create(request: HttpRequest, reference: str, payload: DemandIn) -> Status:
    """What the customer asks for (a kind, an amount, or both) → up to three options the employee
    can grant right now, of different kinds, best first, recorded as an offer (its `id` is what
    to answer). If the demand itself fits, `demand_fits` is true: grant `demand_option`."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    _may_grant(user)
    if not payload.demand_kind and payload.demand_amount is None:
        message = "Say what the customer asks for: demand_kind, demand_amount, or both."
        raise ValidationError({"demand_kind": [message], "demand_amount": [message]})
    option_set = options_for_demand(
        case=case,
        user=user,
        demand_kind=payload.demand_kind,
        demand_amount=payload.demand_amount,
        minimum_value=payload.minimum_value,
        currency=payload.currency,
    )
    offer = offer_record(case=case, user=user, option_set=option_set)
    demand = option_set.demand_option
    return Status(
        201,
        {
            "offer": _offer_out(offer, case),
            "demand_fits": option_set.demand_fits,
            "demand_option": _option_out(demand.as_dict(), None, case) if demand is not None else None,
            "authority": {"case": case.reference, **option_set.remaining.as_dict()},
            "sizing": option_set.sizing.as_dict(),
        },
    )


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
    _may_grant(user)
    offer = Offer.objects.filter(case=case, pk=offer_id).first()
    if offer is None:
        raise Http404("No such offer on this case.")
    if (payload.index is None) == (not payload.none):
        message = 'Send either "index" (the option the customer chose) or "none": true.'
        raise ValidationError({"index": [message], "none": [message]})
    if payload.none:
        offer = offer_decline(offer=offer, user=user)
        return Status(200, {"offer": _offer_out(offer, case), "grant": None})
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
    return Status(201, {"offer": _offer_out(offer, case), "grant": _grant_out(grant, case)})


# Escalations and decisions --------------------------------------------------------------------------


@router.get(
    "/cases/{reference}/escalations",
    response={200: list[EscalationOut], 401: ErrorOut, 404: ErrorOut},
    summary="A case's escalations, with any approval to deliver",
    operation_id="escalation_list_for_case",
)
def escalation_list_for_case(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    case = case_get_for_user(token_user(request), reference)
    escalations = Escalation.objects.filter(case=case).select_related("case", "raised_by", "decided_by")
    return [_escalation_out(e) for e in escalations.order_by("raised_at", "pk")]


@router.post(
    "/cases/{reference}/escalations",
    response={201: EscalationOut, 400: ErrorOut, **E_CASE},
    summary="Escalate to a manager",
    operation_id="escalation_create",
)
def escalation_create(request: HttpRequest, reference: str, payload: EscalationIn) -> Status:
    """After the customer declined the options: a manager decides, with the full story attached."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    _may_grant(user)
    offer = None
    if payload.offer_id is not None:
        offer = Offer.objects.filter(case=case, pk=payload.offer_id).first()
        if offer is None:
            raise ValidationError({"offer_id": ["No such offer on this case."]})
    escalation = escalation_open(
        case=case,
        user=user,
        note=payload.note,
        offer=offer,
        demand_kind=payload.demand_kind,
        demand_amount=payload.demand_amount,
        currency=payload.currency,
    )
    escalation = Escalation.objects.select_related("case", "raised_by", "decided_by").get(pk=escalation.pk)
    return Status(201, _escalation_out(escalation))


@router.get(
    "/escalations",
    response={200: list[EscalationOut], 401: ErrorOut, 403: ErrorOut},
    summary="Escalations waiting for me (managers)",
    operation_id="escalation_pending",
)
def escalation_pending(request: HttpRequest) -> list[dict[str, Any]]:
    user = token_user(request)
    _may_decide(user)
    return [_escalation_out(e) for e in escalations_pending_for(manager=user).select_related("decided_by")]


@router.post(
    "/escalations/{escalation_id}/decision",
    response={200: EscalationOut, 400: ErrorOut, **E_CASE},
    summary="Decide on an escalation (managers)",
    operation_id="escalation_decide",
)
def escalation_decide(request: HttpRequest, escalation_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Approve (an authorization comes back to the employee, who delivers it) or take the case over
    (it becomes yours; contact the customer personally). There is no deny."""
    user = token_user(request)
    _may_decide(user)
    escalation = Escalation.objects.filter(pk=escalation_id, case__in=cases_visible_to(user)).first()
    if escalation is None:
        raise Http404("No such escalation.")
    remedy = None
    if payload.remedy_type_id is not None:
        remedy = RemedyType.objects.filter(pk=payload.remedy_type_id).first()
        if remedy is None:
            raise ValidationError({"remedy_type_id": ["No such remedy in the catalog."]})
    try:
        escalation = approval_decide(
            escalation=escalation,
            manager=user,
            approve=payload.decision == "approve",
            note=payload.note,
            remedy_type=remedy,
            amount=payload.amount,
        )
    except ValidationError as exc:
        raise rekeyed(exc, {"remedy_type": "remedy_type_id"}) from exc
    escalation = Escalation.objects.select_related("case", "raised_by", "decided_by").get(pk=escalation.pk)
    return _escalation_out(escalation)


# The loss --------------------------------------------------------------------------------------------


@router.put(
    "/cases/{reference}/loss",
    response={200: LossOut, 400: ErrorOut, **E_CASE},
    summary="Record the customer's loss on a case",
    operation_id="loss_record",
)
def loss_record(request: HttpRequest, reference: str, payload: LossIn) -> dict[str, Any]:
    """What the customer lost (kind, amount, severity, whether clearly our fault): the options are
    matched to its kind and sized to its amount."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    _may_grant(user)
    case = case_loss_record(
        case=case,
        user=user,
        loss_kind=payload.loss_kind,
        severity=payload.severity,
        loss_amount=payload.loss_amount,
        loss_currency=payload.loss_currency,
        business_at_fault=payload.business_at_fault,
    )
    return {
        "case": case.reference,
        "loss_kind": case.loss_kind,
        "loss_amount": _s(case.loss_amount),
        "loss_currency": case.loss_currency,
        "severity": case.severity,
        "business_at_fault": case.business_at_fault,
        "repeat_failure": case.is_repeat_failure,
    }
