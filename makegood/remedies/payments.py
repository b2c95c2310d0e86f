"""Payments: one write path for every change of a payment's state.

A grant that pays money opens a payment (`payment_open`, inside the grant's transaction). The
payment system's delivery marks it sent (`payment_mark_sent`); the payment system's signed
confirmation (`payment_callbacks.payment_callback_receive`) or a person with the right role
(`payment_record_outcome`, from the case page and the payments to make) says it was paid or it
failed. Only a confirmed payment is announced to the customer as paid; a failed one puts the case
back in front of its owner, first in line (reopened when it was resolved).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from makegood import money as amounts
from makegood.accounts.roles import can_view_case
from makegood.cases.audit import audit_record
from makegood.cases.business_hours import add_open_time
from makegood.cases.clock import clock_config
from makegood.cases.models import Case, Status
from makegood.cases.services import CaseActionError, case_priority_raise, case_reopen
from makegood.cases.timeline import case_event_add, case_lock, managers_of, notify_owner_or_team
from makegood.outbox import outbox_send_on_commit
from makegood.remedies.authority import money
from makegood.remedies.kinds import RemedyEventKind, RemedyNotificationKind
from makegood.remedies.models import (
    PAYMENT_TRANSITIONS,
    REFUND_KINDS,
    Grant,
    OutboundEvent,
    OutboundKind,
    Payment,
    PaymentRoute,
    PaymentStatus,
    RemedyKind,
)

# A business day at a team with opening hours is this much open time; without hours, a whole day.
BUSINESS_DAY_OPEN_HOURS = 8
MAX_REFERENCE = 100
MAX_REASON = 2_000
# The e-mail topic of "your refund has been paid" (the grant's own e-mail is `remedy.granted`).
PAID_EMAIL_TOPIC = "payment.confirmed"


def pays_money(kind: str) -> bool:
    """Remedies that move money to the customer: each grant of one is a payment to follow."""
    return kind in REFUND_KINDS


def payment_noun(kind: str) -> str:
    return "refund of the wrong charge" if kind == RemedyKind.REVERSE_CHARGE else "refund"


def message_started(kind: str, amount: Decimal, currency: str) -> str:
    """What the customer is told when the payment is created: started, not paid."""
    return (
        f"We have started your {payment_noun(kind)} of {money(amount, currency)}; "
        "we will confirm when it has been paid."
    )


def message_paid(kind: str, amount: Decimal, currency: str) -> str:
    """What the customer is told once, and only once, the payment is confirmed."""
    return f"Your {payment_noun(kind)} of {money(amount, currency)} has been paid."


def payment_system_configured() -> bool:
    return bool(settings.MAKEGOOD_PAYMENT_WEBHOOK_URL)


def payment_due(case: Case, start: datetime) -> datetime:
    """When a payment begun at `start` should be confirmed: `MAKEGOOD_PAYMENT_CONFIRM_BUSINESS_DAYS`
    business days, counted in the case team's opening hours (the first-response clock's)."""
    days = max(float(settings.MAKEGOOD_PAYMENT_CONFIRM_BUSINESS_DAYS), 0.0)
    schedule = clock_config().schedules.get(case.team_id) if case.team_id is not None else None
    if schedule is None or schedule.always_open:
        return start + timedelta(days=days)
    return add_open_time(start, timedelta(hours=BUSINESS_DAY_OPEN_HOURS * days), schedule)


def payment_open(*, grant: Grant, case: Case, at: datetime) -> Payment:
    """The payment a money remedy promises. Called by `remedy_grant` in its transaction (the case
    is locked): without a payment system, it is a task for a named person (the case's owner, else
    whoever granted it), shown on the case, in their queue and on the payments to make."""
    amount = grant.amount if grant.amount is not None else grant.value
    route = PaymentRoute.PAYMENT_SYSTEM if payment_system_configured() else PaymentRoute.PERSON
    responsible: User = case.owner if case.owner is not None else grant.granted_by
    payment = Payment.objects.create(
        grant=grant,
        case=case,
        amount=amount,
        currency=grant.currency,
        route=route,
        responsible=responsible,
        created_at=at,
        due_at=payment_due(case, at),
    )
    what = f"{payment_noun(grant.kind).capitalize()} of {money(amount, grant.currency)}"
    if route == PaymentRoute.PAYMENT_SYSTEM:
        body = f"{what} to pay: going to the payment system; the customer hears it is paid once it confirms."
    else:
        who = responsible.get_full_name() or responsible.get_username()
        body = (
            f"{what} to pay by {who}: no payment system is configured. Mark it paid once the money has moved; "
            "the customer is told it is paid only then."
        )
    _line(payment, kind=RemedyEventKind.PAYMENT_TO_PAY, actor=grant.granted_by, body=body, at=at)
    audit_record(
        actor=grant.granted_by,
        action="payment.created",
        obj=payment,
        at=at,
        changes={
            "grant": grant.pk,
            "amount": amounts.as_text(amount, grant.currency),
            "currency": grant.currency,
            "route": route,
            "responsible": responsible.pk,
        },
    )
    return payment


def _line(payment: Payment, *, kind: str, actor: User | None, body: str, at: datetime) -> None:
    case_event_add(
        payment.case,
        kind=kind,
        at=at,
        actor=actor,
        body=body,
        data={
            "payment_id": payment.pk,
            "grant_id": payment.grant_id,
            "status": payment.status,
            "amount": amounts.as_text(payment.amount, payment.currency),
            "currency": payment.currency,
        },
    )


def _move(payment: Payment, to: str) -> str:
    before = payment.status
    if to not in PAYMENT_TRANSITIONS[before]:
        raise CaseActionError(f"This payment is {payment.get_status_display().lower()}; it cannot become that.")
    payment.status = to
    return before


def _locked(payment_id: int) -> tuple[Case, Payment]:
    """The payment's case, then the payment, both locked (the grant's order: case first)."""
    case_id = Payment.objects.filter(pk=payment_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Payment.DoesNotExist(f"No payment {payment_id}.")
    case = case_lock(case_id)
    payment = Payment.objects.select_for_update().select_related("grant").get(pk=payment_id)
    payment.case = case
    return case, payment


@transaction.atomic
def payment_mark_sent(*, payment_id: int, at: datetime | None = None) -> Payment | None:
    """The payment system accepted the payment (its webhook delivery succeeded). A payment
    already confirmed or failed (its answer came first) stays as it is."""
    _case, payment = _locked(payment_id)
    if payment.status != PaymentStatus.TO_PAY:
        return None
    now = at or timezone.now()
    _move(payment, PaymentStatus.SENT)
    payment.sent_at = now
    payment.save(update_fields=["status", "sent_at"])
    body = f"{payment_noun(payment.grant.kind).capitalize()} of {money(payment.amount, payment.currency)} sent to the "
    body += "payment system; waiting for its confirmation."
    _line(payment, kind=RemedyEventKind.PAYMENT_SENT, actor=None, body=body, at=now)
    audit_record(actor=None, action="payment.sent", obj=payment, at=now, changes={"status": PaymentStatus.SENT})
    return payment


def may_record_outcome(user: User, payment: Payment) -> bool:
    """A person who may mark a payment paid or failed: its responsible person (with the role's
    permission), or someone who manages payments; either must be able to see the case."""
    if not user.is_authenticated or not can_view_case(user, payment.case):
        return False
    if user.has_perm("remedies.manage_payments"):
        return True
    return user.has_perm("remedies.confirm_payment") and payment.responsible_id == user.pk


def _clean(text: str, field: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError({field: [f"At most {limit} characters."]})
    return text


def payment_record_outcome(
    *,
    payment_id: int,
    paid: bool,
    actor: User | None,
    reference: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> Payment:
    """The one write path for "paid" and "failed", from the payment system (`actor` None, its
    signature checked by the caller) or from a person (checked here). Paid: the customer is
    e-mailed that it has been paid. Failed: the owner is told and the case comes first again
    (reopened when it was resolved). The same answer twice is a no-op; the other answer is refused."""
    reference = _clean(reference, "reference", MAX_REFERENCE)
    reason = _clean(reason, "reason", MAX_REASON)
    if not paid and not reason:
        raise ValidationError({"reason": ["Say why the payment failed: the owner calls the customer with it."]})
    with transaction.atomic():
        case, payment = _locked(payment_id)
        if actor is not None and not may_record_outcome(actor, payment):
            raise PermissionDenied("You may not mark this payment.")
        to = PaymentStatus.CONFIRMED if paid else PaymentStatus.FAILED
        if payment.status == to:
            return payment
        now = at or timezone.now()
        before = _move(payment, to)
        payment.decided_by = actor
        payment.reference = reference or payment.reference
        if paid:
            payment.confirmed_at = now
        else:
            payment.failed_at, payment.failure_reason = now, reason
        payment.save()
        audit_record(
            actor=actor,
            action="payment.confirmed" if paid else "payment.failed",
            obj=payment,
            at=now,
            changes={"status": [before, to], "reference": payment.reference, "reason": reason},
        )
        if paid:
            _confirmed(payment, actor=actor, at=now)
        else:
            _failed(payment, case=case, actor=actor, at=now)
    return payment


def _by(actor: User | None) -> str:
    return "the payment system" if actor is None else (actor.get_full_name() or actor.get_username())


def _confirmed(payment: Payment, *, actor: User | None, at: datetime) -> None:
    grant = payment.grant
    told = message_paid(grant.kind, payment.amount, payment.currency)
    body = f"Paid, confirmed by {_by(actor)}" + (f" (reference {payment.reference})" if payment.reference else "")
    email = payment.case.customer.email
    body += f". The customer is told: “{told}”" if email else ". The customer has no e-mail address: tell them."
    _line(payment, kind=RemedyEventKind.PAYMENT_CONFIRMED, actor=actor, body=body, at=at)
    if email:
        from makegood.remedies import tasks  # its e-mail sender imports this module

        event = OutboundEvent.objects.create(
            grant=grant,
            purpose=tasks.EMAIL_PURPOSE,
            target=email,
            key=f"grant:{grant.pk}:paid",
            kind=OutboundKind.EMAIL,
            topic=PAID_EMAIL_TOPIC,
            payload={"to": email},
            created_at=at,
        )
        outbox_send_on_commit(event)


def _failed(payment: Payment, *, case: Case, actor: User | None, at: datetime) -> None:
    what = f"{payment_noun(payment.grant.kind)} of {money(payment.amount, payment.currency)}"
    reason = f"The {what} failed ({payment.failure_reason}); call the customer and put it right."
    _line(payment, kind=RemedyEventKind.PAYMENT_FAILED, actor=actor, body=f"Failed, said {_by(actor)}. {reason}", at=at)
    if case.status == Status.RESOLVED:
        # The reopen tells the owner (and, from the second reopen, the managers) itself.
        case_reopen(case=case, reason=reason, actor=actor, at=at)
        return
    if case.status != Status.CLOSED:
        case_priority_raise(case=case, reason=reason, actor=actor, at=at)
    notify_owner_or_team(
        case,
        kind=RemedyNotificationKind.PAYMENT_FAILED,
        message=f"{case.reference}: {reason}",
        at=at,
        also=_also(payment, case),
    )


def _also(payment: Payment, case: Case) -> list[int]:
    """Beside the owner: the person who was to pay it and the managers."""
    people = [payment.responsible_id] if payment.responsible_id is not None else []
    return people + managers_of(case)


def payments_alert_late(*, now: datetime | None = None, limit: int = 200) -> int:
    """Alert the owner, the responsible person and the managers about payments not confirmed in
    time, once each: the alert is claimed by a conditional update, so two sweeps never both send it."""
    now = now or timezone.now()
    due = list(
        Payment.objects.filter(status__in=(PaymentStatus.TO_PAY, PaymentStatus.SENT), alerted_at__isnull=True)
        .filter(due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    alerted = 0
    for payment_id in due:
        with transaction.atomic():
            claimed = Payment.objects.filter(pk=payment_id, alerted_at__isnull=True).update(alerted_at=now)
            if not claimed:
                continue
            _alert_late(payment_id, now=now)
            alerted += 1
    return alerted


def _alert_late(payment_id: int, *, now: datetime) -> None:
    case, payment = _locked(payment_id)
    if not payment.is_open:
        return
    what = f"{payment_noun(payment.grant.kind)} of {money(payment.amount, payment.currency)}"
    waiting = "the payment system has not confirmed it" if payment.route == PaymentRoute.PAYMENT_SYSTEM else None
    if waiting is None:
        who = payment.responsible.get_full_name() if payment.responsible is not None else ""
        waiting = f"nobody has marked it paid{f' ({who} is to pay it)' if who else ''}"
    body = f"The {what} is not confirmed in time: {waiting}. The customer has not been told it is paid."
    _line(payment, kind=RemedyEventKind.PAYMENT_LATE, actor=None, body=body, at=now)
    notify_owner_or_team(
        case,
        kind=RemedyNotificationKind.PAYMENT_LATE,
        message=f"{case.reference}: {body}",
        at=now,
        also=_also(payment, case),
    )
    audit_record(actor=None, action="payment.late", obj=payment, at=now, changes={"due_at": payment.due_at.isoformat()})
