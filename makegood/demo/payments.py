"""The demo's money that was promised: every demo complaint of money taken wrongly gets the charge
reversed by its owner as they take it, through the same services staff use, and marked paid by
them before the case is resolved. Cases still open keep theirs waiting: past its business day,
the worker's sweep alerts the owner and the manager. The two showcases (`losses.SHOWCASES`) are
left for a person to put right themselves, so nothing is told "paid" before a person says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from makegood.cases.models import Case, LossKind
from makegood.cases.services import CaseActionError
from makegood.demo.losses import SHOWCASES
from makegood.remedies.models import Payment, RemedyType
from makegood.remedies.payments import payment_record_outcome
from makegood.remedies.services import remedy_grant

# The owner reverses the charge as they take the case, and sees the money has gone back this long
# before resolving it (or as they resolve a case resolved at once).
PAID_BEFORE_RESOLVING = timedelta(minutes=30)
SHOWCASE_IDS = frozenset(showcase.external_id for showcase in SHOWCASES)


def demo_payment_open(*, case: Case, owner: User, at: datetime) -> Payment | None:
    """The wrong charge reversed on a money case (not a showcase), as restitution; None when the
    case is not one, or the amount is beyond what the owner may restore alone."""
    if case.loss_kind != LossKind.MONEY or case.loss_amount is None or case.external_id in SHOWCASE_IDS:
        return None
    reverse = RemedyType.objects.filter(catalog="online_shop", code="reverse-charge", active=True).first()
    if reverse is None or (reverse.max_amount is not None and case.loss_amount > reverse.max_amount):
        return None
    try:
        grant = remedy_grant(
            case=case,
            user=owner,
            remedy_type=reverse,
            amount=case.loss_amount,
            order_reference=case.external_id or f"ORD-{case.pk}",
            at=at,
        )
    except (ValidationError, CaseActionError):
        return None
    return Payment.objects.get(grant=grant)


def demo_payment_paid(*, payment: Payment, resolved_at: datetime) -> None:
    """The person paying it marks it paid before the case is resolved (the bank's reference on it)."""
    at = max(resolved_at - PAID_BEFORE_RESOLVING, payment.created_at)
    payment_record_outcome(
        payment_id=payment.pk, paid=True, actor=payment.responsible, reference=f"BANK-{payment.pk:05d}", at=at
    )
