"""A payment's answer holds under concurrency: "paid" and "failed" arriving at once (the payment
system and people, each thread with its own connection) leave one answer, and the customer is told
"paid" at most once, only when "paid" won."""

from django.contrib.auth.models import User
from django.core import mail

from makegood.accounts.models import Role
from makegood.cases.models import CaseEvent
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.remedies.catalogs import catalog_load
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import Payment, PaymentStatus, RemedyType
from makegood.remedies.payments import payment_record_outcome
from makegood.remedies.selectors import catalog_changed
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss
from makegood.remedies.tests.test_concurrency import run_at_once

THREADS = 20


def test_paid_and_failed_racing_leave_one_answer_and_tell_the_customer_at_most_once(real_database, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    catalog_changed()
    catalog_load(name="online_shop")
    north = TeamFactory.create(name="North", receives_unrouted=True)
    alice = make_staff("alice", Role.FRONTLINE, north)
    case = case_take_ownership(case=case_with_loss(loss_kind="time"), user=alice)
    refund = RemedyType.objects.get(catalog="online_shop", code="refund-full")
    payment = remedy_grant(case=case, user=alice, remedy_type=refund, amount="89", order_reference="A").payment
    mail.outbox.clear()

    def answer(i: int) -> Payment:
        user = User.objects.get(pk=alice.pk) if i % 3 else None
        return payment_record_outcome(payment_id=payment.pk, paid=bool(i % 2), actor=user, reason="Bounced")

    results = run_at_once(THREADS, answer)

    final = Payment.objects.get(pk=payment.pk)
    assert final.status in (PaymentStatus.CONFIRMED, PaymentStatus.FAILED)
    # Every thread saw the one answer that won, or was refused the other.
    assert {r.status for r in results if isinstance(r, Payment)} == {final.status}
    lines = CaseEvent.objects.filter(
        case=case, kind__in=[RemedyEventKind.PAYMENT_CONFIRMED, RemedyEventKind.PAYMENT_FAILED]
    )
    assert lines.count() == 1
    told_paid = [m for m in mail.outbox if "has been paid" in m.body and "Your refund" in m.body]
    assert len(told_paid) == (1 if final.status == PaymentStatus.CONFIRMED else 0)
    catalog_changed()
