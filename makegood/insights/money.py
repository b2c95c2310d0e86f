"""Money per month: compensation spent on the month's complaints, and the revenue those recoveries
retained, estimated from the loyalty comparison.

Retained per recovered customer = (share buying again within 180 days among recovered customers
- the same share among customers not recovered) x the recovered customers' average spend in
those 180 days (of those who bought again). A month's retained revenue is that times the month's
recovered customers; its 95% interval comes from a bootstrap of the customers of both groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from makegood.insights.loyalty import Loyalty, spend_per_customer
from makegood.insights.scope import Filters, Scope, figures_for
from makegood.insights.survival import bootstrap_interval

HORIZON = 180
RECOVERED = ("quick", "slow")


@dataclass
class Month:
    month: str
    compensation: Decimal
    recovered_customers: int
    retained: float | None
    low: float | None
    high: float | None


@dataclass
class Money:
    currency: str
    per_customer: float | None
    per_customer_low: float | None
    per_customer_high: float | None
    months: list[Month]

    def as_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "horizon_days": HORIZON,
            "retained_per_recovered_customer": self.per_customer,
            "retained_per_recovered_customer_interval": [self.per_customer_low, self.per_customer_high],
            "months": [{**vars(m), "compensation": str(m.compensation)} for m in self.months],
        }


def _effect(samples: dict[str, np.ndarray]) -> float:
    recovered, lost = samples["recovered"], samples["lost"]
    if not len(recovered) or not len(lost):
        return 0.0
    bought = recovered[recovered[:, 0] > 0]
    average = float(bought[:, 1].mean()) if len(bought) else 0.0
    return (float(recovered[:, 0].mean()) - float(lost[:, 0].mean())) * average


def money_compute(scope: Scope, filters: Filters, loyalty: Loyalty) -> Money:
    per_customer = low = high = None
    end = loyalty.data_end
    if end is not None:
        samples = {
            "recovered": spend_per_customer(loyalty.rows, RECOVERED, HORIZON, end),
            "lost": spend_per_customer(loyalty.rows, ("not_recovered",), HORIZON, end),
        }
        if len(samples["recovered"]) and len(samples["lost"]):
            per_customer = _effect(samples)
            low, high = bootstrap_interval(samples, _effect, rounds=500)
    spent = {
        f"{r['month']:%Y-%m}": r["cost"] or Decimal(0)
        for r in figures_for(scope, filters)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(cost=Sum("compensation_cost"))
        .order_by("month")
    }
    recovered: dict[str, int] = {}
    for row in loyalty.rows:
        if row.group in RECOVERED:
            key = f"{row.start:%Y-%m}"
            recovered[key] = recovered.get(key, 0) + 1
    months = []
    for key in sorted(set(spent) | set(recovered)):
        n = recovered.get(key, 0)
        months.append(
            Month(
                key,
                Decimal(str(spent.get(key, 0))).quantize(Decimal("0.01")),
                n,
                round(per_customer * n, 2) if per_customer is not None else None,
                round(low * n, 2) if low is not None else None,
                round(high * n, 2) if high is not None else None,
            )
        )
    return Money(settings.DEFAULT_CURRENCY, per_customer, low, high, months)
