"""Do recovered customers come back? Four groups of customers, compared on what they bought next.

Each customer who complained in the period counts once, from their first complaint of it:

- recovered quickly: they answered the follow-up satisfied (4-5 of 5, and "resolved") and the
  case was resolved within a day of the complaint;
- recovered slowly: satisfied, but resolved later;
- not recovered: dissatisfied, reopened and never satisfied, or silent (no answer);
- never complained: customers with no case at all, from their first purchase in the period (the
  matched date: like a complaint, it follows a purchase).

The database computes one row per customer (correlated subqueries over the purchases' index by
customer and date); the statistics run on those rows (`survival.py`). A customer is observable for
a horizon when that many days have passed since their date, up to the last purchase data received.
Customers with no purchase at all in the data (the till never saw them) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from makegood.cases.models import Case as Complaint
from makegood.cases.models import Customer
from makegood.insights.scope import Filters, Scope, figures_for
from makegood.insights.survival import HazardRatio, LogRank, cox, kaplan_meier, logrank, mean_interval, wilson
from makegood.purchases.models import Purchase

HORIZONS = (90, 180)
QUICK_SECONDS = 24 * 3600
GROUPS = {
    "quick": "Recovered quickly",
    "slow": "Recovered slowly",
    "not_recovered": "Not recovered",
    "never": "Never complained",
}
REFERENCE = "not_recovered"
PRIOR_DAYS = 365


def satisfied_q() -> Q:
    return Q(answered=True, satisfaction__gte=4, confirmed_resolved=True)


def group_q(group: str) -> Q:
    """The condition on CaseFigures for a complaining group (the drill-down reads it too)."""
    if group == "quick":
        return satisfied_q() & Q(resolution_seconds__lte=QUICK_SECONDS)
    if group == "slow":
        return satisfied_q() & (Q(resolution_seconds__gt=QUICK_SECONDS) | Q(resolution_seconds__isnull=True))
    return ~satisfied_q()


def _window(customer: str, start: str, days_from: int, days_to: int) -> QuerySet[Purchase]:
    """Purchases of the outer row's customer in (start + days_from, start + days_to]."""
    return Purchase.objects.filter(
        customer_id=OuterRef(customer),
        purchased_at__gt=OuterRef(start) + timedelta(days=days_from),
        purchased_at__lte=OuterRef(start) + timedelta(days=days_to),
    ).order_by()


def _outcomes(rows: QuerySet[Any], customer: str, start: str) -> QuerySet[Any]:
    annotations: dict[str, Any] = {
        "next_at": Subquery(
            Purchase.objects.filter(customer_id=OuterRef(customer), purchased_at__gt=OuterRef(start))
            .order_by("purchased_at")
            .values("purchased_at")[:1]
        ),
        "prior": Coalesce(
            Subquery(
                _window(customer, start, -PRIOR_DAYS, 0)
                .filter(purchased_at__lt=OuterRef(start))
                .values("customer_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        "first_bought": Subquery(
            Purchase.objects.filter(customer_id=OuterRef(customer)).order_by("purchased_at").values("purchased_at")[:1]
        ),
    }
    for days in HORIZONS:
        window = _window(customer, start, 0, days).values("customer_id")
        annotations[f"n{days}"] = Coalesce(Subquery(window.annotate(n=Count("pk")).values("n")[:1]), 0)
        annotations[f"spend{days}"] = Subquery(window.annotate(s=Sum("amount")).values("s")[:1])
    return rows.annotate(**annotations)


@dataclass(frozen=True)
class CustomerRow:
    group: str
    start: datetime
    next_at: datetime | None
    prior: int
    first_bought: datetime | None
    counts: dict[int, int]
    spend: dict[int, float]


def customer_rows(scope: Scope, filters: Filters) -> list[CustomerRow]:
    """One row per customer of the comparison: two queries, whatever the number of purchases."""
    figures = figures_for(scope, filters)
    first_case = figures.filter(customer_id=OuterRef("customer_id")).order_by("received_at", "pk").values("pk")[:1]
    # Only customers the purchase data knows: one the till never saw tells nothing about coming back.
    known = Exists(Purchase.objects.filter(customer_id=OuterRef("customer_id")))
    complainers = figures.filter(known, case_id=Subquery(first_case)).annotate(
        group=Case(
            When(group_q("quick"), then=Value("quick")),
            When(group_q("slow"), then=Value("slow")),
            default=Value("not_recovered"),
            output_field=CharField(),
        )
    )
    fields = [
        "group",
        "next_at",
        "prior",
        "first_bought",
        *(f"n{d}" for d in HORIZONS),
        *(f"spend{d}" for d in HORIZONS),
    ]
    rows = [
        _row(r, r["received_at"])
        for r in _outcomes(complainers, "customer_id", "received_at").values("received_at", *fields)
    ]
    p = filters.period
    first_in_period = (
        Purchase.objects.filter(customer_id=OuterRef("pk"), purchased_at__gte=p.start, purchased_at__lt=p.end)
        .order_by("purchased_at")
        .values("purchased_at")[:1]
    )
    never = (
        Customer.objects.filter(~Exists(Complaint.objects.filter(customer_id=OuterRef("pk"))))
        .annotate(
            start=Subquery(first_in_period, output_field=DateTimeField()),
            group=Value("never", output_field=CharField()),
        )
        .filter(start__isnull=False)
    )
    rows += [_row(r, r["start"]) for r in _outcomes(never, "pk", "start").values("start", *fields)]
    return rows


def _row(r: dict[str, Any], start: datetime) -> CustomerRow:
    return CustomerRow(
        group=r["group"],
        start=start,
        next_at=r["next_at"],
        prior=r["prior"] or 0,
        first_bought=r["first_bought"],
        counts={d: r[f"n{d}"] or 0 for d in HORIZONS},
        spend={d: float(r[f"spend{d}"] or 0) for d in HORIZONS},
    )


def data_end() -> datetime | None:
    """The last moment the purchase data covers (the latest purchase received)."""
    return Purchase.objects.aggregate(last=Max("purchased_at"))["last"]


@dataclass
class GroupHorizon:
    group: str
    label: str
    days: int
    customers: int
    observable: int
    repurchased: int
    share: float | None
    low: float | None
    high: float | None
    mean_spend: float | None
    spend_low: float | None
    spend_high: float | None


@dataclass
class Loyalty:
    data_end: datetime | None
    groups: dict[str, int]
    table: list[GroupHorizon]
    curves: dict[str, list[tuple[float, float]]]
    logrank: LogRank | None
    hazard_ratios: list[HazardRatio]
    rows: list[CustomerRow] = field(default_factory=list, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "data_end": self.data_end.isoformat() if self.data_end else None,
            "groups": [{"group": g, "label": GROUPS[g], "customers": n} for g, n in self.groups.items()],
            "repurchase": [vars(row) for row in self.table],
            "kaplan_meier": {g: [{"day": t, "not_yet_bought_again": s} for t, s in c] for g, c in self.curves.items()},
            "logrank": vars(self.logrank) if self.logrank else None,
            "hazard_ratios": [vars(h) for h in self.hazard_ratios],
            "reference_group": REFERENCE,
        }


def loyalty_compute(rows: list[CustomerRow], end: datetime | None) -> Loyalty:
    table: list[GroupHorizon] = []
    counts = {g: sum(1 for r in rows if r.group == g) for g in GROUPS}
    for days in HORIZONS:
        for group, label in GROUPS.items():
            members = [r for r in rows if r.group == group]
            seen = [r for r in members if end is not None and r.start + timedelta(days=days) <= end]
            bought = sum(1 for r in seen if r.counts[days] > 0)
            low, high = wilson(bought, len(seen))
            mean, spend_low, spend_high = mean_interval([r.spend[days] for r in seen])
            table.append(
                GroupHorizon(
                    group,
                    label,
                    days,
                    len(members),
                    len(seen),
                    bought,
                    round(bought / len(seen), 4) if seen else None,
                    low,
                    high,
                    mean,
                    spend_low,
                    spend_high,
                )
            )
    times, events, groups, prior, tenure = [], [], [], [], []
    for r in rows:
        if end is None or r.start >= end:
            continue
        bought_again = r.next_at is not None and r.next_at <= end
        stop = r.next_at if bought_again and r.next_at is not None else end
        times.append(max((stop - r.start).total_seconds() / 86400, 0.001))
        events.append(1 if bought_again else 0)
        groups.append(r.group)
        prior.append(float(r.prior))
        tenure.append(max(0.0, (r.start - r.first_bought).total_seconds() / (365 * 86400)) if r.first_bought else 0.0)
    curves = {}
    for group in GROUPS:
        chosen = [i for i, g in enumerate(groups) if g == group]
        curves[group] = kaplan_meier([times[i] for i in chosen], [events[i] for i in chosen])
    return Loyalty(
        data_end=end,
        groups=counts,
        table=table,
        curves=curves,
        logrank=logrank(times, events, groups),
        hazard_ratios=cox(
            times,
            events,
            groups,
            {"prior purchases (per purchase)": prior, "tenure (per year)": tenure},
            reference=REFERENCE,
        ),
        rows=rows,
    )


def loyalty_for(scope: Scope, filters: Filters) -> Loyalty:
    return loyalty_compute(customer_rows(scope, filters), data_end())


def spend_per_customer(rows: list[CustomerRow], group_names: tuple[str, ...], days: int, end: datetime) -> np.ndarray:
    """(bought again 0/1, spend) of each observable customer of the groups, for the bootstrap."""
    chosen = [r for r in rows if r.group in group_names and r.start + timedelta(days=days) <= end]
    return np.asarray([[1.0 if r.counts[days] else 0.0, r.spend[days]] for r in chosen], dtype=float).reshape(-1, 2)


def month_key(moment: datetime) -> str:
    return f"{moment:%Y-%m}"
