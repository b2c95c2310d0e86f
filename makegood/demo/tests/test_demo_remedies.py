"""The demo's remedy story, as a person checks it: the brake case is put right first (the service
redone today) and gets something extra after; the double charge is reversed without touching the
compensation cap."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from makegood.cases.models import Case
from makegood.demo.services import demo_load
from makegood.remedies.authority import authority_remaining
from makegood.remedies.demands import demand_answer
from makegood.remedies.models import Grant, Purpose, RemedyKind
from makegood.remedies.offers import offer_choose
from makegood.remedies.panel_state import remedy_panel_state

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 17, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(module_transaction):
    """Loaded once for the module; each test's changes are rolled back (see conftest.py)."""
    demo_load(seed=7, cases=40, now=NOW)


def test_every_owned_demo_case_has_its_loss_recorded_by_its_owner(demo):
    owned = Case.objects.filter(owner__isnull=False)
    assert owned.exists()
    assert not owned.filter(loss_kind="").exists()
    assert Case.objects.filter(owner__isnull=False, loss_amount__isnull=False).exists()


def test_the_brake_case_is_put_right_first_and_gets_something_extra_after(demo):
    case = Case.objects.get(external_id="WS-20417")
    sam = User.objects.get(username="sam")
    assert (case.owner, case.loss_kind, case.loss_amount, case.is_open) == (
        sam,
        "failed_service",
        Decimal("89.00"),
        True,
    )
    before = remedy_panel_state(case=case, user=sam)
    assert before.restore is not None and before.restore.kind == RemedyKind.REDO_SERVICE
    assert before.extra is None  # nothing extra before it is put right

    # "Fix it properly today and refund the $89": beyond Sam's $50, so options, restoring first.
    answer = demand_answer(case=case, user=sam, demand_kind=RemedyKind.REFUND_FULL, demand_amount="89.00")
    assert answer.outcome == "offered"
    first = answer.offer.options[0]
    assert (first["kind"], first["purpose"], first["amount"]) == ("redo_service", "restitution", "89.00")
    assert first["name"] == "Redo the service today, by the head mechanic"
    assert all(o["purpose"] == "compensation" for o in answer.offer.options[1:])

    grant = offer_choose(offer=answer.offer, user=sam, index=0)
    assert (grant.kind, grant.purpose, grant.value) == ("redo_service", Purpose.RESTITUTION, Decimal("89.00"))
    after = remedy_panel_state(case=Case.objects.get(pk=case.pk), user=sam)
    assert after.restore is None and after.extra is not None and after.extra.purpose == Purpose.COMPENSATION
    assert authority_remaining(user=sam, case_id=case.pk).left_on_case == Decimal("50.00")


def test_the_double_charge_is_reversed_without_touching_the_compensation_cap(demo):
    case = Case.objects.get(external_id="RC-488105")
    priya = User.objects.get(username="priya")
    cap_before = authority_remaining(user=priya, case_id=case.pk)
    answer = demand_answer(case=case, user=priya, demand_kind=RemedyKind.REVERSE_CHARGE, demand_amount="349.00")
    assert answer.outcome == "granted"
    grant = Grant.objects.get(pk=answer.grant.pk)
    assert (grant.kind, grant.purpose, grant.amount, grant.charged_to) == (
        "reverse_charge",
        Purpose.RESTITUTION,
        Decimal("349.00"),
        priya,
    )
    after = authority_remaining(user=priya, case_id=case.pk)
    assert (after.left_on_case, after.left_today) == (cap_before.left_on_case, cap_before.left_today)
    assert after.left_on_case == Decimal("50.00")


def test_the_demos_wrong_charges_are_paid_before_resolving_and_wait_on_open_cases(demo):
    from makegood.remedies.models import Payment, PaymentStatus

    payments = list(Payment.objects.select_related("case").order_by("created_at"))
    assert payments, "the demo shows the payment flow"
    for payment in payments:
        assert payment.case.loss_kind == "money"
        # Paid (and the customer told so) before the case was resolved; still waiting while open.
        expected = PaymentStatus.TO_PAY if payment.case.is_open else PaymentStatus.CONFIRMED
        assert payment.status == expected
        paid_lines = payment.case.events.filter(kind="remedy_payment_paid")
        assert paid_lines.exists() == (payment.status == PaymentStatus.CONFIRMED)
        if payment.confirmed_at is not None and payment.case.resolved_at is not None:
            assert payment.confirmed_at <= payment.case.resolved_at
    assert not [p for p in payments if p.case.external_id in {"WS-20417", "RC-488105"}]  # left for a person


def test_the_double_charge_is_a_payment_the_customer_hears_is_paid_only_once_marked_paid(
    demo, django_capture_on_commit_callbacks
):
    from django.core import mail

    from makegood.remedies.models import PaymentStatus
    from makegood.remedies.payments import payment_record_outcome

    case = Case.objects.get(external_id="RC-488105")
    priya = User.objects.get(username="priya")
    with django_capture_on_commit_callbacks(execute=True):
        answer = demand_answer(case=case, user=priya, demand_kind=RemedyKind.REVERSE_CHARGE, demand_amount="349.00")
    payment = Grant.objects.get(pk=answer.grant.pk).payment
    assert (payment.status, payment.responsible, payment.amount) == (PaymentStatus.TO_PAY, priya, Decimal("349.00"))
    started = "We have started your refund of the wrong charge of $349.00; we will confirm when it has been paid."
    paid = "Your refund of the wrong charge of $349.00 has been paid."
    assert [m.to for m in mail.outbox if started in m.body] == [["hiro.walsh@example.org"]]
    assert not [m for m in mail.outbox if paid in m.body]
    with django_capture_on_commit_callbacks(execute=True):
        payment_record_outcome(payment_id=payment.pk, paid=True, actor=priya, reference="BANK-1")
    assert [m.to for m in mail.outbox if paid in m.body] == [["hiro.walsh@example.org"]]


def test_the_brake_refund_approved_by_the_manager_waits_for_sam_to_pay_it(demo, django_capture_on_commit_callbacks):
    from django.core import mail

    from makegood.remedies.models import PaymentRoute, PaymentStatus, RemedyType
    from makegood.remedies.services import remedy_grant

    case = Case.objects.get(external_id="WS-20417")
    sam, omar = User.objects.get(username="sam"), User.objects.get(username="omar")
    refund = RemedyType.objects.get(catalog="online_shop", code="refund-partial")
    with django_capture_on_commit_callbacks(execute=True):
        grant = remedy_grant(case=case, user=omar, remedy_type=refund, amount="89.00", order_reference="WS-20417")
    payment = grant.payment
    # Sam owns the case: the refund is his to pay (no payment system in the demo).
    assert (payment.route, payment.responsible, payment.status) == (PaymentRoute.PERSON, sam, PaymentStatus.TO_PAY)
    assert not [m for m in mail.outbox if "Your refund of $89.00 has been paid." in m.body]
    assert [m for m in mail.outbox if "We have started your refund of $89.00" in m.body]
