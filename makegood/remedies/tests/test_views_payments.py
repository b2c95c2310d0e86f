"""The payment pages: the case's card, the person's payments to make above the queue, the managers'
"payments to make", marking paid or failed there, the reports' paid / pending / failed; and nothing
for someone of another team."""

import pytest
from django.core import mail

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.models import Priority
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.remedies.models import Payment, PaymentStatus, RemedyType
from makegood.remedies.payments import payment_record_outcome
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss

pytestmark = pytest.mark.django_db

PAID = "Your refund of $89.00 has been paid."


@pytest.fixture
def payment(shop, alice) -> Payment:
    case = case_take_ownership(case=case_with_loss(loss_kind="time"), user=alice)
    refund = RemedyType.objects.get(catalog="online_shop", code="refund-full")
    grant = remedy_grant(case=case, user=alice, remedy_type=refund, amount="89", order_reference="SO-1")
    mail.outbox.clear()
    return grant.payment


@pytest.fixture
def south_manager(south):
    return make_staff("sid", Role.MANAGER, south)


def test_the_case_card_shows_the_payment_and_what_the_customer_was_told(client, alice, payment):
    client.force_login(alice)
    page = client.get(f"/cases/{payment.case.reference}/payments/").content.decode()
    assert "Refund of $89.00" in page and "To pay" in page
    assert "We have started your refund of $89.00; we will confirm when it has been paid." in page
    assert 'data-testid="mark-paid"' in page


def test_the_remedies_panel_loads_the_payment_card_once_money_is_promised(client, alice, payment):
    client.force_login(alice)
    panel = client.get(f"/cases/{payment.case.reference}/remedies/").content.decode()
    assert f"/cases/{payment.case.reference}/payments/" in panel


def test_marking_it_paid_on_the_case_tells_the_customer_once(
    client, alice, payment, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/payments/{payment.pk}/paid/", {"reference": "TILL-9", "back": "case"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{payment.case.reference}/"
    payment.refresh_from_db()
    assert (payment.status, payment.reference, payment.decided_by) == (PaymentStatus.CONFIRMED, "TILL-9", alice)
    assert [m.to for m in mail.outbox if PAID in m.body] == [["dana@example.com"]]


def test_marking_it_failed_needs_a_reason_and_puts_the_case_first(client, alice, payment):
    client.force_login(alice)
    client.post(f"/payments/{payment.pk}/failed/", {"reason": ""})
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY
    client.post(f"/payments/{payment.pk}/failed/", {"reason": "Card expired"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.case.priority == Priority.HIGH


def test_an_htmx_mark_answers_with_the_card(client, alice, payment):
    client.force_login(alice)
    response = client.post(f"/payments/{payment.pk}/paid/", {"back": "case"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-status="confirmed"' in response.content.decode()


def test_a_colleague_who_is_not_to_pay_it_sees_the_card_but_may_not_mark_it(client, north, payment):
    colleague = make_staff("carol", Role.FRONTLINE, north)
    client.force_login(colleague)
    page = client.get(f"/cases/{payment.case.reference}/payments/").content.decode()
    assert "Refund of $89.00" in page and 'data-testid="mark-paid"' not in page
    assert client.post(f"/payments/{payment.pk}/paid/").status_code == 403
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY


def test_the_person_to_pay_sees_it_above_the_queue(client, alice, bob, payment):
    client.force_login(alice)
    strip = client.get("/payments/mine/").content.decode()
    assert payment.case.reference in strip and "$89.00" in strip
    assert "/payments/mine/" in client.get("/queue/").content.decode()
    client.force_login(bob)
    assert payment.case.reference not in client.get("/payments/mine/").content.decode()


def test_managers_have_the_payments_to_make_in_their_navigation_and_mark_them_there(
    client, bob, alice, payment, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    assert client.get("/payments/").status_code == 403
    assert 'href="/payments/"' not in client.get("/queue/").content.decode()
    client.force_login(bob)
    assert 'href="/payments/"' in client.get("/queue/").content.decode()
    page = client.get("/payments/").content.decode()
    assert payment.case.reference in page and "Alice Adams" in page and 'data-testid="mark-paid"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/payments/{payment.pk}/paid/", {"back": "list"})
    assert response["Location"] == "/payments/"
    assert Payment.objects.get(pk=payment.pk).decided_by == bob
    assert len([m for m in mail.outbox if PAID in m.body]) == 1
    assert 'data-testid="payments-none"' in client.get("/payments/").content.decode()


def test_someone_of_another_team_gets_nothing(client, charlie, south_manager, payment):
    reference = payment.case.reference
    for user in (charlie, south_manager):
        client.force_login(user)
        assert client.get(f"/cases/{reference}/payments/").status_code == 404
        assert client.post(f"/payments/{payment.pk}/paid/").status_code == 404
        assert client.post(f"/payments/{payment.pk}/failed/", {"reason": "x"}).status_code == 404
        assert reference not in client.get("/payments/mine/").content.decode()
    assert reference not in client.get("/payments/").content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY


def test_reports_show_paid_pending_and_failed_apart(client, bob, alice, payment):
    other = remedy_grant(
        case=case_take_ownership(case=case_with_loss(loss_kind="time", customer_email="e@example.com"), user=alice),
        user=alice,
        remedy_type=RemedyType.objects.get(catalog="online_shop", code="refund-full"),
        amount="40",
        order_reference="SO-2",
    ).payment
    third = remedy_grant(
        case=case_take_ownership(case=case_with_loss(loss_kind="time", customer_email="f@example.com"), user=alice),
        user=alice,
        remedy_type=RemedyType.objects.get(catalog="online_shop", code="refund-full"),
        amount="5",
        order_reference="SO-3",
    ).payment
    payment_record_outcome(payment_id=payment.pk, paid=True, actor=alice)
    payment_record_outcome(payment_id=other.pk, paid=False, actor=alice, reason="Bounced")
    client.force_login(bob)
    page = client.get("/reports/remedies/").content.decode()
    for testid, amount in (("payments-paid", "$89.00"), ("payments-pending", "$5.00"), ("payments-failed", "$40.00")):
        assert f'data-testid="{testid}"><dt>' in page
        assert page.split(f'data-testid="{testid}">')[1].split("</div>")[0].endswith(f"<dd>{amount}</dd>")
    assert "Payment pending" in page  # the grants table's column
    token = {"Authorization": f"Bearer {api_token_issue(user=bob)}"}
    totals = client.get("/api/v1/reports/payments", headers=token).json()
    assert totals == [{"currency": "USD", "payments": 3, "paid": "89.00", "pending": "5.00", "failed": "40.00"}]
    assert third.status == PaymentStatus.TO_PAY


def test_the_payment_report_api_is_for_report_readers_of_their_own_team(client, alice, south_manager, payment):
    assert (
        client.get(
            "/api/v1/reports/payments", headers={"Authorization": f"Bearer {api_token_issue(user=alice)}"}
        ).status_code
        == 403
    )
    theirs = client.get(
        "/api/v1/reports/payments", headers={"Authorization": f"Bearer {api_token_issue(user=south_manager)}"}
    )
    assert theirs.status_code == 200 and theirs.json() == []
