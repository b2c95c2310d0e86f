"""`/payments`: the payments to make (staff, by token) and the payment system's signed
confirmation of one (`POST /payments/{id}/confirmation`, no token: its HMAC signature is the
credential, see `remedies.payment_callbacks`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status

from makegood import money
from makegood.accounts.reports import ReportFilterForm
from makegood.accounts.requests import token_user
from makegood.accounts.roles import report_scope
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.remedies.api.common import router
from makegood.remedies.api.outputs import amount_of, username_of
from makegood.remedies.models import Payment
from makegood.remedies.payment_callbacks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    CallbackRefused,
    CallbackReplayed,
    payment_callback_receive,
)
from makegood.remedies.payments_selectors import payment_get_for_user, payments_visible_to
from makegood.remedies.reports import report_payment_totals


class PaymentOut(Schema):
    id: int
    case: str = Field(description="The case's reference.")
    grant_id: int
    kind: str = Field(description="The remedy's kind (a refund, a reversed charge).")
    amount: str
    currency: str
    status: str = Field(description="to_pay, sent (to the payment system), confirmed (paid) or failed.")
    route: str = Field(description="payment_system, or person (no payment system: `responsible` pays it).")
    responsible: str | None
    created_at: datetime
    due_at: datetime = Field(description="Not confirmed by then: the owner and a manager are alerted.")
    sent_at: datetime | None
    confirmed_at: datetime | None
    failed_at: datetime | None
    decided_by: str | None = Field(description="Who marked it paid or failed; null: the payment system.")
    reference: str
    failure_reason: str

    resolve_amount = amount_of("amount")
    resolve_responsible = username_of("responsible")
    resolve_decided_by = username_of("decided_by")

    @staticmethod
    def resolve_case(obj: Payment) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_kind(obj: Payment) -> str:
        return obj.grant.kind


class ConfirmationOut(Schema):
    id: int
    status: str


@router.get(
    "/payments",
    response={200: list[PaymentOut], 401: ErrorOut},
    summary="Payments to make and their state",
    operation_id="payment_list",
)
def payment_list(request: HttpRequest, open_only: bool = True) -> QuerySet[Payment]:
    """The payments on cases you may see: for a manager every one of them, for others those they
    are responsible for. `open_only` (default): only those not yet confirmed or failed."""
    return payments_visible_to(token_user(request), open_only=open_only)[:500]


@router.get(
    "/payments/{payment_id}",
    response={200: PaymentOut, 401: ErrorOut, 404: ErrorOut},
    summary="One payment",
    operation_id="payment_read",
)
def payment_read(request: HttpRequest, payment_id: int) -> Payment:
    return payment_get_for_user(token_user(request), payment_id)


_CONFIRMATION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["payment_id", "status", "amount", "currency"],
                    "properties": {
                        "payment_id": {"type": "integer"},
                        "status": {"type": "string", "enum": ["paid", "failed"]},
                        "amount": {"type": "string", "examples": ["89.00"]},
                        "currency": {"type": "string", "examples": ["USD"]},
                        "reference": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                }
            }
        },
    },
    "parameters": [
        {"in": "header", "name": TIMESTAMP_HEADER, "required": True, "schema": {"type": "string"}},
        {"in": "header", "name": SIGNATURE_HEADER, "required": True, "schema": {"type": "string"}},
    ],
}


@router.post(
    "/payments/{payment_id}/confirmation",
    auth=None,
    response={200: ConfirmationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="The payment system confirms a payment (paid or failed)",
    operation_id="payment_confirmation",
    openapi_extra=_CONFIRMATION_BODY,
)
def payment_confirmation(request: HttpRequest, payment_id: int) -> Status:
    """Signed by the payment system with the shared secret: `X-Makegood-Timestamp` (Unix seconds)
    and `X-Makegood-Signature: sha256=HMAC(secret, "{timestamp}.{body}")`. Paid: the customer is
    told it has been paid. Failed (with a `reason`): the case's owner is told and the case comes
    first again. 401: unsigned, badly signed, stale, or signed for another payment; 409: this very
    request was received before, or the payment already has the other answer; 422: the body is not a
    confirmation of this payment's amount."""
    try:
        payment = payment_callback_receive(
            payment_id=payment_id,
            body=request.body,
            timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
            signature=request.headers.get(SIGNATURE_HEADER, ""),
        )
    except CallbackRefused as exc:
        return Status(401, {"detail": str(exc)})
    except CallbackReplayed as exc:
        return Status(409, {"detail": str(exc)})
    except Payment.DoesNotExist:
        raise Http404("No such payment.") from None
    return Status(200, {"id": payment.pk, "status": payment.status})


class PaymentTotalsOut(Schema):
    currency: str
    payments: int
    paid: str = Field(description="Confirmed: the money has moved.")
    pending: str = Field(description="To pay or sent, not confirmed yet.")
    failed: str


@router.get(
    "/reports/payments",
    response={200: list[PaymentTotalsOut], 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Money promised by remedies: paid, pending and failed",
    operation_id="report_payments",
)
def report_payments(
    request: HttpRequest, first_day: date | None = None, last_day: date | None = None, team: str = ""
) -> list[dict[str, Any]]:
    """Per currency, for remedies granted from `first_day` to `last_day` (default: the last 30
    days), on the team `team` (a slug; people who see one team always get their own)."""
    user = token_user(request)
    if not user.has_perm("remedies.view_remedy_reports"):
        raise PermissionDenied("Your role may not see remedy reports.")
    _teams, scope, _locked, visible = report_scope(user, team)
    form = ReportFilterForm({"first_day": first_day, "last_day": last_day}, teams=[])
    if not form.is_valid():
        raise ValidationError({"first_day": [str(m) for messages in form.errors.values() for m in messages]})
    if not visible:
        return []
    first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    rows = report_payment_totals(first_day=first, last_day=last, team=scope)
    money_keys = ("paid", "pending", "failed")
    return [{**row, **{key: money.as_text(row[key], row["currency"]) for key in money_keys}} for row in rows]
