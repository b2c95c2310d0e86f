"""The payment system's confirmation of a payment: signed, fresh, for this payment, received once.

The payment system signs `"{timestamp}.{body}"` (the Unix time in seconds, a dot, the raw JSON
body) with HMAC-SHA256 and the shared `MAKEGOOD_PAYMENT_WEBHOOK_SECRET` (the one that signs our
refund announcements to it), and sends

    X-Makegood-Timestamp: 1767225600
    X-Makegood-Signature: sha256=<hex digest>

with a body such as `{"payment_id": 12, "status": "paid", "amount": "89.00", "currency": "USD",
"reference": "re_3Nf..."}` (`"status": "failed"` with a `"reason"`). Refused: a missing or wrong
signature, a timestamp outside `MAKEGOOD_PAYMENT_CALLBACK_TOLERANCE_SECONDS`, a body signed for
another payment or with another amount (tampering), and the same signed request a second time
(a replay: each signature is kept in `PaymentCallback`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from makegood.remedies.models import Payment, PaymentCallback, PaymentStatus
from makegood.remedies.payments import payment_record_outcome

TIMESTAMP_HEADER = "X-Makegood-Timestamp"
SIGNATURE_HEADER = "X-Makegood-Signature"
OUTCOMES = {"paid": True, "failed": False}


class CallbackRefused(Exception):
    """Not signed by the payment system as this request stands: nothing was changed."""


class CallbackReplayed(Exception):
    """This very signed request was received before: nothing was changed."""


def callback_sign(body: bytes, *, timestamp: int, secret: str) -> str:
    """The signature header's value (the payment system computes the same; tests use this)."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _verify(body: bytes, *, timestamp: str, signature: str, now: datetime) -> tuple[str, datetime]:
    secret = settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET
    if not secret:
        raise CallbackRefused("Payment confirmations are not accepted: no payment secret is configured.")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise CallbackRefused(f"Send the Unix time in {TIMESTAMP_HEADER}.")
    signed_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
    if abs((now - signed_at).total_seconds()) > settings.MAKEGOOD_PAYMENT_CALLBACK_TOLERANCE_SECONDS:
        raise CallbackRefused("The signature's timestamp is too old or in the future.")
    expected = callback_sign(body, timestamp=int(timestamp), secret=secret)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise CallbackRefused("The signature does not match the request.")
    return expected.removeprefix("sha256="), signed_at


@dataclass(frozen=True)
class Confirmation:
    payment_id: int
    paid: bool
    amount: Decimal
    currency: str
    reference: str
    reason: str


def _parse(body: bytes) -> Confirmation:
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError({"__all__": ["The body is not JSON."]}) from None
    if not isinstance(data, dict):
        raise ValidationError({"__all__": ["The body must be a JSON object."]})
    errors: dict[str, list[str]] = {}
    payment_id = data.get("payment_id")
    if not isinstance(payment_id, int) or isinstance(payment_id, bool):
        errors["payment_id"] = ["The payment's id, a number."]
    status = data.get("status")
    if status not in OUTCOMES:
        errors["status"] = ["Either paid or failed."]
    amount: Decimal | None = None
    with contextlib.suppress(InvalidOperation):
        amount = Decimal(str(data.get("amount")))
    if not isinstance(data.get("amount"), str) or amount is None or not amount.is_finite():
        errors["amount"] = ["The amount as a decimal string, such as 89.00."]
    if not isinstance(data.get("currency"), str):
        errors["currency"] = ["The currency's ISO code."]
    for name in ("reference", "reason"):
        if not isinstance(data.get(name, ""), str):
            errors[name] = ["Text."]
    if errors:
        raise ValidationError(errors)
    assert amount is not None and isinstance(payment_id, int)
    return Confirmation(
        payment_id=payment_id,
        paid=OUTCOMES[str(status)],
        amount=amount,
        currency=str(data["currency"]),
        reference=str(data.get("reference", "")),
        reason=str(data.get("reason", "")) or "the payment system reported a failure",
    )


def payment_callback_receive(
    *, payment_id: int, body: bytes, timestamp: str, signature: str, now: datetime | None = None
) -> Payment:
    """Check the confirmation, keep its signature (so it is never taken twice), and record the
    outcome through the same service a person uses. Raises CallbackRefused (401), CallbackReplayed
    (409), Payment.DoesNotExist (404), ValidationError (422) or CaseActionError (409: a payment
    already failed cannot be paid, and the other way round)."""
    now = now or timezone.now()
    digest, signed_at = _verify(body, timestamp=timestamp, signature=signature, now=now)
    confirmation = _parse(body)
    if confirmation.payment_id != payment_id:
        raise CallbackRefused("The request was signed for another payment.")
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise Payment.DoesNotExist(f"No payment {payment_id}.")
    if confirmation.currency != payment.currency or confirmation.amount != payment.amount:
        raise ValidationError({"amount": ["The amount or currency is not this payment's."]})
    outcome = PaymentStatus.CONFIRMED if confirmation.paid else PaymentStatus.FAILED
    with transaction.atomic():
        try:
            # Its own savepoint: a replay racing the first request is told so, not a 500.
            with transaction.atomic():
                PaymentCallback.objects.create(
                    payment=payment, signature=digest, signed_at=signed_at, received_at=now, outcome=outcome
                )
        except IntegrityError:
            raise CallbackReplayed("This confirmation was already received.") from None
        return payment_record_outcome(
            payment_id=payment_id,
            paid=confirmation.paid,
            actor=None,
            reference=confirmation.reference,
            reason=confirmation.reason,
            at=now,
        )
