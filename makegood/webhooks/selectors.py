"""Reads for webhooks, including the per-process memory of which events anyone wants.

Every intake announces `case.opened`, and most installations have no webhook at all: asking the
database "is there an endpoint?" on each intake would cost a query per complaint. So each process
remembers which events the active endpoints subscribe to, for at most `SUBSCRIPTIONS_TTL_SECONDS`.
Saving or deleting an endpoint forgets it at once in the process that did it (`apps.py` connects
the signals); other processes (the other web workers, the task worker) see the change within the
TTL (a `ProcessCache`). An event that finds no subscriber in memory runs no query at all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from makegood.process_cache import ProcessCache
from makegood.webhooks.models import WebhookDelivery, WebhookEndpoint

SUBSCRIPTIONS_TTL_SECONDS = 10.0


def _subscribed_events_load() -> frozenset[str]:
    events: set[str] = set()
    for subscribed in WebhookEndpoint.objects.filter(active=True).values_list("events", flat=True):
        if isinstance(subscribed, list):
            events.update(str(event) for event in subscribed)
    return frozenset(events)


_subscriptions = ProcessCache(_subscribed_events_load, ttl_seconds=SUBSCRIPTIONS_TTL_SECONDS, name="webhooks")
# The events at least one active endpoint wants; from memory when it is fresh enough.
subscribed_events = _subscriptions.get
subscriptions_forget = _subscriptions.clear


def subscriptions_watch_endpoints() -> None:
    """Forget the subscriptions whenever an endpoint is saved or deleted here (from `apps.py`)."""
    _subscriptions.clear_when_saved(WebhookEndpoint)


def endpoints_for(event: str) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to the event; no query when none is (see above)."""
    if event not in subscribed_events():
        return []
    # Read again rather than trusting the memory: it may be up to the TTL old.
    return [endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if endpoint.wants(event)]


def deliveries_recent(*, state: str | None = None) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.select_related("endpoint").order_by("-created_at", "-pk")
    if state:
        deliveries = deliveries.filter(state=state)
    return deliveries
