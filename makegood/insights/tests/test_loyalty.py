"""The loyalty comparison: a synthetic population with a known effect, then the pipeline on real rows."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test import Client

from makegood.accounts.services import api_token_issue
from makegood.cases.models import Customer
from makegood.insights.loyalty import CustomerRow, _outcomes_sql, _starts, loyalty_compute, loyalty_for
from makegood.insights.money import money_compute
from makegood.insights.rollup import figures_refresh
from makegood.insights.scope import Filters, scope_for
from makegood.insights.survival import cox, cox_fit, wilson
from makegood.insights.tests.fixtures import FIRST_DAY, LAST_DAY, T0, build_month
from makegood.purchases.models import Purchase

END = datetime(2026, 12, 1, tzinfo=UTC)
# Exponential times to the next purchase: rates per day, so the hazard ratio is their quotient.
RATES = {"quick": 0.010, "slow": 0.007, "not_recovered": 0.004, "never": 0.005}


def synthetic(n: int = 400, seed: int = 7) -> list[CustomerRow]:
    rng = np.random.default_rng(seed)
    rows = []
    for group, rate in RATES.items():
        for _ in range(n):
            start = END - timedelta(days=float(200 + rng.uniform(0, 60)))
            gap = float(rng.exponential(1 / rate))
            next_at = start + timedelta(days=gap)
            counts = {d: int(gap <= d) for d in (90, 180)}
            rows.append(
                CustomerRow(
                    group,
                    start,
                    next_at,
                    int(rng.integers(0, 4)),
                    start - timedelta(days=300),
                    counts,
                    {d: 50.0 * counts[d] for d in (90, 180)},
                )
            )
    return rows


def test_the_repurchase_intervals_and_the_hazard_ratio_cover_the_known_effect():
    loyalty = loyalty_compute(synthetic(), END)
    for row in loyalty.table:
        truth = 1 - math.exp(-RATES[row.group] * row.days)
        assert row.observable == 400  # everyone is past 180 days
        assert row.low <= truth <= row.high, (row.group, row.days, truth, row.low, row.high)
    ratios = {h.term: h for h in loyalty.hazard_ratios}
    quick = ratios["group:quick"]
    assert quick.low <= RATES["quick"] / RATES["not_recovered"] <= quick.high
    assert quick.low > 1  # a real effect is found, not only covered
    never = ratios["group:never"]
    assert never.low <= RATES["never"] / RATES["not_recovered"] <= never.high
    assert loyalty.logrank is not None and loyalty.logrank.p_value < 0.001 and loyalty.logrank.df == 3


def test_when_every_group_comes_back_alike_the_interval_holds_one():
    """The same population with every time rescaled to one rate: no effect, and none claimed."""
    same = synthetic()
    flat = [
        CustomerRow(
            r.group,
            r.start,
            r.start + (r.next_at - r.start) * RATES[r.group] / 0.005,
            r.prior,
            r.first_bought,
            r.counts,
            r.spend,
        )
        for r in same
    ]
    loyalty = loyalty_compute(flat, END)
    quick = next(h for h in loyalty.hazard_ratios if h.term == "group:quick")
    assert quick.low <= 1 <= quick.high


def test_wilson_interval_of_nothing_is_none():
    assert wilson(0, 0) == (None, None)
    low, high = wilson(0, 10)
    assert low == 0 and 0 < high < 0.35


@pytest.mark.django_db
def test_the_groups_come_from_the_follow_up_and_the_purchases_from_the_till(alice, bob):
    month = build_month(alice, bob)
    figures_refresh(full=True)

    def buy(customer: Customer, days: float, amount: str, ref: str) -> None:
        Purchase.objects.create(
            customer=customer,
            external_id=ref,
            purchased_at=T0 + timedelta(days=days),
            amount=Decimal(amount),
            currency="USD",
        )

    buy(month.a.customer, 10, "30.00", "a-1")  # recovered quickly, back within 90 days
    buy(month.b.customer, 100, "80.00", "b-1")  # recovered slowly (resolved after 3 days), back within 180
    buy(month.c.customer, -5, "20.00", "c-0")  # bought before complaining (C and D), never again
    buy(month.e.customer, -3, "20.00", "e-0")
    stranger = Customer.objects.create(name="Walk-in", email="walkin@example.com")
    buy(stranger, 3, "5.00", "s-1")
    buy(stranger, 200, "5.00", "s-2")  # never complained; also the latest data
    loyalty = loyalty_for(scope_for(bob), Filters(FIRST_DAY, LAST_DAY))
    assert loyalty.groups == {"quick": 1, "slow": 1, "not_recovered": 2, "never": 1}
    cell = {(r.group, r.days): r for r in loyalty.table}
    assert (cell["quick", 90].observable, cell["quick", 90].repurchased) == (1, 1)
    assert (cell["slow", 90].repurchased, cell["slow", 180].repurchased) == (0, 1)
    assert cell["slow", 180].mean_spend == 80.0
    assert (cell["not_recovered", 180].observable, cell["not_recovered", 180].repurchased) == (2, 0)
    assert cell["never", 180].repurchased == 0  # its next purchase came after 197 days
    money = money_compute(scope_for(bob), Filters(FIRST_DAY, LAST_DAY), loyalty)
    assert [m.month for m in money.months] == ["2026-03"]
    assert money.months[0].compensation == Decimal("30.00") and money.months[0].recovered_customers == 2
    # (2/2 recovered came back - 0/2 not recovered: C's and E's customers)
    # x their average spend (30 + 80) / 2, for 2 customers.
    assert money.per_customer == pytest.approx(55.0) and money.months[0].retained == pytest.approx(110.0)


@pytest.mark.django_db
def test_the_loyalty_and_money_pages_and_api_answer_with_the_same_scope(alice, bob, charlie):
    build_month(alice, bob)
    figures_refresh(full=True)
    period = {"first_day": FIRST_DAY.isoformat(), "last_day": LAST_DAY.isoformat()}
    client = Client()
    client.force_login(bob)
    for url in ("/insights/loyalty/", "/insights/money/", "/insights/loyalty.csv", "/insights/money.csv"):
        assert client.get(url, period).status_code == 200, url
    token = Client(headers={"Authorization": f"Bearer {api_token_issue(user=bob)}"})
    data = token.get("/api/v1/insights/loyalty", period).json()
    assert [g["group"] for g in data["loyalty"]["groups"]] == ["quick", "slow", "not_recovered", "never"]
    assert token.get("/api/v1/insights/money", period).status_code == 200
    outsider = Client(headers={"Authorization": f"Bearer {api_token_issue(user=charlie)}"})
    theirs = outsider.get("/api/v1/insights/loyalty", period).json()
    assert sum(g["customers"] for g in theirs["loyalty"]["groups"] if g["group"] != "never") == 0


def test_a_group_whose_fit_diverges_gets_no_hazard_ratio_instead_of_an_overflow():
    # Everybody in "quick" bought again at once, nobody in "lost" ever did: the fit cannot converge.
    times = [1.0] * 8 + [180.0] * 8
    events = [1] * 8 + [0] * 8
    groups = ["quick"] * 8 + ["lost"] * 8
    ratios = cox(times, events, groups, {"prior": [float(i % 3) for i in range(16)]}, reference="lost")
    assert all(math.isfinite(h.high) for h in ratios)
    assert "group:quick" not in {h.term for h in ratios}


def test_the_cox_fit_agrees_with_statsmodels_on_tied_times():
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(3)
    n = 2_000
    group = rng.integers(0, 3, n)
    exog = np.column_stack([group == 1, group == 2, rng.poisson(3, n), rng.exponential(2, n)]).astype(float)
    # Whole days: many customers share a time, where the handling of ties matters.
    times = np.round(rng.exponential(100, n) * np.exp(-0.4 * exog[:, 0] + 0.1 * exog[:, 2])) + 1
    events = (times < 180).astype(float)
    times = np.minimum(times, 180)
    coefs, ses = cox_fit(times, events, exog)
    reference = PHReg(times, exog, status=events.astype(int), ties="breslow").fit()
    assert coefs == pytest.approx(list(reference.params), abs=1e-9)
    assert ses == pytest.approx(list(reference.bse), abs=1e-9)
    assert coefs[0] == pytest.approx(0.4, abs=0.1)  # the effect that was put in


@pytest.mark.django_db
def test_the_purchases_are_read_off_their_index_alone(bob):
    """The comparison joins every customer of the period with their purchases: at 3,000,000
    purchases, fetching each row's amount from the table was most of the page's time."""
    if connection.vendor != "sqlite":
        pytest.skip("the plan is pinned where it can be read as text (SQLite's EXPLAIN QUERY PLAN)")
    sql, params = _outcomes_sql(_starts(scope_for(bob), Filters(FIRST_DAY, LAST_DAY)))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    purchases = [step for step in plan if "purchase" in step]
    assert len(purchases) == 2  # the never-complained customers' first purchase, and the join
    assert all("USING COVERING INDEX purchase_customer_spend_idx" in step for step in purchases), plan
