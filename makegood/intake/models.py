"""What intake remembers so that a retry, a resubmit or a re-read mailbox never doubles a case."""

import zlib

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
    """Every e-mail read, by Message-ID: processed once, and kept raw when it could not be used
    or when part of it did not fit on the case (a person can then read all of it)."""

    message_id = models.CharField(max_length=998, unique=True)
    status = models.CharField(max_length=20, choices=InboundStatus.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    error = models.TextField(blank=True, help_text="Why the message was rejected or ignored.")
    raw = models.BinaryField(
        blank=True,
        help_text=(
            "The message as received (zlib-compressed when raw_compressed), kept for rejected and ignored "
            "messages and for those cut to fit the case, until raw_kept_until."
        ),
    )
    raw_compressed = models.BooleanField(default=False)
    raw_kept_until = models.DateTimeField(null=True, blank=True, help_text="Empty: kept until deleted.")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [("retry_inboundmessage", "Can retry a rejected inbound message")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"

    @staticmethod
    def pack(raw: bytes) -> bytes:
        """Mail is mostly text and compresses several times over; level 6 is zlib's usual trade."""
        return zlib.compress(raw, 6)

    @property
    def raw_message(self) -> bytes:
        """The message exactly as it was received (b"" if it was not kept or retention removed it)."""
        data = bytes(self.raw or b"")
        return zlib.decompress(data) if self.raw_compressed and data else data


class InboundAttempt(models.Model):
    """A message from a mailbox that failed to ingest, counted before each try.

    Counted *before* the try, so that a message that kills or hangs the process counts too; after
    `MAKEGOOD_MAIL_MAX_ATTEMPTS` it is set aside (rejected, kept raw, for a person) instead of
    being read again forever while the rest of the mailbox waits behind it.
    """

    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the raw message.")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.digest[:12]}… ({self.attempts} attempts)"
