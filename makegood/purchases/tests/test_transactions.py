"""Transactions in: the API (single and batch, idempotent, all or nothing) and the CSV import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.models import Customer
from makegood.cases.tests.factories import make_case, make_staff
from makegood.purchases.imports import purchase_import_create, purchase_import_execute, purchase_import_start
from makegood.purchases.models import Purchase, PurchaseImport, RunStatus

pytestmark = pytest.mark.django_db

ONE = {
    "external_id": "till-1",
    "purchased_at": "2026-04-01T10:00:00Z",
    "amount": "42.50",
    "customer_email": "Dana@Example.com",
    "customer_name": "Dana",
}


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def post(client: Client, body: object):
    return client.post("/api/v1/transactions", body, content_type="application/json")


def test_one_transaction_joins_the_customer_who_complained(alice):
    case = make_case(customer_email="dana@example.com")
    response = post(api(alice), ONE)
    assert response.status_code == 201 and response.json() == {"created": 1, "already_there": 0}
    purchase = Purchase.objects.get()
    assert (purchase.customer_id, purchase.amount, purchase.currency) == (case.customer_id, Decimal("42.50"), "USD")


def test_a_batch_creates_unknown_customers_and_a_resend_changes_nothing(alice):
    batch = {
        "transactions": [ONE, {**ONE, "external_id": "till-2", "customer_email": "", "customer_phone": "+14155550123"}]
    }
    client = api(alice)
    assert post(client, batch).json() == {"created": 2, "already_there": 0}
    again = post(client, batch)
    assert again.status_code == 200 and again.json() == {"created": 0, "already_there": 2}
    assert Purchase.objects.count() == 2 and Customer.objects.count() == 2


def test_one_bad_row_refuses_the_batch_and_names_it(alice):
    batch = {"transactions": [ONE, {**ONE, "external_id": "till-2", "customer_email": "", "currency": "ZZZ"}]}
    response = post(api(alice), batch)
    assert response.status_code == 422 and "transactions.1" in response.json()["errors"]
    assert not Purchase.objects.exists()


def test_someone_without_the_permission_gets_nothing(db):
    nobody = User.objects.create_user("nobody")
    assert post(api(nobody), ONE).status_code == 403
    assert Client().post("/api/v1/transactions", ONE, content_type="application/json").status_code == 401
    assert not Purchase.objects.exists()


CSV = (
    "Order,Date,Total,Email,Phone\n"
    "o-1,2026-04-01,10.00,a@example.com,\n"
    "o-2,not a date,5.00,b@example.com,\n"
    "o-3,2026-04-02 12:30,7.5,,+14155550100\n"
    "o-4,2026-04-03,-3,c@example.com,\n"
    "o-1,2026-04-01,10.00,a@example.com,\n"
)


def _import(admin: User, text: str = CSV) -> PurchaseImport:
    run = purchase_import_create(user=admin, upload=SimpleUploadedFile("till.csv", text.encode()))
    purchase_import_start(run=run, mapping=run.mapping)
    purchase_import_execute(run.pk)
    run.refresh_from_db()
    return run


def test_the_csv_import_guesses_the_mapping_records_rows_and_reports_the_rejected(north):
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    run = _import(admin)
    assert run.mapping["external_id"] == "Order" and run.mapping["purchased_at"] == "Date"
    assert (run.status, run.total_rows, run.imported, run.already_there, run.rejected_count) == (
        RunStatus.DONE,
        5,
        2,
        1,
        2,
    )
    assert [r["line"] for r in run.rejected] == [3, 5]
    assert "Unreadable date" in run.rejected[0]["reason"]
    again = _import(admin)
    assert (again.imported, again.already_there) == (0, 3)
    assert Purchase.objects.count() == 2


def test_the_import_pages_are_for_administrators_only(north, alice):
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    run = _import(admin)
    client = Client()
    client.force_login(admin)
    assert client.get(f"/purchases/import/{run.pk}/").status_code == 200
    assert "o-" not in client.get(f"/purchases/import/{run.pk}/rejected.csv").content.decode()
    other = Client()
    other.force_login(alice)
    for url in ("/purchases/import/", f"/purchases/import/{run.pk}/", f"/purchases/import/{run.pk}/rejected.csv"):
        assert other.get(url).status_code == 403


def test_a_mapping_without_a_customer_column_is_refused(north):
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    run = purchase_import_create(user=admin, upload=SimpleUploadedFile("t.csv", CSV.encode()))
    with pytest.raises(Exception, match="e-mail address or phone"):
        purchase_import_start(run=run, mapping={"external_id": "Order", "purchased_at": "Date"})
