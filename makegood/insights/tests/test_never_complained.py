"""The "never complained" group of the loyalty page is one click from its customers, for managers and above."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from makegood.cases.models import Customer
from makegood.insights.rollup import figures_refresh
from makegood.insights.tests.fixtures import FIRST_DAY, LAST_DAY, T0, build_month
from makegood.purchases.models import Purchase

pytestmark = pytest.mark.django_db
PERIOD = {"first_day": FIRST_DAY.isoformat(), "last_day": LAST_DAY.isoformat()}
LIST = "/insights/loyalty/never-complained/"


@pytest.fixture
def walk_in(alice, bob):
    month = build_month(alice, bob)
    figures_refresh(full=True)
    shopper = Customer.objects.create(name="Wanda Walk-in", email="wanda@example.com")
    for i, days in enumerate((3, 12)):
        Purchase.objects.create(
            customer=shopper,
            external_id=f"w-{i}",
            purchased_at=T0 + timedelta(days=days),
            amount=Decimal("9.50"),
            currency="USD",
        )
    # A complaining customer who also bought: not in the list.
    Purchase.objects.create(
        customer=month.a.customer,
        external_id="a-1",
        purchased_at=T0 + timedelta(days=4),
        amount=Decimal("5"),
        currency="USD",
    )
    return shopper


def test_a_manager_lists_the_customers_who_never_complained(walk_in, bob):
    client = Client()
    client.force_login(bob)
    page = client.get(LIST, PERIOD)
    assert page.status_code == 200
    rows = page.content.decode()
    assert "Wanda Walk-in" in rows and "wanda@example.com" in rows and "1 customer " in rows
    csv = client.get("/insights/loyalty/never-complained.csv", PERIOD).content.decode().splitlines()
    assert len(csv) == 2 and csv[1].startswith("Wanda Walk-in,wanda@example.com,,2026-03-05") and csv[1].endswith(",2")


def test_the_loyalty_page_links_every_group_to_what_is_behind_it(walk_in, bob):
    client = Client()
    client.force_login(bob)
    page = client.get("/insights/loyalty/", PERIOD).content.decode()
    assert f"{LIST}?first_day=" in page
    for group in ("group_quick", "group_slow", "group_not_recovered"):
        assert f"figure={group}" in page
        assert client.get("/insights/cases/", {**PERIOD, "figure": group}).status_code == 200


def test_an_unrelated_user_and_frontline_staff_get_nothing(walk_in, charlie, alice):
    for user in (charlie, alice):
        client = Client()
        client.force_login(user)
        for url in (LIST, "/insights/loyalty/never-complained.csv"):
            response = client.get(url, PERIOD)
            assert response.status_code == 403, (user, url)
            assert b"Wanda" not in response.content
    assert Client().get(LIST, PERIOD).status_code in (302, 403)
