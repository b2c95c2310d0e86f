"""The demo's purchase history: the effect of a good recovery is there for the insights to find."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from makegood.demo.purchases import demo_purchases_load
from makegood.insights.loyalty import loyalty_for
from makegood.insights.scope import filters_from, scope_for
from makegood.purchases.models import Purchase


@pytest.mark.django_db
def test_the_demo_shows_recovered_customers_coming_back_sooner():
    out = io.StringIO()
    call_command("seed_demo", "--no-history", stdout=out)
    assert "purchases of the customers and of walk-ins" in out.getvalue()
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
