"""Reads of payments: who may see which, the case's, a person's to make, the managers' list."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from makegood.cases.models import Case
from makegood.cases.selectors import cases_visible_to
from makegood.remedies.models import PAYMENT_OPEN, Payment

_RELATED = ("case", "case__customer", "grant", "responsible", "decided_by")


def payments_visible_to(user: User | AnonymousUser, *, open_only: bool = True) -> QuerySet[Payment]:
    """Managers (`manage_payments`): every payment on the cases they see. Others: those they are to
    pay or whose case they own. Oldest deadline first."""
    if not user.is_authenticated:
        return Payment.objects.none()
    payments = Payment.objects.filter(case__in=cases_visible_to(user))
    if not user.has_perm("remedies.manage_payments"):
        payments = payments.filter(Q(responsible_id=user.pk) | Q(case__owner_id=user.pk))
    if open_only:
        payments = payments.filter(status__in=PAYMENT_OPEN)
    return payments.select_related(*_RELATED).order_by("due_at", "pk")


def payment_get_for_user(user: User | AnonymousUser, payment_id: int) -> Payment:
    """The payment, or Http404 when it does not exist or its case is not theirs to see."""
    payment = Payment.objects.filter(pk=payment_id, case__in=cases_visible_to(user)).select_related(*_RELATED).first()
    if payment is None:
        raise Http404("No such payment.")
    return payment


def payments_for_case(case: Case) -> list[Payment]:
    """The case's payments, oldest first (one query)."""
    return list(Payment.objects.filter(case=case).select_related("grant", "responsible", "decided_by"))


def payments_to_make_by(user: User) -> list[Payment]:
    """What this person has to pay and has not marked yet: their queue's payment strip."""
    return list(
        Payment.objects.filter(responsible=user, status__in=PAYMENT_OPEN, case__in=cases_visible_to(user))
        .select_related("case", "grant")
        .order_by("due_at", "pk")[:50]
    )
