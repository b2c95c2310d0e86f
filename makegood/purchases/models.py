"""What customers bought (or visits they made) after, and without, a complaint.

Businesses send them from their till or shop (`POST /api/v1/transactions`, or a CSV import); the
insights compare who comes back. A transaction is recorded once: its `external_id` (the
business's own id) makes a resend or a re-import harmless.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood import money

MONEY_DIGITS, MONEY_PLACES = money.MAX_WHOLE_DIGITS + money.MAX_PLACES, money.MAX_PLACES
MAX_EXTERNAL_ID = 100


class Kind(models.TextChoices):
    PURCHASE = "purchase", "Purchase"
    VISIT = "visit", "Visit"


class Purchase(models.Model):
    # Looked up through `purchase_customer_spend_idx` (customer first): a second index on the
    # customer alone would only cost writes, and planners without fresh statistics pick it instead.
    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE, related_name="purchases", db_index=False)
    external_id = models.CharField(max_length=MAX_EXTERNAL_ID)
    purchased_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PURCHASE)
    amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-purchased_at", "-pk"]
        permissions = [("import_purchases", "Can import customers' purchases from CSV")]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="purchase_unique_external_id"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="purchase_amount_nonnegative"),
        ]
        indexes = [
            # Who bought again after a date, and for how much: per customer, in time order, with the
            # amount in the index, so the loyalty comparison's join reads no table row (at 3,000,000
            # purchases PostgreSQL spent 10 of its 15 s fetching them; SQLite one look-up each).
            models.Index(fields=["customer", "purchased_at", "amount"], name="purchase_customer_spend_idx"),
            models.Index(fields=["purchased_at"], name="purchase_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.currency} {self.amount}"


class RunStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Importing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class PurchaseImport(models.Model):
    """One CSV import: the column mapping, how far it got, and the rows it rejected (and why)."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="purchase-imports/", max_length=400)
    columns = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    already_there = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True, help_text="[{line, reason}], the first 1,000.")
    rejected_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
