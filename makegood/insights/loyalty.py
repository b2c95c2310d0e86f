"""Do recovered customers come back? Four groups of customers, compared on what they bought next.

Each customer who complained in the period counts once, from their first complaint of it:

- recovered quickly: they answered the follow-up satisfied (4-5 of 5, and "resolved") and the
  case was resolved within a day of the complaint;
- recovered slowly: satisfied, but resolved later;
- not recovered: dissatisfied, reopened and never satisfied, or silent (no answer);
- never complained: customers with no case at all, from their first purchase in the period (the
  matched date: like a complaint, it follows a purchase).

The database computes one row per customer: the starts (a window function picks each customer's
first case) joined once with the purchases and grouped by customer, every window a conditional
count or sum; the statistics run on those rows (`survival.py`). A customer is observable for
a horizon when that many days have passed since their date, up to the last purchase data received.
Customers with no purchase at all in the data (the till never saw them) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.dateparse import parse_datetime

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


@dataclass(frozen=True)
class CustomerRow:
    group: str
    start: datetime
    next_at: datetime | None
    prior: int
    first_bought: datetime | None
    counts: dict[int, int]
    spend: dict[int, float]


def _with_bounds(rows: QuerySet[Any], start: str) -> QuerySet[Any]:
    """The window bounds of each start, computed once per customer (not per purchase)."""
    return rows.annotate(
        b_prior=ExpressionWrapper(F(start) - timedelta(days=PRIOR_DAYS), output_field=DateTimeField()),
        **{
            f"b_{days}": ExpressionWrapper(F(start) + timedelta(days=days), output_field=DateTimeField())
            for days in HORIZONS
        },
    )


STARTS = ["cid", "start", "grp", "b_prior", *(f"b_{d}" for d in HORIZONS)]


def never_customers(filters: Filters) -> QuerySet[Any]:
    """The customers who never complained, each from their first purchase in the period (`start`),
    with their purchases in it (`bought`): the "never complained" group and its drill-down."""
    p = filters.period
    in_period = Q(purchases__purchased_at__gte=p.start, purchases__purchased_at__lt=p.end)
    return (
        Customer.objects.filter(~Exists(Complaint.objects.filter(customer_id=OuterRef("pk"))))
        .annotate(start=Min("purchases__purchased_at", filter=in_period), bought=Count("purchases", filter=in_period))
        .filter(start__isnull=False)
    )


def _starts(scope: Scope, filters: Filters) -> list[QuerySet[Any]]:
    """(customer, start, group, window bounds): each complaining customer from their first case of
    the period, each customer who never complained from their first purchase in it."""
    # Each customer's first case of the period, with what the comparison needs, in one pass (a
    # filter on the window; reading the picked cases again by id cost 191,000 look-ups at 1,000,000).
    complainers = _with_bounds(
        figures_for(scope, filters)
        .annotate(
            nth=Window(RowNumber(), partition_by=[F("customer_id")], order_by=[F("received_at").asc(), F("pk").asc()]),
            cid=F("customer_id"),
            start=F("received_at"),
            grp=Case(
                When(group_q("quick"), then=Value("quick")),
                When(group_q("slow"), then=Value("slow")),
                default=Value("not_recovered"),
                output_field=CharField(),
            ),
        )
        .filter(nth=1),
        "start",
    )
    never = _with_bounds(
        never_customers(filters).annotate(cid=F("pk"), grp=Value("never", output_field=CharField())), "start"
    )
    return [complainers.values(*STARTS), never.values(*STARTS)]


def _outcomes_sql(starts: list[QuerySet[Any]]) -> tuple[str, list[Any]]:
    """One grouped join of the starts with the purchases: what each customer bought, when."""
    parts: list[str] = []
    params: list[Any] = []
    for query in starts:
        sql, part_params = query.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part")  # noqa: S608 - the ORM's own SQL
        params.extend(part_params)
    windows = []
    for days in HORIZONS:
        inside = f"p.purchased_at > s.start AND p.purchased_at <= s.b_{days}"
        windows.append(f"COUNT(CASE WHEN {inside} THEN 1 END), SUM(CASE WHEN {inside} THEN p.amount END)")
    table = Purchase._meta.db_table
    sql = f"""
        SELECT s.grp, s.start,
               MIN(CASE WHEN p.purchased_at > s.start THEN p.purchased_at END),
               COUNT(CASE WHEN p.purchased_at > s.b_prior AND p.purchased_at < s.start THEN 1 END),
               MIN(p.purchased_at),
               {", ".join(windows)}
          FROM ({" UNION ALL ".join(parts)}) AS s
          JOIN {table} AS p ON p.customer_id = s.cid
         GROUP BY s.cid, s.grp, s.start
    """  # noqa: S608 - built from this module's names and the ORM's own SQL and parameters
    return sql, params


def _moment(value: Any) -> datetime | None:
    """A moment read by raw SQL: SQLite gives its stored text (UTC), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def customer_rows(scope: Scope, filters: Filters) -> list[CustomerRow]:
    """One row per customer of the comparison, from one aggregate query, whatever the purchases.
    Customers the purchase data does not know are left out (the join): one the till never saw
    tells nothing about coming back."""
    sql, params = _outcomes_sql(_starts(scope, filters))
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group, start, next_at, prior, first_bought, *windows in cursor.fetchall():
            rows.append(
                CustomerRow(
                    group=group,
                    start=_moment(start),  # type: ignore[arg-type]
                    next_at=_moment(next_at),
                    prior=prior or 0,
                    first_bought=_moment(first_bought),
                    counts={d: windows[2 * i] or 0 for i, d in enumerate(HORIZONS)},
                    spend={d: float(windows[2 * i + 1] or 0) for i, d in enumerate(HORIZONS)},
                )
            )
    return rows


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
