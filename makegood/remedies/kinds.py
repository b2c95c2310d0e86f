"""Remedies' own lines on a case's timeline and their notifications (registered with the core in
`RemediesConfig.ready`, so the case page labels them like the core's own)."""

from __future__ import annotations

from django.db import models


class RemedyEventKind(models.TextChoices):
    LOSS_RECORDED = "remedy_loss", "Loss recorded"
    GRANTED = "remedy_granted", "Remedy granted"
    OFFERED = "remedy_offered", "Options offered"
    OFFER_DECLINED = "remedy_offer_declined", "Options declined"
    ESCALATED = "remedy_escalated", "Escalated to a manager"
    APPROVED = "remedy_approved", "Approved by a manager"
    TAKEN_OVER = "remedy_taken_over", "Taken over by a manager"
    # Written by the delivery of a grant (the e-mail with its code, the refund to the payment system).
    DELIVERED = "remedy_delivered", "Remedy delivered"
    # Written when the outbox gives up on a grant's delivery (after its last attempt).
    DELIVERY_FAILED = "remedy_delivery_failed", "Remedy delivery failed"
    # A payment's life (payments.py): to pay, sent, paid, failed, late.
    PAYMENT_TO_PAY = "remedy_payment_to_pay", "Payment to make"
    PAYMENT_SENT = "remedy_payment_sent", "Payment sent"
    PAYMENT_CONFIRMED = "remedy_payment_paid", "Payment confirmed"
    PAYMENT_FAILED = "remedy_payment_failed", "Payment failed"
    PAYMENT_LATE = "remedy_payment_late", "Payment not confirmed in time"


class RemedyNotificationKind(models.TextChoices):
    # Notification.kind holds 20 characters.
    APPROVED = "remedy_approved", "Approval to deliver"
    TAKEN_OVER = "remedy_taken_over", "Escalation taken over"
    PAYMENT_LATE = "payment_late", "Payment not confirmed in time"
    PAYMENT_FAILED = "payment_failed", "Payment failed"


# What the timeline lines were before they had kinds of their own: notes whose data["remedies"]
# said what they were (the data migration 0004 converts them).
LEGACY_NOTE_KINDS: dict[str, str] = {
    "loss": RemedyEventKind.LOSS_RECORDED,
    "grant": RemedyEventKind.GRANTED,
    "offer": RemedyEventKind.OFFERED,
    "offer_declined": RemedyEventKind.OFFER_DECLINED,
    "escalated": RemedyEventKind.ESCALATED,
    "approved": RemedyEventKind.APPROVED,
    "taken_over": RemedyEventKind.TAKEN_OVER,
    "delivered": RemedyEventKind.DELIVERED,
}
