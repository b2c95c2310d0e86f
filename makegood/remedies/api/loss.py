"""`PUT /cases/{reference}/loss`: what the customer lost."""

from __future__ import annotations

from django.http import HttpRequest

from makegood.accounts.requests import token_user
from makegood.cases.models import Case
from makegood.cases.schemas import ErrorOut
from makegood.cases.selectors import case_get_for_user
from makegood.remedies.api.common import E_CASE, may_grant, router
from makegood.remedies.api.inputs import LossIn
from makegood.remedies.api.outputs import LossOut
from makegood.remedies.loss import case_loss_record


@router.put(
    "/cases/{reference}/loss",
    response={200: LossOut, 400: ErrorOut, **E_CASE},
    summary="Record the customer's loss on a case",
    operation_id="loss_record",
)
def loss_record(request: HttpRequest, reference: str, payload: LossIn) -> Case:
    """What the customer lost (kind, amount, severity, whether clearly our fault): the options are
    matched to its kind and sized to its amount."""
    user = token_user(request)
    case = case_get_for_user(user, reference)
    may_grant(user)
    return case_loss_record(
        case=case,
        user=user,
        loss_kind=payload.loss_kind,
        severity=payload.severity,
        loss_amount=payload.loss_amount,
        loss_currency=payload.loss_currency,
        business_at_fault=payload.business_at_fault,
    )
