"""`/cases/{reference}/grants`: what was granted on a case, and granting (idempotent)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Status

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut
from makegood.cases.selectors import case_get_for_user
from makegood.edges import rekeyed
from makegood.remedies.api.common import E_CASE, GRANT_PATHS, IDEMPOTENCY_KEY, REPLAYED_HEADER, may_grant, router
from makegood.remedies.api.inputs import GrantIn
from makegood.remedies.api.outputs import GrantOut
from makegood.remedies.models import Authorization, Grant, RemedyType
from makegood.remedies.selectors import grants_for_case
from makegood.remedies.services import remedy_grant


@router.get(
    "/cases/{reference}/grants",
    response={200: list[GrantOut], 401: ErrorOut, 404: ErrorOut},
    summary="Remedies granted on a case",
    operation_id="grant_list",
)
def grant_list(request: HttpRequest, reference: str) -> QuerySet[Grant]:
    case = case_get_for_user(token_user(request), reference)
    return grants_for_case(case=case)


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
    may_grant(user)
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
    return Status(201, grant)
