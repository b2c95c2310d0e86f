"""Escalations (`/cases/{reference}/escalations`) and managers' decisions (`/escalations`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Status

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut
from makegood.cases.selectors import case_get_for_user, cases_visible_to
from makegood.edges import rekeyed
from makegood.remedies.api.common import E_CASE, may_decide, may_grant, router
from makegood.remedies.api.inputs import DecisionIn, EscalationIn
from makegood.remedies.api.outputs import EscalationOut
from makegood.remedies.escalations import approval_decide, escalation_open
from makegood.remedies.models import Escalation, Offer, RemedyType
from makegood.remedies.selectors import escalations_pending_for

# Everything an EscalationOut reads, in the escalation's own query: its case, its people, and the
# approval (a reverse one-to-one) with its people.
SHOWN_WITH = (
    "case",
    "raised_by",
    "decided_by",
    "authorization__employee",
    "authorization__approved_by",
)


def _shown(escalations: QuerySet[Escalation]) -> QuerySet[Escalation]:
    return escalations.select_related(*SHOWN_WITH)


@router.get(
    "/cases/{reference}/escalations",
    response={200: list[EscalationOut], 401: ErrorOut, 404: ErrorOut},
    summary="A case's escalations, with any approval to deliver",
    operation_id="escalation_list_for_case",
)
def escalation_list_for_case(request: HttpRequest, reference: str) -> QuerySet[Escalation]:
    case = case_get_for_user(token_user(request), reference)
    return _shown(Escalation.objects.filter(case=case)).order_by("raised_at", "pk")


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
    may_grant(user)
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
    return Status(201, _shown(Escalation.objects.all()).get(pk=escalation.pk))


@router.get(
    "/escalations",
    response={200: list[EscalationOut], 401: ErrorOut, 403: ErrorOut},
    summary="Escalations waiting for me (managers)",
    operation_id="escalation_pending",
)
def escalation_pending(request: HttpRequest) -> QuerySet[Escalation]:
    user = token_user(request)
    may_decide(user)
    return _shown(escalations_pending_for(manager=user))


@router.post(
    "/escalations/{escalation_id}/decision",
    response={200: EscalationOut, 400: ErrorOut, **E_CASE},
    summary="Decide on an escalation (managers)",
    operation_id="escalation_decide",
)
def escalation_decide(request: HttpRequest, escalation_id: int, payload: DecisionIn) -> Escalation:
    """Approve (an authorization comes back to the employee, who delivers it) or take the case over
    (it becomes yours; contact the customer personally). There is no deny."""
    user = token_user(request)
    may_decide(user)
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
    return _shown(Escalation.objects.all()).get(pk=escalation.pk)
