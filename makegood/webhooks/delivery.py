"""The outbox's handler for webhooks: POST a delivery, signed, to its endpoint.

The outbox claims, retries (30 s, 2 min, 8 min, ... then every 6 h) and gives up after
`MAX_ATTEMPTS`; this module says how one attempt is made. Deliveries of an inactive endpoint are
held: neither attempted nor due until it is active again. `Makegood-Delivery` is the same on
every attempt, for receivers to ignore a repeat (a worker that died mid-send).
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from makegood.outbox import client as transport
from makegood.outbox.backoff import backoff_delay
from makegood.outbox.handlers import DEFAULT_MAX_ATTEMPTS, Handler, SendResult
from makegood.outbox.models import OutboxMessage
from makegood.outbox.signing import SIGNATURE_HEADER, signature_header
from makegood.webhooks.models import WebhookDelivery

logger = logging.getLogger(__name__)

PURPOSE = "webhook"
MAX_ATTEMPTS = DEFAULT_MAX_ATTEMPTS
# The outbox's default lease (MAKEGOOD_OUTBOX_LEASE): far longer than a POST can take (10 s timeout).
LEASE = timedelta(minutes=5)

__all__ = ["LEASE", "MAX_ATTEMPTS", "backoff_delay", "webhook_handler"]


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def delivery_headers(delivery: WebhookDelivery, body: bytes, *, secret: str, attempt: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Makegood-Webhooks/1",
        "Makegood-Event": delivery.event,
        "Makegood-Delivery": str(delivery.event_id),
        "Makegood-Attempt": str(attempt),
        SIGNATURE_HEADER: signature_header(secret, body),
    }


def webhook_send(message: OutboxMessage) -> SendResult:
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=message.pk)
    endpoint = delivery.endpoint
    if endpoint is None:
        return SendResult(ok=False, error="The endpoint was deleted.")
    body = delivery_body(delivery)
    headers = delivery_headers(delivery, body, secret=endpoint.secret, attempt=message.attempts)
    result = transport.post(endpoint.url, body=body, headers=headers)
    return SendResult(ok=result.ok, status=result.status, error=result.error)


def webhooks_held() -> Q:
    """Deliveries wait while their endpoint is inactive (or gone: those are marked failed)."""
    return Q(webhookdelivery__endpoint__active=False) | Q(webhookdelivery__endpoint__isnull=True)


def webhook_failed(message: OutboxMessage) -> None:
    logger.error("Webhook delivery %s failed for good after %s attempts.", message.pk, message.attempts)


webhook_handler = Handler(
    purpose=PURPOSE, send=webhook_send, held=webhooks_held, failed=webhook_failed, max_attempts=MAX_ATTEMPTS
)
