"""`rows_insert`: one statement built once per model, the same rows as `save()` would write."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from makegood.cases.models import AuditEntry, Case, CaseEvent, Customer
from makegood.cases.tests.factories import make_case
from makegood.rows import row_insert, row_insert_unless_taken, rows_insert

pytestmark = pytest.mark.django_db


def test_a_row_gets_its_key_and_its_defaults_and_reads_back_as_written():
    customer = row_insert(Customer(name="Ana Cruz", email="ana@example.com"))
    assert customer.pk is not None and not customer._state.adding
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.email, stored.phone) == ("Ana Cruz", "ana@example.com", "")
    assert stored.created_at == customer.created_at  # the default, set when the object was built


def test_several_rows_go_in_one_statement_and_get_their_keys_in_order(north):
    case = make_case()
    lines = [CaseEvent(case=case, kind="note", body=f"line {n}", data={"n": n}) for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        rows_insert(lines)
    assert len(queries) == 1
    assert [CaseEvent.objects.get(pk=line.pk).data for line in lines] == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_a_broken_constraint_raises_as_with_save(north):
    case = make_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        row_insert(Customer(name="Same", email=case.customer.email))


def test_the_audit_entry_and_the_case_written_so_are_what_the_orm_reads(north):
    case = make_case()
    stored = Case.objects.get(pk=case.pk)
    assert (stored.reference, stored.status, stored.story) == (case.reference, case.status, case.story)
    entry = AuditEntry.objects.get(object_id=str(case.pk), action="case.opened")
    assert entry.changes["channel"] == case.channel


def test_a_row_whose_unique_values_are_taken_is_not_written_and_the_transaction_goes_on(north):
    case = make_case()
    with transaction.atomic():
        again = Customer(name="Same", email=case.customer.email)
        assert row_insert_unless_taken(again) is False
        assert again.pk is None
        # No savepoint was needed: the transaction is still usable after the refusal.
        fresh = Customer(name="Other", email="other@example.com")
        assert row_insert_unless_taken(fresh) is True
    assert Customer.objects.filter(email=case.customer.email).count() == 1
    assert Customer.objects.get(pk=fresh.pk).name == "Other"


def test_a_row_written_unless_taken_is_one_statement(north):
    with CaptureQueriesContext(connection) as queries:
        row_insert_unless_taken(Customer(name="Ana", phone="+14155550123"))
    assert len(queries) == 1
    assert "ON CONFLICT DO NOTHING" in queries[0]["sql"]


def test_every_kind_of_value_is_stored_as_the_orm_stores_it(alice, north):
    from datetime import UTC, datetime
    from decimal import Decimal

    customer = make_case().customer
    at = datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=UTC)

    def built() -> Case:
        return Case(
            customer=customer,
            channel="phone",
            team=north,
            subject="Ünïcode ✓",
            story="A story",
            received_at=at,
            first_response_due_at=at,
            owner=alice,
            owned_at=at,
            reopen_count=2,
            loss_amount=Decimal("12.3400"),
            loss_currency="EUR",
            business_at_fault=True,
            is_repeat_failure=True,
            detected_feeling_confidence=0.1234,
        )

    ours = row_insert(built())
    theirs = built()
    theirs.save()
    columns = [f.attname for f in Case._meta.concrete_fields if not f.primary_key]
    rows = {row["id"]: row for row in Case.objects.filter(pk__in=[ours.pk, theirs.pk]).values("id", *columns)}
    assert {c: rows[ours.pk][c] for c in columns} == {c: rows[theirs.pk][c] for c in columns}
