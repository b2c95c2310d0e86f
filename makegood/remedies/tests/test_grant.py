"""Granting a remedy within authority: the ledger, the timeline, delivery, and every refusal."""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from makegood.accounts.models import Role
from makegood.appendonly import AppendOnlyError
from makegood.cases.models import AuditEntry, Case, CaseEvent, Status
from makegood.cases.services import CaseActionError, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.outbox.backoff import backoff_delay
from makegood.outbox.client import PostResult
from makegood.outbox.tasks import sweep_outbox
from makegood.remedies import tasks
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import (
    Grant,
    OutboundEvent,
    OutboundKind,
    OutboundStatus,
    Payment,
    PaymentStatus,
    RemedyKind,
    RemedyType,
)
from makegood.remedies.services import CODE_ALPHABET, remedy_grant
from makegood.remedies.tests.factories import case_with_loss, set_role_authority

pytestmark = pytest.mark.django_db


def remedy(code: str) -> RemedyType:
    return RemedyType.objects.get(catalog="online_shop", code=code)


def nothing_written() -> bool:
    return not Grant.objects.exists() and not OutboundEvent.objects.exists()


def test_a_grant_within_authority_is_written_to_the_ledger_at_once(shop, alice, django_capture_on_commit_callbacks):
    case = case_with_loss()
    with django_capture_on_commit_callbacks(execute=True):
        grant = remedy_grant(case=case, user=alice, remedy_type=remedy("coupon-next-order"), amount="40.00")
    assert (grant.amount, grant.cost, grant.value, grant.currency) == (
        Decimal("40.00"),
        Decimal("14.00"),  # 40 x 0.35
        Decimal("28.00"),  # 40 x 0.70
        "USD",
    )
    assert (grant.granted_by, grant.charged_to, grant.authorized_by) == (alice, alice, None)
    assert grant.kind == RemedyKind.COUPON and grant.name == "Coupon for the next order"
    event = case.events.get(kind=RemedyEventKind.GRANTED)
    assert event.actor == alice and "Coupon for the next order of $40.00" in event.body
    assert AuditEntry.objects.filter(action="remedy.granted", object_id=str(grant.pk)).exists()


def test_a_coupon_gets_a_unique_readable_code_which_is_emailed_to_the_customer(
    shop, alice, django_capture_on_commit_callbacks
):
    case = case_with_loss()
    with django_capture_on_commit_callbacks(execute=True):
        grant = remedy_grant(case=case, user=alice, remedy_type=remedy("coupon-next-order"), amount="40.00")
    assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", grant.code)
    assert not set("01OIL") & set(grant.code.replace("-", ""))
    assert len(mail.outbox) == 1
    message = mail.outbox[-1]
    assert message.to == ["dana@example.com"]
    assert case.reference in message.subject
    assert grant.code in message.body and "$40.00" in message.body
    delivery = OutboundEvent.objects.get(grant=grant)
    assert (delivery.kind, delivery.status, delivery.attempts) == (OutboundKind.EMAIL, OutboundStatus.DELIVERED, 1)
    assert case.events.filter(data__remedies="delivered", body__contains="with its code").exists()


def test_codes_are_unique_across_grants(shop, alice):
    codes = {
        remedy_grant(
            case=case_with_loss(customer_email=f"c{i}@example.com"),
            user=alice,
            remedy_type=remedy("coupon-next-order"),
            amount="10.00",
        ).code
        for i in range(5)
    }
    assert len(codes) == 5


def test_nothing_is_emailed_before_the_transaction_commits(shop, alice, django_capture_on_commit_callbacks):
    case = case_with_loss(channel="phone", customer_email="", customer_phone="+1 415 555 0100")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remedy_grant(case=case, user=alice, remedy_type=remedy("refund-partial"), amount="20", order_reference="A1")
    assert mail.outbox == []
    # No e-mail without an address, and no payment system configured: the refund is a person's task.
    assert len(callbacks) == 0
    assert Payment.objects.get(grant__case=case).status == PaymentStatus.TO_PAY


def test_a_refund_is_recorded_for_the_payment_system_with_its_payload(
    shop, alice, settings, django_capture_on_commit_callbacks
):
    settings.MAKEGOOD_PAYMENT_WEBHOOK_URL = "https://payments.example.com/hooks/refunds"
    case = case_with_loss()
    with django_capture_on_commit_callbacks(execute=True):
        grant = remedy_grant(
            case=case, user=alice, remedy_type=remedy("refund-partial"), amount="25.50", order_reference="SO-1001"
        )
    event = OutboundEvent.objects.get(grant=grant, kind=OutboundKind.PAYMENT_WEBHOOK)
    assert event.topic == "refund.granted"
    assert event.payload["amount"] == "25.50" and event.payload["currency"] == "USD"
    assert event.payload["order_reference"] == "SO-1001"
    assert event.payload["case_reference"] == case.reference
    assert event.payload["payment_id"] == Payment.objects.get(grant=grant).pk


@dataclass
class Posted:
    full_url: str
    data: bytes
    headers: dict[str, str]


def answering(result: PostResult, sent: list[Posted] | None = None):
    """Stands in for the outbox's HTTP client: records each POST and answers with `result`."""

    def post(url, *, body, headers):
        if sent is not None:
            sent.append(Posted(url, body, headers))
        return result

    return post


def test_a_refund_is_posted_signed_when_a_payment_url_is_configured(
    shop, alice, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MAKEGOOD_PAYMENT_WEBHOOK_URL = "https://payments.example.com/hooks/refunds"
    settings.MAKEGOOD_PAYMENT_WEBHOOK_SECRET = "s3cret"
    sent: list[Posted] = []
    monkeypatch.setattr(tasks.client, "post", answering(PostResult(status=200), sent))
    case = case_with_loss()
    with django_capture_on_commit_callbacks(execute=True):
        grant = remedy_grant(
            case=case, user=alice, remedy_type=remedy("refund-partial"), amount="30", order_reference="X"
        )
    (request,) = sent
    assert request.full_url == "https://payments.example.com/hooks/refunds"
    assert json.loads(request.data)["grant_id"] == grant.pk
    assert request.headers["X-Makegood-Signature"].startswith("sha256=")
    event = OutboundEvent.objects.get(grant=grant, kind=OutboundKind.PAYMENT_WEBHOOK)
    assert event.status == OutboundStatus.DELIVERED and event.delivered_at is not None


def test_a_failing_payment_system_is_retried_with_back_off_and_keeps_the_grant(
    shop, alice, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MAKEGOOD_PAYMENT_WEBHOOK_URL = "https://payments.example.com/hooks/refunds"
    monkeypatch.setattr(tasks.client, "post", answering(PostResult(status=None, error="connection refused")))
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            grant = remedy_grant(
                case=case_with_loss(),
                user=alice,
                remedy_type=remedy("refund-partial"),
                amount="30",
                order_reference="X",
            )
        event = OutboundEvent.objects.get(grant=grant, kind=OutboundKind.PAYMENT_WEBHOOK)
        # Not given up: the outbox tries again after its back-off (no manual command needed).
        assert (event.status, event.attempts, event.last_error) == (OutboundStatus.PENDING, 1, "connection refused")
        assert Grant.objects.filter(pk=grant.pk).exists()
        # The sweep, once the back-off is over, delivers it when the payment system is back.
        monkeypatch.setattr(tasks.client, "post", answering(PostResult(status=200)))
        traveller.shift(backoff_delay(1))
        assert sweep_outbox.call(tasks.PAYMENT_PURPOSE) == 1
    event.refresh_from_db()
    assert (event.status, event.attempts) == (OutboundStatus.DELIVERED, 2)


def test_a_replayed_idempotency_key_returns_the_same_grant_and_writes_nothing(shop, alice):
    case = case_with_loss()
    first = remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), idempotency_key="k-1")
    counts = (
        Grant.objects.count(),
        CaseEvent.objects.count(),
        OutboundEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    again = remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), idempotency_key="k-1")
    assert again.pk == first.pk and again.replayed and not first.replayed
    after = (
        Grant.objects.count(),
        CaseEvent.objects.count(),
        OutboundEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == counts


def test_a_replay_still_answers_after_the_case_was_resolved(shop, alice):
    case = case_with_loss()
    case_take_ownership(case=case, user=alice)
    first = remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), idempotency_key="k-2")
    case_resolve(case=case, user=alice, resolution="Note sent.")
    assert remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), idempotency_key="k-2") == first


def test_a_key_reused_for_a_different_grant_is_refused(shop, alice):
    case = case_with_loss()
    remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), idempotency_key="k-3")
    with pytest.raises(ValidationError) as caught:
        remedy_grant(case=case, user=alice, remedy_type=remedy("bonus-points"), idempotency_key="k-3")
    assert "idempotency_key" in caught.value.message_dict
    assert Grant.objects.count() == 1


# Refusals: a clear error, the ledger untouched ------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["-5", "0", "0.00", "abc", "", "NaN", "Infinity", "12.345", "1e20", 12.5, True, [1], "12,50"],
)
def test_a_bad_amount_is_refused_with_a_field_message(shop, alice, amount):
    case = case_with_loss()
    with pytest.raises(ValidationError) as caught:
        remedy_grant(case=case, user=alice, remedy_type=remedy("coupon-next-order"), amount=amount)
    assert list(caught.value.message_dict) == ["amount"]
    assert nothing_written()


def test_an_amount_outside_the_remedys_range_is_refused(shop, alice):
    with pytest.raises(ValidationError, match=r"between \$5\.00 and \$200\.00"):
        remedy_grant(case=case_with_loss(), user=alice, remedy_type=remedy("coupon-next-order"), amount="4.99")
    assert nothing_written()


def test_a_fixed_remedy_takes_no_amount_and_a_variable_one_needs_one(shop, alice):
    case = case_with_loss()
    with pytest.raises(ValidationError, match="fixed value"):
        remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), amount="4.00")
    with pytest.raises(ValidationError, match="needs an amount"):
        remedy_grant(case=case, user=alice, remedy_type=remedy("coupon-next-order"))
    assert nothing_written()


def test_the_wrong_currency_is_refused(shop, alice):
    with pytest.raises(ValidationError) as caught:
        remedy_grant(
            case=case_with_loss(), user=alice, remedy_type=remedy("coupon-next-order"), amount="10", currency="EUR"
        )
    assert list(caught.value.message_dict) == ["currency"]
    assert nothing_written()


def test_a_remedy_not_allowed_for_the_role_is_refused(shop, alice):
    set_role_authority(Role.FRONTLINE, kinds=["coupon", "handwritten_note"])
    with pytest.raises(ValidationError, match="Your role may not grant a partial refund"):
        remedy_grant(
            case=case_with_loss(), user=alice, remedy_type=remedy("refund-partial"), amount="10", order_reference="A"
        )
    assert nothing_written()


def test_a_grant_beyond_the_remaining_authority_is_refused(shop, alice):
    case = case_with_loss()
    remedy_grant(case=case, user=alice, remedy_type=remedy("refund-partial"), amount="45", order_reference="A")
    with pytest.raises(ValidationError) as caught:
        remedy_grant(case=case, user=alice, remedy_type=remedy("product-expert"))  # costs 20, 5 left on the case
    assert caught.value.message_dict["amount"] == [
        "This costs $20.00, but your authority left on this case is $5.00. Offer the three options, or escalate."
    ]
    assert Grant.objects.count() == 1


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_a_grant_on_a_resolved_or_closed_case_is_refused(shop, alice, status):
    case = case_with_loss()
    Case.objects.filter(pk=case.pk).update(status=status)
    with pytest.raises(CaseActionError, match="remedies need an open case"):
        remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"))
    assert nothing_written()


def test_charlie_cannot_grant_on_another_teams_case(shop, north, charlie):
    case = case_with_loss()  # North's
    with pytest.raises(CaseActionError, match="another team"):
        remedy_grant(case=case, user=charlie, remedy_type=remedy("handwritten-note"))
    assert nothing_written() and not case.events.filter(kind__in=RemedyEventKind.values).exists()


def test_an_employee_may_grant_on_a_case_they_own_in_another_team(shop, charlie):
    case = case_with_loss()
    Case.objects.filter(pk=case.pk).update(owner=charlie)
    case.refresh_from_db()
    assert remedy_grant(case=case, user=charlie, remedy_type=remedy("handwritten-note")).granted_by == charlie


def test_someone_without_the_grant_permission_cannot_grant(shop, north):
    owner = make_staff("polly", Role.PROCESS_OWNER, north)
    with pytest.raises(CaseActionError, match="may not grant"):
        remedy_grant(case=case_with_loss(), user=owner, remedy_type=remedy("handwritten-note"))
    assert nothing_written()


def test_an_inactive_remedy_cannot_be_granted(shop, alice):
    note = remedy("handwritten-note")
    RemedyType.objects.filter(pk=note.pk).update(active=False)
    with pytest.raises(ValidationError, match="no longer offered"):
        remedy_grant(case=case_with_loss(), user=alice, remedy_type=note)
    assert nothing_written()


def test_a_remedy_limited_to_other_channels_is_refused(shop, alice):
    note = remedy("handwritten-note")
    RemedyType.objects.filter(pk=note.pk).update(channels=["in_person"])
    with pytest.raises(ValidationError, match="cannot be given on web form cases"):
        remedy_grant(case=case_with_loss(channel="web"), user=alice, remedy_type=note)
    assert nothing_written()


def test_a_remedy_cannot_be_granted_more_often_than_its_limit_per_case(shop, alice):
    case = case_with_loss()
    remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"))
    with pytest.raises(CaseActionError, match="as often as allowed"):
        remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"))
    assert Grant.objects.count() == 1


def test_a_remedy_that_needs_an_order_reference_takes_it_from_the_case_or_the_request(shop, alice):
    with pytest.raises(ValidationError) as caught:
        remedy_grant(case=case_with_loss(), user=alice, remedy_type=remedy("refund-partial"), amount="10")
    assert list(caught.value.message_dict) == ["order_reference"]
    case = case_with_loss(external_id="SO-77", customer_email="o@example.com")
    grant = remedy_grant(case=case, user=alice, remedy_type=remedy("refund-partial"), amount="10")
    assert grant.order_reference == "SO-77"


def test_over_long_or_nul_texts_are_refused(shop, alice):
    case = case_with_loss()
    with pytest.raises(ValidationError):
        remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), idempotency_key="k" * 101)
    with pytest.raises(ValidationError):
        remedy_grant(case=case, user=alice, remedy_type=remedy("handwritten-note"), note="bad\x00note")
    assert nothing_written()


# The ledger is append-only ---------------------------------------------------------------------


def test_the_ledger_refuses_edits_and_deletes(shop, alice):
    grant = remedy_grant(case=case_with_loss(), user=alice, remedy_type=remedy("handwritten-note"))
    grant.cost = Decimal("0")
    with pytest.raises(AppendOnlyError):
        grant.save()
    with pytest.raises(AppendOnlyError):
        grant.delete()
    with pytest.raises(AppendOnlyError):
        Grant.objects.filter(pk=grant.pk).update(cost=0)
    with pytest.raises(AppendOnlyError):
        Grant.objects.all().delete()
    # Even SQL behind the model's back is refused by the database.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE remedies_grant SET cost = 0 WHERE id = %s", [grant.pk])
    assert Grant.objects.get(pk=grant.pk).cost == Decimal("4.00")


def test_the_retry_command_delivers_what_failed(shop, alice, settings, monkeypatch, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    settings.MAKEGOOD_PAYMENT_WEBHOOK_URL = "https://payments.example.com/hooks/refunds"

    monkeypatch.setattr(tasks.client, "post", answering(PostResult(status=None, error="timed out")))
    with django_capture_on_commit_callbacks(execute=True):
        remedy_grant(
            case=case_with_loss(), user=alice, remedy_type=remedy("refund-partial"), amount="9", order_reference="X"
        )
    monkeypatch.setattr(tasks.client, "post", answering(PostResult(status=200)))
    out = StringIO()
    call_command("deliver_remedies", stdout=out)
    assert out.getvalue() == "1 deliveries tried, 1 delivered.\n"
    assert OutboundEvent.objects.get(kind=OutboundKind.PAYMENT_WEBHOOK).status == OutboundStatus.DELIVERED
