"""Payments: the money a remedy promises, followed until it has moved.

A grant that pays the customer money (a refund, a reversed charge) is a promise; the `Payment`
beside it says whether the promise has been kept: to pay -> sent -> confirmed, or failed. The
customer hears "paid" only once it is confirmed (`payments.payment_confirm`). Imported by
`remedies.models`, so Django finds these models with the rest of the app's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood.remedies.amounts import MONEY_DIGITS, MONEY_PLACES, CurrencyAmounts


class PaymentStatus(models.TextChoices):
    TO_PAY = "to_pay", "To pay"
    SENT = "sent", "Sent to the payment system"
    CONFIRMED = "confirmed", "Paid"
    FAILED = "failed", "Failed"


# The only moves a payment makes (`payments._move` checks them). A failed payment stays failed: the
# owner puts it right with a new grant, so the ledger shows both.
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.TO_PAY: frozenset({PaymentStatus.SENT, PaymentStatus.CONFIRMED, PaymentStatus.FAILED}),
    PaymentStatus.SENT: frozenset({PaymentStatus.CONFIRMED, PaymentStatus.FAILED}),
    PaymentStatus.CONFIRMED: frozenset(),
    PaymentStatus.FAILED: frozenset(),
}
PAYMENT_OPEN = (PaymentStatus.TO_PAY, PaymentStatus.SENT)


class PaymentRoute(models.TextChoices):
    PAYMENT_SYSTEM = "payment_system", "By the payment system"
    PERSON = "person", "By a person (no payment system)"


class Payment(CurrencyAmounts):
    """One payment to the customer, for one grant. Every change is a timeline line and an audit
    entry; the grant itself (the ledger) never changes."""

    grant = models.OneToOneField("remedies.Grant", on_delete=models.PROTECT, related_name="payment")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.TO_PAY)
    route = models.CharField(max_length=20, choices=PaymentRoute.choices)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments_responsible",
        help_text="Who makes sure the money moves (without a payment system: who pays it).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(help_text="Not confirmed by then: the owner and a manager are alerted.")
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True, help_text="When the late alert went out (once).")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who marked it paid or failed; blank: the payment system.",
    )
    reference = models.CharField(max_length=100, blank=True, help_text="The payment system's or the till's reference.")
    failure_reason = models.TextField(blank=True)

    money_fields = ("amount",)

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [
            ("confirm_payment", "Can mark the payments they are responsible for as paid or failed"),
            ("manage_payments", "Can see the payments to make and mark any of them"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]
        indexes = [
            # The late sweep and the payments to make: open payments by deadline.
            models.Index(fields=["status", "due_at"], name="payment_status_due_idx"),
            models.Index(fields=["responsible", "status"], name="payment_responsible_idx"),
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk} of {self.currency} {self.amount} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in PAYMENT_OPEN


class PaymentCallback(models.Model):
    """A signed confirmation from the payment system, kept so the same one is never taken twice
    (a replay is refused even inside the signature's time window)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="callbacks")
    signature = models.CharField(max_length=64, unique=True)
    signed_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=PaymentStatus.choices)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"Callback for payment {self.payment_id} ({self.outcome})"
