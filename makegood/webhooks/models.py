"""Webhooks: the external systems told about cases, and every delivery made to them.

A delivery is an outbox message, written in the same transaction as the change it announces, so
an event is announced if and only if it happened; the outbox sends it after commit and retries
it with back-off. An endpoint's URL must be a public address (`outbox.addresses`).
"""

from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from makegood.outbox.addresses import validate_public_url
from makegood.outbox.models import MessageState, OutboxMessage


class Event(models.TextChoices):
    CASE_OPENED = "case.opened", "Case opened"
    CASE_RESOLVED = "case.resolved", "Case resolved"
    CASE_REOPENED = "case.reopened", "Case reopened"
    CASE_CLOSED = "case.closed", "Case closed"
    FOLLOW_UP_ANSWERED = "follow_up.answered", "Follow-up answered"


def all_events() -> list[str]:
    return [event.value for event in Event]


def new_secret() -> str:
    """256 random bits, URL-safe: the key both sides use for the HMAC signature."""
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """An external system that wants to hear about cases, and which events it wants."""

    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"]), validate_public_url],
        help_text="Where events are POSTed as JSON (http or https).",
    )
    # Not editable in forms: generated, shown read-only to administrators, rotated by an action.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    events = models.JSONField(default=all_events, help_text="The events this endpoint receives.")
    active = models.BooleanField(
        default=True,
        help_text="Inactive endpoints get no new events; their deliveries in retry wait until it is active again.",
    )
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.description or self.url

    def clean(self) -> None:
        super().clean()
        known = set(all_events())
        if not isinstance(self.events, list) or not self.events:
            raise ValidationError({"events": ["Choose at least one event."]})
        unknown = [e for e in self.events if e not in known]
        if unknown:
            raise ValidationError({"events": [f"Unknown event: {', '.join(map(str, unknown))}."]})

    def wants(self, event: str) -> bool:
        return isinstance(self.events, list) and event in self.events


# A delivery's state is its outbox message's: pending, delivered or failed.
DeliveryState = MessageState


class WebhookDelivery(OutboxMessage):
    """One event for one endpoint: an outbox message (purpose "webhook") with its endpoint and event.

    The outbox row holds the exact payload and how sending it has gone (state, attempts, the
    lease in `next_attempt_at`, the last answer); this row says which endpoint and which event.
    """

    # Kept when its endpoint is deleted: the record of what was sent outlives the endpoint.
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    event = models.CharField(max_length=30, choices=Event.choices)
    # The event's id: the same for every endpoint told about it and on every retry.
    event_id = models.UUIDField(default=uuid.uuid4)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_one_per_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} ({self.state})"
