"""Delivering grants: the e-mail to the customer and the refund for the payment system.

Thin and safe to repeat: a task claims its `OutboundEvent` with a conditional update (so two
workers never both send it), does the I/O outside any transaction (a slow mail server or payment
system never holds the database's write lock) and records the result.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent
from makegood.cases.tasks import reply_subject
from makegood.remedies.models import Grant, OutboundEvent, OutboundKind, OutboundStatus, Payment
from makegood.remedies.payments import (
    PAID_EMAIL_TOPIC,
    message_paid,
    message_started,
    payment_mark_sent,
    pays_money,
)

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Makegood-Signature"


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


def _claim(event_id: int) -> bool:
    claimed = OutboundEvent.objects.filter(
        pk=event_id, status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED]
    ).update(status=OutboundStatus.SENDING, attempts=F("attempts") + 1)
    return claimed == 1


def _send_email(event: OutboundEvent) -> None:
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
    EmailMessage(
        subject=reply_subject(case),
        body=render_to_string(template, context),
        to=[event.payload["to"]],
    ).send()


def _post_webhook(event: OutboundEvent, url: str) -> None:
    body = json.dumps(event.payload, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Makegood"}
    secret = settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET
    if secret:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers[SIGNATURE_HEADER] = f"sha256={digest}"
    if not url.startswith(("https://", "http://")):
        raise ValueError("The payment webhook URL must be http(s).")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked above)
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise RuntimeError(f"The payment system answered {response.status}.")


@task()
def deliver_outbound_event(event_id: int) -> None:
    event = OutboundEvent.objects.select_related("grant__case__customer").filter(pk=event_id).first()
    if event is None:
        return
    url = ""
    if event.kind == OutboundKind.PAYMENT_WEBHOOK:
        url = settings.MAKEGOOD_PAYMENT_WEBHOOK_URL
        if not url:
            # Recorded for the payment system to collect; nothing to push to.
            return
    if not _claim(event_id):
        return
    try:
        if event.kind == OutboundKind.EMAIL:
            _send_email(event)
        else:
            _post_webhook(event, url)
    except Exception as exc:
        logger.warning("Delivering outbound event %s failed: %s", event_id, exc)
        OutboundEvent.objects.filter(pk=event_id).update(status=OutboundStatus.FAILED, last_error=str(exc)[:1000])
        return
    now = timezone.now()
    OutboundEvent.objects.filter(pk=event_id).update(status=OutboundStatus.DELIVERED, delivered_at=now, last_error="")
    grant = event.grant
    if event.kind == OutboundKind.EMAIL and event.topic == PAID_EMAIL_TOPIC:
        body = f"E-mailed {event.payload['to']} that the payment has been made."
    elif event.kind == OutboundKind.EMAIL:
        body = f"E-mailed {grant.name} to {event.payload['to']}" + (" with its code." if grant.code else ".")
    else:
        body = f"Refund of {grant.currency} {grant.cost:,.2f} sent to the payment system."
        if event.payload.get("payment_id"):
            payment_mark_sent(payment_id=event.payload["payment_id"], at=now)
    CaseEvent.objects.create(
        case=grant.case,
        kind=EventKind.NOTE,
        at=now,
        body=body,
        data={"remedies": "delivered", "grant_id": grant.pk, "outbound_event_id": event_id, "via": event.kind},
    )
