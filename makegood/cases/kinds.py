"""The kinds of timeline events and notifications: the core's own, and those each stage adds.

The core does not know the stages built on it, so a stage declares its kinds as `TextChoices`
and registers them from its `AppConfig.ready()`:

    from makegood.cases.kinds import register_event_kinds
    register_event_kinds(RemedyEvent)

The model fields take their choices from these registries (a callable, read when they are
needed), so a stage's kind is labelled and validated like the core's, with no migration when a
stage adds one.
"""

from __future__ import annotations

from django.db import models


class EventKind(models.TextChoices):
    """The core's timeline lines; a stage's own are registered beside them."""

    RECEIVED = "received", "Complaint received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACK_EMAIL_SENT = "ack_email_sent", "Acknowledgement e-mail sent"
    OWNERSHIP_TAKEN = "ownership_taken", "Ownership taken"
    CUSTOMER_MESSAGE = "customer_message", "Message from the customer"
    REPLY_SENT = "reply_sent", "Reply sent to the customer"
    CONTACT = "contact", "Live contact recorded"
    NOTE = "note", "Internal note"
    STATUS_CHANGED = "status_changed", "Status changed"
    REOPENED = "reopened", "Reopened"
    CLOCK_ALERT = "clock_alert", "First-response clock about to run out"
    CLOCK_BREACHED = "clock_breached", "First-response target missed"
    TRANSFER_ASKED = "transfer_asked", "Transfer to another team"
    TRANSFER_TAKEN = "transfer_taken", "Transfer taken"
    TRANSFER_CANCELLED = "transfer_cancelled", "Transfer withdrawn"


class NotificationKind(models.TextChoices):
    """The core's notifications; a stage's own are registered beside them."""

    REOPENED = "reopened", "Case reopened"
    CLOCK_ALERT = "clock_alert", "Clock about to run out"
    CLOCK_BREACHED = "clock_breached", "Clock ran out"
    TRANSFER_INCOMING = "transfer_incoming", "Case transferred to your team"
    TRANSFER_TAKEN = "transfer_taken", "Your transfer was taken"
    TAKEN_OVER = "taken_over", "Case taken over"


_event_kinds: dict[str, str] = {}
_notification_kinds: dict[str, str] = {}


def _register(registry: dict[str, str], choices: type[models.TextChoices]) -> None:
    for value, label in choices.choices:
        known = registry.get(value)
        if known is not None and known != str(label):
            raise ValueError(f"The kind {value!r} is registered twice, as {known!r} and as {label!r}.")
        registry[value] = str(label)


def register_event_kinds(choices: type[models.TextChoices]) -> None:
    """Add a stage's timeline kinds (idempotent; a value registered with another label is refused)."""
    _register(_event_kinds, choices)


def register_notification_kinds(choices: type[models.TextChoices]) -> None:
    """Add a stage's notification kinds (idempotent, as `register_event_kinds`)."""
    _register(_notification_kinds, choices)


def event_kind_choices() -> list[tuple[str, str]]:
    return list(_event_kinds.items())


def notification_kind_choices() -> list[tuple[str, str]]:
    return list(_notification_kinds.items())


register_event_kinds(EventKind)
register_notification_kinds(NotificationKind)
