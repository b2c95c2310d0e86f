"""Remedies: the catalog, who may grant how much, the append-only ledger, offers and escalations.

Money is always a Decimal with its currency alongside; nothing here is a float.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood import money
from makegood.accounts.models import Role
from makegood.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from makegood.cases.models import Channel, LossKind
from makegood.outbox.models import MessageState, OutboxMessage
from makegood.remedies.amounts import MONEY_DIGITS, MONEY_PLACES, CurrencyAmounts

# Money: 14 digits, 4 decimals (see `amounts`). Per-unit rates of variable remedies: 7 digits, 4
# decimals (a coupon worth 1.00 costs us 0.3500).


class RemedyKind(models.TextChoices):
    REFUND_FULL = "refund_full", "Full refund"
    REFUND_PARTIAL = "refund_partial", "Partial refund"
    COUPON = "coupon", "Coupon or voucher"
    COMPLIMENTARY = "complimentary", "Complimentary item or service"
    UPGRADE = "upgrade", "Free upgrade"
    EXPEDITED_SHIPPING = "expedited_shipping", "Expedited shipping at our cost"
    RETURN_EXCHANGE = "return_exchange", "Replacement or exchange"
    GIFT_CARD = "gift_card", "Gift card"
    LOYALTY_POINTS = "loyalty_points", "Loyalty points"
    EXPERT_TIME = "expert_time", "Time with an expert"
    HANDWRITTEN_NOTE = "handwritten_note", "Handwritten note"
    # What puts right the thing that failed (restitution), beside the refunds and the replacement.
    REDO_SERVICE = "redo_service", "Redo the service"
    REPAIR = "repair", "Repair at our cost"
    REVERSE_CHARGE = "reverse_charge", "Reverse a wrong charge"
    REDELIVER = "redeliver", "Deliver again"


class Purpose(models.TextChoices):
    """What a remedy is for. Restitution puts right what we got wrong (redo the service, repair or
    replace the item, reverse the charge, refund what was not delivered); compensation is what we
    add for the trouble. Only compensation is charged to the caps; restitution that matches the
    case's loss has its own limit per case (`authority.Restitution`)."""

    RESTITUTION = "restitution", "Restitution: puts right what failed"
    COMPENSATION = "compensation", "Compensation: for the trouble"


# The kinds that are restitution unless a catalog says otherwise (a remedy type's own `purpose`).
RESTITUTION_KINDS = frozenset(
    {
        RemedyKind.REDO_SERVICE,
        RemedyKind.REPAIR,
        RemedyKind.RETURN_EXCHANGE,
        RemedyKind.REVERSE_CHARGE,
        RemedyKind.REFUND_FULL,
        RemedyKind.REDELIVER,
    }
)

# Remedies that pay the customer money: each grant of one is a payment to make (`payments`).
# Refunds and reversed charges go to the payment system; the others are delivered by us.
REFUND_KINDS = frozenset({RemedyKind.REFUND_FULL, RemedyKind.REFUND_PARTIAL, RemedyKind.REVERSE_CHARGE})


def default_purpose(kind: str) -> str:
    return Purpose.RESTITUTION if kind in RESTITUTION_KINDS else Purpose.COMPENSATION


class Effort(models.TextChoices):
    """What the remedy still asks of the customer (none: it just happens; high: a trip back)."""

    NONE = "none", "No effort"
    LOW = "low", "Little effort"
    HIGH = "high", "Real effort"


class RemedyType(CurrencyAmounts):
    """One remedy a business offers. Administrators edit these; catalogs load them in bulk.

    A *fixed* remedy (a handwritten note, an upgrade) costs `cost` and is worth `value` to the
    customer. A *variable* one (a refund, a gift card, a coupon of a chosen value) is granted for
    an amount between `min_amount` and `max_amount`; it then costs `amount x cost_per_unit` and is
    worth `amount x value_per_unit` (a refund: 1 and 1; a coupon: perhaps 0.35 and 0.70, since it
    is only spent on a later purchase).
    """

    catalog = models.SlugField(max_length=50, help_text="The catalog this remedy came from.")
    code = models.SlugField(max_length=80)
    kind = models.CharField(max_length=30, choices=RemedyKind.choices)
    purpose = models.CharField(
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.COMPENSATION,
        help_text="Restitution puts right what failed (its own limit per case: the loss); compensation is "
        "for the trouble (charged to the caps).",
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    currency = models.CharField(max_length=3)
    is_variable = models.BooleanField(default=False)
    cost = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
        help_text="Fixed remedies: cost to us.",
    )
    value = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
        help_text="Fixed remedies: worth to the customer.",
    )
    cost_per_unit = models.DecimalField(
        max_digits=7, decimal_places=4, default=Decimal("0"), help_text="Variable remedies."
    )
    value_per_unit = models.DecimalField(
        max_digits=7, decimal_places=4, default=Decimal("0"), help_text="Variable remedies."
    )
    min_amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    max_amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    max_per_case = models.PositiveSmallIntegerField(null=True, blank=True, default=1, help_text="Blank: no limit.")
    needs_order_reference = models.BooleanField(default=False)
    channels = models.JSONField(default=list, blank=True, help_text="Channels it may be granted on; empty: all.")
    immediate = models.BooleanField(default=True, help_text="The customer gets it at once (not days later).")
    effort = models.CharField(max_length=10, choices=Effort.choices, default=Effort.NONE)
    loss_kinds = models.JSONField(default=list, blank=True, help_text="The kinds of loss it answers best.")
    issues_code = models.BooleanField(default=False, help_text="Coupons, vouchers, gift cards: a unique code.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    money_fields = ("cost", "value", "min_amount", "max_amount")

    class Meta:
        ordering = ["catalog", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "code"], name="remedytype_unique_catalog_code"),
            models.CheckConstraint(
                condition=Q(cost__gte=0, value__gte=0, cost_per_unit__gte=0, value_per_unit__gte=0),
                name="remedytype_nonnegative_money",
            ),
            models.CheckConstraint(
                condition=Q(is_variable=False)
                | Q(min_amount__gt=0, max_amount__isnull=False, min_amount__lte=models.F("max_amount")),
                name="remedytype_variable_has_range",
            ),
        ]
        # The catalog's fingerprint (count, newest change) reads this index alone.
        indexes = [models.Index(fields=["active", "currency", "updated_at"], name="remedytype_active_idx")]

    def __str__(self) -> str:
        return self.name

    def allows_channel(self, channel: str) -> bool:
        return not self.channels or channel in self.channels

    def clean(self) -> None:
        """What the admin form (and catalog loading) checks beyond each field's own rules."""
        errors: dict[str, list[str]] = {}
        self.currency = (self.currency or "").strip().upper()
        if not money.is_currency(self.currency):
            errors["currency"] = ["Use a three-letter currency code such as USD."]
        else:
            _check_places(errors, self, ("cost", "value", "min_amount", "max_amount"))
        _check_choices(errors, "channels", self.channels, Channel.values)
        _check_choices(errors, "loss_kinds", self.loss_kinds, LossKind.values)
        if self.is_variable:
            if self.min_amount is None or self.max_amount is None:
                errors["min_amount"] = ["A variable remedy needs its smallest and largest amount."]
            elif not 0 < self.min_amount <= self.max_amount:
                errors["max_amount"] = ["The largest amount must be at least the smallest, which must be positive."]
            if self.value_per_unit <= 0:
                errors["value_per_unit"] = ["Say what each unit is worth to the customer."]
        if errors:
            raise ValidationError(errors)


def _check_places(errors: dict[str, list[str]], row: CurrencyAmounts, fields: tuple[str, ...]) -> None:
    """Amounts with no more decimals than the row's currency has (none for JPY)."""
    currency = str(getattr(row, "currency", ""))
    for field in fields:
        amount = getattr(row, field)
        if amount is None:
            continue
        try:
            money.check_places(Decimal(amount), currency)
        except money.MoneyError as exc:
            errors.setdefault(field, []).append(str(exc))


def _check_choices(errors: dict[str, list[str]], field: str, value: object, allowed: list[str]) -> None:
    """A JSON list field whose items must come from `allowed`."""
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors[field] = ["Give a list of names."]
        return
    unknown = [item for item in value if item not in allowed]
    if unknown:
        errors[field] = [f"Unknown: {', '.join(unknown)}. Choose from: {', '.join(allowed)}."]


class RoleAuthority(CurrencyAmounts):
    """The authority every holder of a role has by default."""

    role = models.CharField(max_length=20, choices=Role.choices, unique=True)
    currency = models.CharField(max_length=3)
    cap_per_case = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    cap_per_day = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    budget_per_month = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    restitution_per_case = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        help_text="The most restitution one person may grant alone on a case, whatever the loss; blank: the "
        "loss is the only limit.",
    )
    allowed_kinds = models.JSONField(default=list, blank=True, help_text="Remedy kinds the role may grant.")
    updated_at = models.DateTimeField(auto_now=True)

    money_fields = ("cap_per_case", "cap_per_day", "budget_per_month", "restitution_per_case")

    class Meta:
        verbose_name_plural = "role authorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(cap_per_case__gte=0, cap_per_day__gte=0, budget_per_month__gte=0)
                & (Q(restitution_per_case__isnull=True) | Q(restitution_per_case__gte=0)),
                name="roleauthority_nonnegative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} authority"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _check_choices(errors, "allowed_kinds", self.allowed_kinds, RemedyKind.values)
        self.currency = (self.currency or "").strip().upper()
        if not money.is_currency(self.currency):
            errors["currency"] = ["Use a three-letter currency code such as USD."]
        else:
            _check_places(errors, self, self.money_fields)
        if errors:
            raise ValidationError(errors)


class EmployeeAuthority(models.Model):
    """One employee's overrides of their role's authority (blank: the role's value).

    Every employee who grants gets one of these rows, overrides or not: grants lock it
    (`SELECT … FOR UPDATE`) so that one employee's grants are checked against the caps one at a time.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authority")
    cap_per_case = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    cap_per_day = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    budget_per_month = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    restitution_per_case = models.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True, help_text="Blank: the role's."
    )
    allowed_kinds = models.JSONField(null=True, blank=True, help_text="Blank: the role's list.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "employee authorities"
        constraints = [
            models.CheckConstraint(
                condition=(Q(cap_per_case__isnull=True) | Q(cap_per_case__gte=0))
                & (Q(cap_per_day__isnull=True) | Q(cap_per_day__gte=0))
                & (Q(budget_per_month__isnull=True) | Q(budget_per_month__gte=0))
                & (Q(restitution_per_case__isnull=True) | Q(restitution_per_case__gte=0)),
                name="employeeauthority_nonnegative",
            )
        ]

    def __str__(self) -> str:
        return f"Authority of {self.user}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _check_choices(errors, "allowed_kinds", self.allowed_kinds, RemedyKind.values)
        if errors:
            raise ValidationError(errors)


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


# Payments live in their own module (this one is long); imported here so Django registers them.
from makegood.remedies.payment_models import (  # noqa: E402
    PAYMENT_OPEN,
    PAYMENT_TRANSITIONS,
    Payment,
    PaymentCallback,
    PaymentRoute,
    PaymentStatus,
)

__all__ = [
    "PAYMENT_OPEN",
    "PAYMENT_TRANSITIONS",
    "Payment",
    "PaymentCallback",
    "PaymentRoute",
    "PaymentStatus",
]
