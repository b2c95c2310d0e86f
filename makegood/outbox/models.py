"""The one table of messages leaving Makegood: e-mails, webhooks, the payment announcement.

A message is written in the same transaction as the change that asks for it, so it exists exactly
when the change does, and is sent after the commit by the worker. A stage that needs to keep its
own addressing beside a message (a webhook's endpoint, a grant) subclasses `OutboxMessage`
(multi-table inheritance): its row joins the outbox row one to one, and the pipeline, which knows
only `OutboxMessage`, claims, sends, retries and gives up on every kind alike.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class MessageState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    # Withdrawn by the stage that asked for it before it went out (the reason for it is gone).
    CANCELLED = "cancelled", "Cancelled"


class OutboxMessage(models.Model):
    """One message for one recipient, and how sending it has gone so far.

    `next_attempt_at` is when it may be sent next. While a worker sends it, it is pushed a lease
    ahead (`MAKEGOOD_OUTBOX_LEASE`) and `attempts` counts the claim: that is what stops a second
    worker from sending it too, and what lets the sweep send it again if the worker died.
    """

    # Which registered handler sends it (`makegood.outbox.handlers`), e.g. "webhook".
    purpose = models.CharField(max_length=50, db_index=True)
    # Whom it is for, for people reading the admin (an address, an endpoint, "payment system").
    target = models.CharField(max_length=500, blank=True)
    # The idempotency key: one message per (purpose, key), however often it is enqueued.
    key = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    # Who holds the current attempt's lease (a process and thread), for the admin.
    claimed_by = models.CharField(max_length=100, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outgoing message"
        permissions = [("retry_outboxmessage", "Can send a failed outgoing message again")]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "key"], condition=~models.Q(key=""), name="outbox_message_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_message_due_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.target or '?'} ({self.state})"
