"""The demo's purchase history: what Ridgeway Cycles' till recorded, before and after each complaint.

Every demo customer with contact details gets a purchase history, and 200 walk-in customers who
never complained get one too. The live demo's complaints are recent, so 120 earlier ones, six
months to a year old, are loaded first (`earlier.py`): their 90 and 180 days have passed.

Before the complaint each buys at their own pace (a mean gap of 20 to 60 days, for a year or
two); the complaint follows a purchase; afterwards the pace depends on
how the recovery went, as the research says it roughly does (Knox & van Oest 2014: a good recovery
wins most, not all, of the customer back): recovered quickly x2, slowly x1.4, not recovered x0.4,
never complained x1. The insights then measure that effect from the data, as they would for a
real business. Recorded through `transactions_record`, the one write path.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Case as Choose
from django.db.models import CharField, Value, When
from django.utils import timezone

from makegood.cases.models import Case, Customer, Status
from makegood.demo.earlier import demo_earlier_complaints_load
from makegood.followup.models import FollowUp, Method, State, Via
from makegood.followup.services import followup_answer
from makegood.insights.loyalty import group_q
from makegood.insights.models import CaseFigures
from makegood.insights.rollup import figures_refresh
from makegood.purchases.models import Purchase
from makegood.purchases.services import MAX_BATCH, Transaction, transactions_record

PACE_AFTER = {"quick": 2.0, "slow": 1.4, "not_recovered": 0.4, "never": 1.0}
WALK_INS = 200


def _amount(rng: random.Random) -> Decimal:
    return Decimal(str(round(min(2500.0, rng.lognormvariate(3.9, 0.8)), 2)))


def _history(rng: random.Random, anchor: datetime, now: datetime, pace_after: float) -> list[datetime]:
    """Purchase times: a steady pace before `anchor`, one just before it, a changed pace after."""
    gap = rng.uniform(20, 60)
    moments, at = [], anchor - timedelta(days=rng.uniform(120, 700))
    while True:
        at += timedelta(days=rng.expovariate(1 / gap))
        if at >= anchor - timedelta(days=8):
            break
        moments.append(at)
    moments.append(anchor - timedelta(days=rng.uniform(1, 7)))
    at = anchor
    while True:
        at += timedelta(days=rng.expovariate(pace_after / gap))
        if at >= now:
            return moments
        moments.append(at)


def _follow_up_calls(rng: random.Random, now: datetime) -> None:
    """The owners' follow-up calls on the demo's resolved cases, a day after resolving, through
    `followup_answer`: a recovery that came within a day satisfies more often; some never answer.
    (The demo is back-dated, so no survey was scheduled for these when they were resolved.)"""
    resolved = Case.objects.filter(status=Status.RESOLVED, owner__isnull=False, resolved_at__lt=now - timedelta(days=2))
    for case in resolved.select_related("owner").order_by("pk"):
        resolved_at = case.resolved_at
        if resolved_at is None or rng.random() < 0.3 or FollowUp.objects.filter(case=case).exists():
            continue  # silent
        asked = resolved_at + timedelta(days=1)
        quick = resolved_at - case.received_at <= timedelta(days=1)
        satisfied = rng.random() < (0.8 if quick else 0.55)
        follow_up = FollowUp.objects.create(
            case=case, method=Method.CALL, state=State.SENT, due_at=asked, sent_at=asked, nonce=secrets.token_hex(16)
        )
        followup_answer(
            follow_up=follow_up,
            resolved=True,
            satisfaction=rng.choice((4, 5)) if satisfied else 3,
            via=Via.CALL,
            recorded_by=case.owner,
            at=asked + timedelta(hours=2),
        )


def demo_purchases_load(*, seed: int = 14, now: datetime | None = None, earlier: bool = True) -> int:
    """Load the purchase history (once: a second run finds purchases and adds nothing). Returns the count.

    `earlier`: first load the earlier complaints (the default demo; a demo of a chosen number of
    cases has exactly that many)."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 - a demo's data, not a secret
    if Purchase.objects.exists():
        return 0
    if earlier:
        # Complaints old enough for the 90- and 180-day comparisons (the live demo's are all recent).
        demo_earlier_complaints_load(rng=rng, now=now)
    _follow_up_calls(rng, now)
    figures_refresh(full=True)
    firsts: dict[int, tuple[datetime, str]] = {}
    grouped = CaseFigures.objects.annotate(
        group=Choose(
            When(group_q("quick"), then=Value("quick")),
            When(group_q("slow"), then=Value("slow")),
            default=Value("not_recovered"),
            output_field=CharField(),
        )
    ).order_by("received_at", "pk")
    for customer_id, received_at, group in grouped.values_list("customer_id", "received_at", "group"):
        firsts.setdefault(customer_id, (received_at, group))
    customers = {c.pk: c for c in Customer.objects.filter(pk__in=firsts).exclude(email="", phone="")}
    # (till's customer key, e-mail, phone, name, the complaint or matched date, group)
    plans = [
        (f"c{pk}", c.email, "" if c.email else c.phone, c.name, anchor, group)
        for pk, (anchor, group) in sorted(firsts.items())
        if (c := customers.get(pk)) is not None
    ]
    plans += [
        (
            f"w{n}",
            f"walk-in-{n}@ridgeway.example",
            "",
            f"Walk-in customer {n}",
            now - timedelta(days=rng.uniform(1, 365)),
            "never",
        )
        for n in range(1, WALK_INS + 1)
    ]
    rows: list[Transaction] = []
    for key, email, phone, name, anchor, group in plans:
        for i, at in enumerate(_history(rng, anchor, now, PACE_AFTER[group])):
            rows.append(
                Transaction(f"ridgeway-till-{key}-{i}", at, _amount(rng), "USD", "purchase", email, phone, name)
            )
    created = 0
    for start in range(0, len(rows), MAX_BATCH):
        created += transactions_record(rows[start : start + MAX_BATCH]).created
    return created
