"""Payments: each state and what the customer is told at it, who may mark a payment, a failure
putting the case first again, and the late alert sent once."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from makegood.accounts.models import Role
from makegood.cases.models import AuditEntry, Case, Notification, Priority, Status
from makegood.cases.services import CaseActionError, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.outbox.client import PostResult
from makegood.remedies import tasks
from makegood.remedies.kinds import RemedyEventKind, RemedyNotificationKind
from makegood.remedies.models import (
    Grant,
    OutboundEvent,
    OutboundKind,
    OutboundStatus,
    Payment,
    PaymentRoute,
    PaymentStatus,
    RemedyType,
)
from makegood.remedies.payments import payment_record_outcome, payments_alert_late
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss
from makegood.remedies.tests.test_grant import Posted, answering

pytestmark = pytest.mark.django_db

STARTED = "We have started your refund of $25.50; we will confirm when it has been paid."
PAID = "Your refund of $25.50 has been paid."


def remedy(code: str) -> RemedyType:
    return RemedyType.objects.get(catalog="online_shop", code=code)


def refund(case: Case, user, amount: str = "25.50") -> Grant:
    return remedy_grant(case=case, user=user, remedy_type=remedy("refund-partial"), amount=amount, order_reference="A1")


def owned_case(user) -> Case:
    case = case_with_loss()
    return case_take_ownership(case=case, user=user)


def test_without_a_payment_system_a_refund_is_a_task_for_its_owner_and_the_customer_is_told_it_has_started(
    shop, alice, django_capture_on_commit_callbacks
):
    case = owned_case(alice)
    with django_capture_on_commit_callbacks(execute=True):
        grant = refund(case, alice)
    payment = Payment.objects.get(grant=grant)
    assert (payment.status, payment.route, payment.responsible) == (PaymentStatus.TO_PAY, PaymentRoute.PERSON, alice)
    assert (payment.amount, payment.currency) == (Decimal("25.50"), "USD")
    assert payment.due_at > payment.created_at
    # Nothing is announced to a payment system nobody configured.
    assert not OutboundEvent.objects.filter(kind=OutboundKind.PAYMENT_WEBHOOK).exists()
    (message,) = mail.outbox
    assert STARTED in message.body
    assert PAID not in message.body and "on its way" not in message.body
    line = case.events.get(kind=RemedyEventKind.PAYMENT_TO_PAY)
    assert "Alice Adams" in line.body and "no payment system" in line.body
    assert AuditEntry.objects.filter(action="payment.created", object_id=str(payment.pk)).exists()


def test_the_customer_is_told_it_is_paid_only_once_the_responsible_person_marks_it_paid(
    shop, alice, django_capture_on_commit_callbacks
):
    case = owned_case(alice)
    with django_capture_on_commit_callbacks(execute=True):
        grant = refund(case, alice)
    assert not any(PAID in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_record_outcome(payment_id=grant.payment.pk, paid=True, actor=alice, reference="TILL-7")
    assert (payment.status, payment.decided_by, payment.reference) == (PaymentStatus.CONFIRMED, alice, "TILL-7")
    assert payment.confirmed_at is not None
    paid = [m for m in mail.outbox if PAID in m.body]
    assert len(paid) == 1 and paid[0].to == ["dana@example.com"]
    assert case.events.filter(kind=RemedyEventKind.PAYMENT_CONFIRMED, actor=alice).exists()
    assert AuditEntry.objects.filter(action="payment.confirmed", object_id=str(payment.pk)).exists()
    # Told once: marking it paid again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        payment_record_outcome(payment_id=payment.pk, paid=True, actor=alice)
    assert len([m for m in mail.outbox if PAID in m.body]) == 1


def test_only_the_responsible_person_or_a_payments_manager_may_mark_a_payment(shop, alice, bob, charlie, north):
    case = owned_case(alice)
    payment = refund(case, alice).payment
    colleague = make_staff("carol", Role.FRONTLINE, north)
    for outsider in (colleague, charlie):
        with pytest.raises(PermissionDenied):
            payment_record_outcome(payment_id=payment.pk, paid=True, actor=outsider)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY
    payment_record_outcome(payment_id=payment.pk, paid=True, actor=bob)
    assert Payment.objects.get(pk=payment.pk).decided_by == bob


def test_a_failure_needs_a_reason_and_a_failed_payment_cannot_then_be_paid(shop, alice):
    payment = refund(owned_case(alice), alice).payment
    with pytest.raises(ValidationError):
        payment_record_outcome(payment_id=payment.pk, paid=False, actor=alice)
    payment_record_outcome(payment_id=payment.pk, paid=False, actor=alice, reason="Card expired")
    with pytest.raises(CaseActionError):
        payment_record_outcome(payment_id=payment.pk, paid=True, actor=alice)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED


def test_with_a_payment_system_a_delivered_refund_is_sent_not_paid(
    shop, alice, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MAKEGOOD_PAYMENT_WEBHOOK_URL = "https://payments.example.com/hooks/refunds"
    settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET = "s3cret"
    sent: list[Posted] = []
    monkeypatch.setattr(tasks.client, "post", answering(PostResult(status=200), sent))
    case = owned_case(alice)
    with django_capture_on_commit_callbacks(execute=True):
        grant = refund(case, alice)
    assert len(sent) == 1
    payment = Payment.objects.get(grant=grant)
    assert (payment.route, payment.status) == (PaymentRoute.PAYMENT_SYSTEM, PaymentStatus.SENT)
    assert payment.sent_at is not None
    event = OutboundEvent.objects.get(grant=grant, kind=OutboundKind.PAYMENT_WEBHOOK)
    assert event.status == OutboundStatus.DELIVERED
    assert event.payload["payment_id"] == payment.pk
    assert event.payload["confirmation_url"].endswith(f"/api/v1/payments/{payment.pk}/confirmation")
    assert case.events.filter(kind=RemedyEventKind.PAYMENT_SENT).exists()
    assert [STARTED in m.body for m in mail.outbox] == [True]
    assert not any(PAID in m.body for m in mail.outbox)


def test_a_payment_failing_on_a_resolved_case_reopens_it_first_in_line_and_tells_the_owner(shop, alice):
    case = owned_case(alice)
    payment = refund(case, alice).payment
    case_resolve(case=case, user=alice, resolution="Refunded.")
    payment_record_outcome(payment_id=payment.pk, paid=False, actor=None, reason="Card closed")
    case.refresh_from_db()
    assert (case.status, case.priority, case.reopen_count) == (Status.OPEN, Priority.HIGH, 1)
    assert Notification.objects.filter(case=case, user=alice, message__contains="Card closed").exists()
    assert case.events.filter(kind=RemedyEventKind.PAYMENT_FAILED).exists()


def test_a_payment_failing_on_an_open_case_raises_its_priority_and_tells_the_owner_and_managers(shop, alice, bob):
    case = owned_case(alice)
    payment = refund(case, alice).payment
    payment_record_outcome(payment_id=payment.pk, paid=False, actor=None, reason="Account closed")
    case.refresh_from_db()
    assert (case.status, case.priority) == (Status.OPEN, Priority.HIGH)
    told = set(
        Notification.objects.filter(case=case, kind=RemedyNotificationKind.PAYMENT_FAILED).values_list(
            "user__username", flat=True
        )
    )
    assert told == {"alice", "bob"}


def test_a_payment_not_confirmed_in_time_alerts_the_owner_and_the_manager_once(shop, alice, bob):
    case = owned_case(alice)
    payment = refund(case, alice).payment
    on_time = refund(owned_case(alice), alice, amount="10").payment
    payment_record_outcome(payment_id=on_time.pk, paid=True, actor=alice)
    assert payments_alert_late(now=payment.due_at - timedelta(minutes=1)) == 0
    later = payment.due_at + timedelta(minutes=1)
    assert payments_alert_late(now=later) == 1
    assert payments_alert_late(now=later + timedelta(hours=5)) == 0
    alerts = Notification.objects.filter(kind=RemedyNotificationKind.PAYMENT_LATE)
    assert sorted(alerts.values_list("user__username", flat=True)) == ["alice", "bob"]
    assert {a.case_id for a in alerts} == {case.pk}
    assert case.events.filter(kind=RemedyEventKind.PAYMENT_LATE).count() == 1


def test_the_deadline_is_one_business_day_counted_in_the_teams_opening_hours(shop, alice, north):
    from datetime import time

    from makegood.accounts.models import OpeningHours
    from makegood.cases.clock import clock_cache_clear
    from makegood.remedies.payments import payment_due

    for weekday in range(5):
        OpeningHours.objects.create(team=north, weekday=weekday, opens=time(9), closes=time(17))
    clock_cache_clear()
    case = owned_case(alice)
    friday_afternoon = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    # One business day (eight opening hours) from Friday 16:00 is Monday 16:00, not Saturday.
    assert payment_due(case, friday_afternoon) == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
