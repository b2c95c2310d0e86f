"""Reads for webhooks, including the per-process memory of which events anyone wants.

Every intake announces `case.opened`, and most installations have no webhook at all: asking the
database "is there an endpoint?" on each intake would cost a query per complaint. So each process
remembers which events the active endpoints subscribe to, for at most `SUBSCRIPTIONS_TTL_SECONDS`.
Saving or deleting an endpoint forgets it at once in the process that did it (`apps.py` connects
the signals); other processes (the other web workers, the task worker) see the change within the
TTL. An event that finds no subscriber in memory runs no query at all.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from makegood.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

SUBSCRIPTIONS_TTL_SECONDS = 10.0
_clock = time.monotonic
# (valid until, on the monotonic clock; the events some active endpoint subscribes to)
_subscriptions: tuple[float, frozenset[str]] | None = None


def subscribed_events() -> frozenset[str]:
    """The events at least one active endpoint wants; from memory when it is fresh enough."""
    global _subscriptions
    remembered = _subscriptions
    now = _clock()
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    events: set[str] = set()
    for subscribed in WebhookEndpoint.objects.filter(active=True).values_list("events", flat=True):
        if isinstance(subscribed, list):
            events.update(str(event) for event in subscribed)
    fresh = frozenset(events)
    _subscriptions = (now + SUBSCRIPTIONS_TTL_SECONDS, fresh)
    return fresh


def subscriptions_forget() -> None:
    """Drop the memory, so the next event reads the endpoints again."""
    global _subscriptions
    _subscriptions = None


def endpoint_changed(**_: object) -> None:
    """An endpoint was saved or deleted in this process: forget now, and again on commit.

    Again on commit, because another thread may read the endpoints before the change commits.
    """
    subscriptions_forget()
    transaction.on_commit(subscriptions_forget)


def endpoints_for(event: str) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to the event; no query when none is (see above)."""
    if event not in subscribed_events():
        return []
    # Read again rather than trusting the memory: it may be up to the TTL old.
    return [endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if endpoint.wants(event)]


def deliveries_due(*, before: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries of active endpoints whose next attempt was due before the given time."""
    due = WebhookDelivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=before, endpoint__active=True
    ).order_by("next_attempt_at", "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def deliveries_recent(*, state: str | None = None) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.select_related("endpoint").order_by("-created_at", "-pk")
    if state:
        deliveries = deliveries.filter(state=state)
    return deliveries
