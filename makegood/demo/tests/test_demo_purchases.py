"""The demo's purchase history: the effect of a good recovery is there for the insights to find."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from makegood.demo.purchases import demo_purchases_load
from makegood.insights.loyalty import HORIZONS, loyalty_for
from makegood.insights.scope import LOYALTY_DAYS, filters_from, scope_for
from makegood.purchases.models import Purchase


@pytest.fixture(scope="module")
def demo_without_history(module_transaction) -> str:
    """`seed_demo --no-history`'s output, loaded once for both tests (conftest.py)."""
    out = io.StringIO()
    call_command("seed_demo", "--no-history", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_demo_shows_recovered_customers_coming_back_sooner(demo_without_history):
    assert "purchases of the customers and of walk-ins" in demo_without_history
    count = Purchase.objects.count()
    assert count > 1000
    assert demo_purchases_load() == 0 and Purchase.objects.count() == count  # loaded once
    scope = scope_for(User.objects.get(username="ellen"))
    _form, filters = filters_from({}, scope)
    loyalty = loyalty_for(scope, filters)
    assert all(loyalty.groups[g] > 10 for g in ("quick", "slow", "not_recovered", "never"))
    quick = next(h for h in loyalty.hazard_ratios if h.term == "group:quick")
    assert quick.low > 1  # recovered quickly: back sooner than those not recovered, adjusted
    assert loyalty.logrank is not None and loyalty.logrank.p_value < 0.05


@pytest.mark.django_db
def test_the_demo_has_customers_observable_at_90_and_180_days_and_the_effect_shows(demo_without_history):
    # The page's own default period (a year): the earlier complaints have had their 90 and 180 days.
    scope = scope_for(User.objects.get(username="ellen"))
    _form, filters = filters_from({}, scope, default_days=LOYALTY_DAYS)
    loyalty = loyalty_for(scope, filters)
    cell = {(r.group, r.days): r for r in loyalty.table}
    for days in HORIZONS:
        for group in ("quick", "slow", "not_recovered", "never"):
            assert cell[group, days].observable >= 10, (group, days)
    # Customers recovered quickly came back more often than those not recovered: within 90 days
    # even the low end of their interval is above the others' share, and still ahead at 180 days.
    quick, lost = cell["quick", 90], cell["not_recovered", 90]
    assert quick.low is not None and lost.share is not None and quick.low > lost.share
    quick, lost = cell["quick", 180], cell["not_recovered", 180]
    assert quick.share is not None and lost.share is not None and quick.share > lost.share
    # The API and the page read the same default year.
    client = Client()
    client.force_login(User.objects.get(username="ellen"))
    page = client.get("/insights/loyalty/").content.decode()
    assert f"{cell['quick', 90].observable}</td>" in page
