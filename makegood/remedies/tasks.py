"""Delivering grants through the outbox: the code e-mail to the customer and the refund
announcement to the payment system.

Each is an `OutboundEvent` (an outbox message) written with the grant; the outbox claims it,
sends it through the handlers below, retries it with back-off and gives up visibly. The payment
announcement keeps its header (`X-Makegood-Signature: sha256=<hex HMAC of the body>`), made by
the outbox's one signer, and is held while no payment system URL is configured (the event waits
to be collected). A delivery writes a line on the case's timeline in the transaction that
records it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from makegood.cases.emails import reply_subject
from makegood.cases.models import Case, CaseEvent
from makegood.outbox import client
from makegood.outbox.handlers import Handler, SendResult
from makegood.outbox.mail import email_send
from makegood.outbox.models import OutboxMessage
from makegood.outbox.signing import PAYMENT_SIGNATURE_HEADER, payment_signature_header
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import Grant, OutboundEvent, OutboundKind, Payment
from makegood.remedies.payments import (
    PAID_EMAIL_TOPIC,
    message_paid,
    message_started,
    payment_mark_sent,
    pays_money,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = PAYMENT_SIGNATURE_HEADER
EMAIL_PURPOSE = "remedies.grant_email"
PAYMENT_PURPOSE = "remedies.payment_announcement"
PURPOSES = {OutboundKind.EMAIL: EMAIL_PURPOSE, OutboundKind.PAYMENT_WEBHOOK: PAYMENT_PURPOSE}


def refund_payload(grant: Grant, *, case: Case, payment: Payment) -> dict[str, Any]:
    """What the payment system receives for a refund (amounts as exact decimal strings). It answers
    at `confirmation_url`, signed (`payment_callbacks`), once the money has moved or failed to."""
    return {
        "event": "refund.granted",
        "payment_id": payment.pk,
        "confirmation_url": f"{settings.SITE_URL.rstrip('/')}/api/v1/payments/{payment.pk}/confirmation",
        "grant_id": grant.pk,
        "case_reference": case.reference,
        "order_reference": grant.order_reference,
        "amount": str(grant.amount if grant.amount is not None else grant.cost),
        "currency": grant.currency,
        "remedy": grant.name,
        "customer": {"name": case.customer.name, "email": case.customer.email},
        "granted_at": grant.granted_at.isoformat(),
        "granted_by": grant.granted_by.get_username(),
        "authorized_by": grant.authorized_by.get_username() if grant.authorized_by is not None else None,
    }


def _event(message: OutboxMessage) -> OutboundEvent:
    return OutboundEvent.objects.select_related("grant__case__customer").get(pk=message.pk)


def grant_email_send(message: OutboxMessage) -> SendResult:
    event = _event(message)
    grant = event.grant
    case = grant.case
    context: dict[str, Any] = {"grant": grant, "case": case, "business_name": settings.BUSINESS_NAME}
    template = "remedies/email/grant.txt"
    if pays_money(grant.kind):
        # Said as it is: started when granted, paid only once confirmed (`payments`).
        payment = Payment.objects.get(grant=grant)
        context["payment_started"] = message_started(grant.kind, payment.amount, payment.currency)
        if event.topic == PAID_EMAIL_TOPIC:
            template = "remedies/email/payment_paid.txt"
            context["payment_paid"] = message_paid(grant.kind, payment.amount, payment.currency)
    return email_send(
        EmailMessage(
            subject=reply_subject(case),
            body=render_to_string(template, context),
            to=[event.payload["to"]],
        )
    )


def payment_announcement_send(message: OutboxMessage) -> SendResult:
    url = settings.MAKEGOOD_PAYMENT_WEBHOOK_URL
    if not url:
        return SendResult(ok=False, error="No payment system URL is configured.")
    body = json.dumps(message.payload, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Makegood"}
    secret = settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET
    if secret:
        headers[SIGNATURE_HEADER] = payment_signature_header(secret, body)
    result = client.post(url, body=body, headers=headers)
    return SendResult(ok=result.ok, status=result.status, error=result.error)


def payment_held() -> Q | None:
    """Without a payment system URL, refunds wait as pending for it to collect."""
    return None if settings.MAKEGOOD_PAYMENT_WEBHOOK_URL else Q(pk__isnull=False)


def grant_delivered(message: OutboxMessage) -> None:
    event = _event(message)
    grant = event.grant
    if event.kind == OutboundKind.EMAIL and event.topic == PAID_EMAIL_TOPIC:
        body = f"E-mailed {event.payload['to']} that the payment has been made."
    elif event.kind == OutboundKind.EMAIL:
        body = f"E-mailed {grant.name} to {event.payload['to']}" + (" with its code." if grant.code else ".")
    else:
        body = f"Refund of {grant.currency} {grant.cost:,.2f} sent to the payment system."
        if event.payload.get("payment_id"):
            payment_mark_sent(payment_id=event.payload["payment_id"], at=message.delivered_at or timezone.now())
    CaseEvent.objects.create(
        case=grant.case,
        kind=RemedyEventKind.DELIVERED,
        at=message.delivered_at or timezone.now(),
        body=body,
        data={"remedies": "delivered", "grant_id": grant.pk, "outbound_event_id": event.pk, "via": event.kind},
    )


def grant_delivery_failed(message: OutboxMessage) -> None:
    """After the last attempt: a line on the case, so its owner sees the grant did not go out."""
    event = _event(message)
    grant = event.grant
    what = "the e-mail to the customer" if event.kind == OutboundKind.EMAIL else "the refund to the payment system"
    logger.error("Delivering %s for grant %s failed for good: %s", what, grant.pk, message.last_error)
    CaseEvent.objects.create(
        case=grant.case,
        kind=RemedyEventKind.DELIVERY_FAILED,
        at=timezone.now(),
        body=f"Could not deliver {what} for {grant.name}: {message.last_error}",
        data={"remedies": "delivery_failed", "grant_id": grant.pk, "outbound_event_id": event.pk, "via": event.kind},
    )


grant_email_handler = Handler(
    purpose=EMAIL_PURPOSE, send=grant_email_send, delivered=grant_delivered, failed=grant_delivery_failed
)
payment_announcement_handler = Handler(
    purpose=PAYMENT_PURPOSE,
    send=payment_announcement_send,
    delivered=grant_delivered,
    failed=grant_delivery_failed,
    held=payment_held,
)
