"""Sending one delivery: claim it, POST it signed, record the answer, and say when to retry.

The claim is a conditional update that moves `next_attempt_at` a lease ahead (`LEASE`) and counts
the attempt: of two workers holding the same delivery, only one's update matches, so only one
sends. No transaction is held during the POST: on SQLite a transaction would hold the database's
only write lock for as long as the endpoint takes to answer (up to the 10 s timeout) and stall
intake. If the worker dies mid-send, the lease runs out and the sweep sends the delivery again,
so an endpoint may (rarely) get an event twice: `Makegood-Delivery` is the same on every
attempt for receivers to ignore repeats.

Retries back off exponentially and deterministically (no jitter): 30 s, 2 min, 8 min, 32 min,
2 h 8 min, then every 6 h, and after `MAX_ATTEMPTS` attempts the delivery is marked failed.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from makegood.webhooks import transport
from makegood.webhooks.models import DeliveryState, WebhookDelivery
from makegood.webhooks.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_FACTOR = 4
BACKOFF_CAP = timedelta(hours=6)
# Far longer than a POST can take (10 s timeout), so a live sender never loses its claim.
LEASE = timedelta(minutes=5)


def backoff_delay(attempt: int) -> timedelta:
    """How long to wait after the given failed attempt (1 for the first) before the next one."""
    return min(BACKOFF_FIRST * BACKOFF_FACTOR ** max(attempt - 1, 0), BACKOFF_CAP)


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


def delivery_attempt(*, delivery_id: int) -> datetime | None:
    """Make one attempt if the delivery is due and not taken; return when to retry, if ever.

    None means there is nothing more to do now: delivered, given up, not due, gone, its endpoint
    inactive, or another worker holds it.
    """
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return None
    endpoint = delivery.endpoint
    if endpoint is None or not endpoint.active:
        return None
    now = timezone.now()
    attempt = delivery.attempts + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.PENDING, attempts=delivery.attempts, next_attempt_at__lte=now
    ).update(attempts=attempt, next_attempt_at=now + LEASE)
    if claimed != 1:
        return None

    body = delivery_body(delivery)
    result = transport.post(
        endpoint.url, body=body, headers=delivery_headers(delivery, body, secret=endpoint.secret, attempt=attempt)
    )
    finished = timezone.now()

    if result.ok:
        # Delivered is true whoever else holds the row now; record it unconditionally.
        WebhookDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.DELIVERED,
            delivered_at=finished,
            next_attempt_at=None,
            last_status_code=result.status,
            last_error="",
        )
        return None
    # Only the holder of this attempt's claim records its failure.
    ours = WebhookDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING, attempts=attempt)
    if attempt >= MAX_ATTEMPTS:
        logger.error("Webhook delivery %s failed for good after %s attempts: %s", delivery.pk, attempt, result.error)
        ours.update(
            state=DeliveryState.FAILED, next_attempt_at=None, last_status_code=result.status, last_error=result.error
        )
        return None
    retry_at = finished + backoff_delay(attempt)
    logger.warning(
        "Webhook delivery %s attempt %s failed (retry at %s): %s", delivery.pk, attempt, retry_at, result.error
    )
    updated = ours.update(next_attempt_at=retry_at, last_status_code=result.status, last_error=result.error)
    return retry_at if updated else None
