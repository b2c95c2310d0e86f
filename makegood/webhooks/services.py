"""Writes for webhooks: queueing an event's deliveries (outbox messages), rotating a secret."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from makegood.outbox import outbox_send_on_commit
from makegood.webhooks.delivery import PURPOSE
from makegood.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint, new_secret
from makegood.webhooks.selectors import endpoints_for


def deliveries_queue(
    *, event: str, occurred_at: datetime | None, data: Callable[[], dict[str, Any]]
) -> list[WebhookDelivery]:
    """One delivery per endpoint subscribed to the event, sent by the outbox once the caller commits.

    Called inside the transaction of the change being announced, so the deliveries exist exactly
    when the change does. `data` is only called when someone is subscribed: with no endpoint
    (the common case) this runs no query at all (see `selectors.subscribed_events`).
    """
    endpoints = endpoints_for(event)
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    payload = {
        "id": str(event_id),
        "event": event,
        "occurred_at": (occurred_at or now).isoformat(),
        "data": data(),
    }
    deliveries = [
        WebhookDelivery.objects.create(
            purpose=PURPOSE,
            target=endpoint.url,
            key=f"{event_id}:{endpoint.pk}",
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            payload=payload,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        outbox_send_on_commit(delivery)
    return deliveries


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint; its deliveries stay on record, and those still waiting are marked failed."""
    WebhookDelivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
        state=DeliveryState.FAILED, next_attempt_at=None, last_error="The endpoint was deleted."
    )
    endpoint.delete()


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret at once; deliveries sent from now on are signed with it (retries included)."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint
