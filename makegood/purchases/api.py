"""`POST /api/v1/transactions`: one transaction, or a batch of up to 1,000, from the business's till
or shop. Idempotent by `external_id`; all or nothing (one bad row: 422 naming it, nothing recorded)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from makegood.accounts.requests import token_user
from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.purchases.models import MAX_EXTERNAL_ID
from makegood.purchases.services import MAX_BATCH, Rejected, transaction_clean, transactions_record

router = Router(tags=["transactions"])


class TransactionIn(Schema):
    external_id: str = Field(min_length=1, max_length=MAX_EXTERNAL_ID, description="Your id: a resend is ignored.")
    purchased_at: datetime
    amount: Decimal = Field(Decimal(0), ge=0, max_digits=20, decimal_places=4)
    currency: str = Field("", max_length=3, description="ISO 4217; blank: the business's currency.")
    kind: str = Field("purchase", pattern="^(purchase|visit)$")
    customer_email: str = Field("", max_length=254)
    customer_phone: str = Field("", max_length=32)
    customer_name: str = Field("", max_length=200)


class TransactionBatchIn(Schema):
    transactions: list[TransactionIn] = Field(min_length=1, max_length=MAX_BATCH)


class RecordedOut(Schema):
    created: int
    already_there: int = Field(description="Sent before (same external_id): nothing changed.")


@router.post(
    "/transactions",
    response={200: RecordedOut, 201: RecordedOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    operation_id="transactions_record",
)
def transactions_post(request: HttpRequest, payload: TransactionBatchIn | TransactionIn) -> Status:
    """Record a purchase or visit (`{...}`) or many (`{"transactions": [{...}, ...]}`)."""
    user = token_user(request)
    if not user.has_perm("purchases.add_purchase"):
        raise PermissionDenied("Your role may not send transactions.")
    items = payload.transactions if isinstance(payload, TransactionBatchIn) else [payload]
    cleaned, errors = [], {}
    for index, item in enumerate(items):
        try:
            cleaned.append(transaction_clean(item.dict()))
        except Rejected as exc:
            key = f"transactions.{index}" if isinstance(payload, TransactionBatchIn) else "__all__"
            errors[key] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    report = transactions_record(cleaned)
    return Status(201 if report.created else 200, {"created": report.created, "already_there": report.already_there})
