"""What was offered, escalated, authorised and granted: the append-only ledger, and the payment
system's announcements of granted refunds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from makegood.outbox.models import MessageState, OutboxMessage
from makegood.remedies.amounts import MONEY_DIGITS, MONEY_PLACES, CurrencyAmounts
from makegood.remedies.models.catalog import Purpose, RemedyKind, RemedyType


class OfferStatus(models.TextChoices):
    OPEN = "open", "Offered"
    CHOSEN = "chosen", "Chosen"
    DECLINED = "declined", "None of these"


class Offer(CurrencyAmounts):
    """Three options put to the customer, and what they said."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="offers")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    demand_kind = models.CharField(max_length=30, choices=RemedyKind.choices, blank=True)
    demand_amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    minimum_value = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    currency = models.CharField(max_length=3)
    demand_fits = models.BooleanField(default=False, help_text="The demand was within authority.")
    options = models.JSONField(default=list, help_text="The options as offered (a snapshot).")
    reason = models.TextField(blank=True, help_text="Why fewer than three options, if so.")
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    chosen_index = models.PositiveSmallIntegerField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    money_fields = ("demand_amount", "minimum_value")

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [models.Index(fields=["case", "made_at"], name="offer_case_idx")]

    def __str__(self) -> str:
        return f"Offer {self.pk} on case {self.case_id}"


class EscalationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager"
    APPROVED = "approved", "Approved"
    # Not "denied": the manager takes the case over and calls the customer personally.
    TAKEN_OVER = "taken_over", "Taken over by the manager"


class Escalation(CurrencyAmounts):
    """The customer declined all three options; a manager decides, with the full story attached."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalations")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    demand_kind = models.CharField(max_length=30, choices=RemedyKind.choices, blank=True)
    demand_amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    currency = models.CharField(max_length=3)
    note = models.TextField(blank=True)
    story = models.JSONField(default=dict, help_text="Snapshot of the case, the demand and what was offered.")
    status = models.CharField(max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    money_fields = ("demand_amount",)

    class Meta:
        ordering = ["raised_at", "pk"]
        permissions = [("decide_escalation", "Can approve escalations, or take the case over")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="escalation_one_pending_per_case"
            )
        ]
        indexes = [models.Index(fields=["status", "raised_at"], name="escalation_status_idx")]

    def __str__(self) -> str:
        return f"Escalation {self.pk} on case {self.case_id}"


class Authorization(CurrencyAmounts):
    """A manager's approval: lets one employee grant beyond their own authority, once.

    Until used (or expired), `max_cost` is reserved against the approving manager's authority;
    the grant made under it is charged to the manager.
    """

    escalation = models.OneToOneField(Escalation, on_delete=models.PROTECT, related_name="authorization")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="authorizations")
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    remedy_kind = models.CharField(max_length=30, choices=RemedyKind.choices, blank=True, help_text="Blank: any.")
    remedy_type = models.ForeignKey(RemedyType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    max_amount = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        help_text="Largest amount (variable remedies).",
    )
    max_cost = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    money_fields = ("max_amount", "max_cost")

    class Meta:
        indexes = [models.Index(fields=["approved_by", "used_at", "expires_at"], name="authorization_open_idx")]

    def __str__(self) -> str:
        return f"Authorization {self.pk} by {self.approved_by_id}"


class Grant(CurrencyAmounts, AppendOnlyModel):
    """The ledger: one row per remedy granted, never changed. Authority is computed from it.

    `charged_to` is whose authority paid: the employee's own, or the approving manager's when
    granted under an authorization (`authorized_by`). `cost` and `value` mean the same for both
    purposes; only compensation rows count against the caps (`purpose`).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="grants")
    remedy_type = models.ForeignKey(RemedyType, on_delete=models.PROTECT, related_name="grants")
    kind = models.CharField(max_length=30, choices=RemedyKind.choices)
    # What the grant counted as: restitution matching the case's loss (not charged to the caps,
    # within the case's restitution limit) or compensation (charged to `charged_to`'s caps). A
    # restitution remedy granted beyond the loss counts as compensation.
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.COMPENSATION)
    name = models.CharField(max_length=120, help_text="The remedy's name when granted.")
    amount = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        help_text="Variable remedies: the amount.",
    )
    cost = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    value = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(max_length=3)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    charged_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorization = models.OneToOneField(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="grant"
    )
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    granted_at = models.DateTimeField(default=timezone.now)
    code = models.CharField(max_length=20, blank=True, help_text="Coupons, vouchers and gift cards.")
    order_reference = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    append_only_message = "The remedy ledger is append-only."
    money_fields = ("amount", "cost", "value")
    objects = AppendOnlyQuerySet["Grant"].as_manager()

    # Not stored: True when remedy_grant returned this earlier grant for a replayed idempotency key.
    replayed: bool = False

    class Meta:
        ordering = ["granted_at", "pk"]
        permissions = [
            ("grant_remedy", "Can grant remedies within their authority"),
            ("view_remedy_reports", "Can see authority and remedy reports"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="grant_unique_code"),
            models.UniqueConstraint(
                fields=["granted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="grant_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0, value__gte=0) & (Q(amount__isnull=True) | Q(amount__gt=0)),
                name="grant_nonnegative",
            ),
        ]
        indexes = [
            models.Index(fields=["charged_to", "granted_at"], name="grant_charged_idx"),
            models.Index(fields=["case", "remedy_type"], name="grant_case_type_idx"),
            # An employee's spending on one case (the per-case cap).
            models.Index(fields=["charged_to", "case"], name="grant_charged_case_idx"),
            # The restitution already granted on a case (its own limit: the loss).
            models.Index(fields=["case", "purpose"], name="grant_case_purpose_idx"),
            models.Index(fields=["granted_at"], name="grant_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency} {self.cost}) on case {self.case_id}"


class OutboundKind(models.TextChoices):
    EMAIL = "email", "E-mail to the customer"
    PAYMENT_WEBHOOK = "payment_webhook", "Refund for the payment system"


# A delivery's status is its outbox message's state.
OutboundStatus = MessageState


class OutboundEvent(OutboxMessage):
    """Delivering a grant (the code e-mail, the refund announcement): an outbox message with its grant.

    Written with the grant, sent by the outbox after commit, retried with back-off.
    """

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="outbound_events")
    kind = models.CharField(max_length=20, choices=OutboundKind.choices)
    topic = models.CharField(max_length=50)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} for grant {self.grant_id} ({self.state})"

    @property
    def status(self) -> str:
        """The outbox message's state (pending, delivered, failed)."""
        return self.state
