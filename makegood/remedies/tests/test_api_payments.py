"""`POST /api/v1/payments/{id}/confirmation` (signed, fresh, untampered, once) and the payments
API for staff (nothing for a user of another team)."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from makegood.accounts.services import api_token_issue
from makegood.cases.models import Priority
from makegood.cases.services import case_take_ownership
from makegood.remedies.models import Payment, PaymentCallback, PaymentStatus, RemedyType
from makegood.remedies.payment_callbacks import callback_sign
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss

pytestmark = pytest.mark.django_db

SECRET = "whsec-test"
PAID = "Your refund of $89.00 has been paid."


@pytest.fixture
def payment(shop, alice, settings) -> Payment:
    settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET = SECRET
    case = case_take_ownership(case=case_with_loss(loss_kind="time"), user=alice)
    refund = RemedyType.objects.get(catalog="online_shop", code="refund-full")
    grant = remedy_grant(case=case, user=alice, remedy_type=refund, amount="89", order_reference="SO-1")
    mail.outbox.clear()
    return grant.payment


def body_for(payment: Payment, **changes) -> bytes:
    data = {"payment_id": payment.pk, "status": "paid", "amount": "89.00", "currency": "USD", "reference": "re_1"}
    data.update(changes)
    return json.dumps(data).encode()


def post(payment_id: int, body: bytes, *, timestamp: int | None = None, signature: str | None = None, secret=SECRET):
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = signature if signature is not None else callback_sign(body, timestamp=timestamp, secret=secret)
    return Client().post(
        f"/api/v1/payments/{payment_id}/confirmation",
        body,
        content_type="application/json",
        headers={"X-Makegood-Timestamp": str(timestamp), "X-Makegood-Signature": signature},
    )


def test_a_signed_confirmation_marks_the_payment_paid_and_only_then_tells_the_customer(
    payment, django_capture_on_commit_callbacks
):
    assert not any(PAID in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(payment.pk, body_for(payment))
    assert response.status_code == 200, response.content
    assert response.json() == {"id": payment.pk, "status": "confirmed"}
    payment.refresh_from_db()
    assert (payment.status, payment.reference, payment.decided_by) == (PaymentStatus.CONFIRMED, "re_1", None)
    assert [m.to for m in mail.outbox if PAID in m.body] == [["dana@example.com"]]


def test_a_tampered_body_is_refused_and_changes_nothing(payment):
    timestamp = int(time.time())
    signature = callback_sign(body_for(payment), timestamp=timestamp, secret=SECRET)
    tampered = body_for(payment, status="failed", reason="x")
    response = post(payment.pk, tampered, timestamp=timestamp, signature=signature)
    assert response.status_code == 401
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY


def test_a_wrong_secret_a_missing_signature_and_no_configured_secret_are_refused(payment, settings):
    assert post(payment.pk, body_for(payment), secret="guess").status_code == 401
    assert post(payment.pk, body_for(payment), signature="").status_code == 401
    settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET = ""
    assert post(payment.pk, body_for(payment), secret="").status_code == 401
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY


def test_a_stale_or_future_timestamp_is_refused(payment):
    # The clock stands still, so a slow machine cannot bring the future stamp back within 300 s.
    with time_machine.travel(time.time(), tick=False):
        now = int(time.time())
        assert post(payment.pk, body_for(payment), timestamp=now - 301).status_code == 401
        assert post(payment.pk, body_for(payment), timestamp=now + 301).status_code == 401
    assert not PaymentCallback.objects.exists()


def test_a_confirmation_signed_for_another_payment_is_refused(payment, alice):
    other = remedy_grant(
        case=case_with_loss(loss_kind="time", customer_email="e@example.com"),
        user=alice,
        remedy_type=RemedyType.objects.get(catalog="online_shop", code="refund-full"),
        amount="89",
        order_reference="SO-2",
    ).payment
    # A correctly signed confirmation of `payment`, sent to the other one's URL.
    response = post(other.pk, body_for(payment))
    assert response.status_code == 401
    assert Payment.objects.get(pk=other.pk).status == PaymentStatus.TO_PAY


def test_a_replayed_confirmation_is_refused(payment, django_capture_on_commit_callbacks):
    body, timestamp = body_for(payment), int(time.time())
    with django_capture_on_commit_callbacks(execute=True):
        assert post(payment.pk, body, timestamp=timestamp).status_code == 200
        replay = post(payment.pk, body, timestamp=timestamp)
    assert replay.status_code == 409
    assert PaymentCallback.objects.count() == 1
    assert len([m for m in mail.outbox if PAID in m.body]) == 1


def test_a_signed_confirmation_of_another_amount_is_refused(payment):
    response = post(payment.pk, body_for(payment, amount="890.00"))
    assert response.status_code == 422
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.TO_PAY


def test_a_signed_failure_reopens_nothing_resolved_but_puts_the_open_case_first(payment):
    response = post(payment.pk, body_for(payment, status="failed", reason="Card closed"))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == (PaymentStatus.FAILED, "Card closed")
    assert payment.case.priority == Priority.HIGH
    # A later "paid" for a failed payment is refused: it was put right another way.
    assert post(payment.pk, body_for(payment)).status_code == 409


def test_an_unknown_payment_is_not_found(payment):
    assert post(payment.pk + 1000, body_for(payment, payment_id=payment.pk + 1000)).status_code == 404


def api(user, path: str):
    return Client().get(path, headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def test_the_responsible_person_and_the_manager_see_the_payment_and_an_unrelated_user_sees_nothing(
    payment, alice, bob, charlie
):
    for user in (alice, bob):
        listed = api(user, "/api/v1/payments").json()
        assert [row["id"] for row in listed] == [payment.pk]
        assert listed[0]["amount"] == "89.00" and listed[0]["status"] == "to_pay"
        assert api(user, f"/api/v1/payments/{payment.pk}").json()["responsible"] == "alice"
    assert api(charlie, "/api/v1/payments").json() == []
    assert api(charlie, f"/api/v1/payments/{payment.pk}").status_code == 404


def test_the_list_leaves_out_settled_payments_unless_asked(payment, alice):
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CONFIRMED)
    assert api(alice, "/api/v1/payments").json() == []
    assert [row["status"] for row in api(alice, "/api/v1/payments?open_only=false").json()] == ["confirmed"]


def test_due_time_is_in_the_api(payment, alice):
    row = api(alice, f"/api/v1/payments/{payment.pk}").json()
    assert row["due_at"] and row["route"] == "person"
    assert payment.due_at - payment.created_at >= timedelta(hours=8)
