"""What intake remembers so that a retry, a resubmit or a re-read mailbox never doubles a case."""

from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """A client's key for one intake. `scope` separates clients: `api:<user id>`, `webform`."""

    scope = models.CharField(max_length=50)
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class InboundStatus(models.TextChoices):
    OPENED_CASE = "opened_case", "Opened a case"
    ADDED_TO_CASE = "added_to_case", "Added to a case"
    REJECTED = "rejected", "Rejected"
    # Auto-replies, bounces and bulk mail: recorded, but they open no case (no acknowledgement
    # goes back, so two robots cannot keep answering each other).
    IGNORED = "ignored", "Ignored (automatic mail)"


class InboundMessage(models.Model):
    """Every e-mail read, by Message-ID: processed once, and kept raw when it could not be used."""

    message_id = models.CharField(max_length=998, unique=True)
    status = models.CharField(max_length=20, choices=InboundStatus.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    error = models.TextField(blank=True, help_text="Why the message was rejected or ignored.")
    raw = models.BinaryField(
        blank=True, help_text="Kept only for rejected and ignored messages, for a person to look at."
    )
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"
