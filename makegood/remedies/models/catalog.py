"""The catalog of remedies and who may grant how much of them (by role, and per employee)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood import money
from makegood.accounts.models import Role
from makegood.cases.models import Channel, LossKind
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
