"""The demo's money that was promised: a few open cases where a wrong charge was reversed, through
the same services staff use, so the payment flow is there to look at as soon as the demo loads.

One was marked paid by its owner (the customer was told it has been paid), one still waits and is
past its business day (the worker's sweep alerts its owner and the manager), one was just granted.
The two showcases (`losses.SHOWCASES`) are left for a person to put right themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from makegood.cases.models import Case, LossKind, Status
from makegood.cases.services import CaseActionError
from makegood.demo.losses import SHOWCASES
from makegood.remedies.models import RemedyType
from makegood.remedies.payments import payment_record_outcome
from makegood.remedies.services import remedy_grant

# How long before `now` each demo payment was granted, and whether its owner has marked it paid.
DEMO_PAYMENTS: tuple[tuple[timedelta, bool], ...] = (
    (timedelta(days=3), True),
    (timedelta(days=4), False),
    (timedelta(hours=2), False),
)


def demo_payments(*, cases: list[Case], now: datetime) -> int:
    """Reverse the wrong charge on up to three open, owned money cases (not the showcases); returns
    how many payments were made."""
    showcases = {showcase.external_id for showcase in SHOWCASES}
    candidates = [
        case
        for case in sorted(cases, key=lambda c: c.received_at)
        if case.status == Status.OPEN
        and case.owner_id is not None
        and case.loss_kind == LossKind.MONEY
        and case.loss_amount is not None
        and case.external_id not in showcases
    ]
    reverse = RemedyType.objects.filter(catalog="online_shop", code="reverse-charge", active=True).first()
    if reverse is None:
        return 0
    made = 0
    for case, (ago, paid) in zip(candidates, DEMO_PAYMENTS, strict=False):
        owner, loss = case.owner, case.loss_amount
        if owner is None or loss is None:
            continue
        granted_at = max(now - ago, case.owned_at or case.received_at)
        amount = min(loss, reverse.max_amount or loss)
        try:
            grant = remedy_grant(
                case=case,
                user=owner,
                remedy_type=reverse,
                amount=amount,
                order_reference=case.external_id or f"ORD-{case.pk}",
                at=granted_at,
            )
        except (ValidationError, CaseActionError):
            continue  # beyond what the owner may restore alone: left for a person, like the showcases
        if paid:
            payment_record_outcome(
                payment_id=grant.payment.pk,
                paid=True,
                actor=owner,
                reference=f"BANK-{case.pk:05d}",
                at=granted_at + timedelta(hours=5),
            )
        made += 1
    return made
