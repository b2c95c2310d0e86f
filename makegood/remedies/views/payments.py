"""Payments on the pages: the case's payment card (loaded by htmx), the person's payments to make
above the queue, the managers' "payments to make", and marking one paid or failed: all through
`payments.payment_record_outcome`, the service the payment system's confirmation uses too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from makegood.accounts.requests import staff_user
from makegood.cases.models import Case
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError
from makegood.edges import is_htmx
from makegood.remedies.authority import money
from makegood.remedies.models import Payment, PaymentStatus
from makegood.remedies.payment_forms import FailedForm, PaidForm
from makegood.remedies.payments import (
    may_record_outcome,
    message_paid,
    message_started,
    payment_noun,
    payment_record_outcome,
)
from makegood.remedies.payments_selectors import (
    payment_get_for_user,
    payments_for_case,
    payments_to_make_by,
    payments_visible_to,
)

SETTLED_SHOWN = 20


def payment_rows(payments: list[Payment], *, user: Any) -> list[dict[str, Any]]:
    """Each payment as the pages show it: what it is, where it stands, what the customer was told."""
    now = timezone.now()
    rows = []
    for payment in payments:
        kind = payment.grant.kind
        told = message_started(kind, payment.amount, payment.currency)
        if payment.status == PaymentStatus.CONFIRMED:
            told = message_paid(kind, payment.amount, payment.currency)
        rows.append(
            {
                "payment": payment,
                "what": f"{payment_noun(kind).capitalize()} of {money(payment.amount, payment.currency)}",
                "told": told if payment.case.customer.email else "",
                "late": payment.is_open and payment.due_at <= now,
                "may_mark": payment.is_open and may_record_outcome(user, payment),
            }
        )
    return rows


def _card(request: HttpRequest, *, case: Case, user: User) -> HttpResponse:
    payments = payments_for_case(case)
    for payment in payments:
        payment.case = case
    return render(request, "remedies/_payments_card.html", {"case": case, "rows": payment_rows(payments, user=user)})


@require_GET
def case_payments(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's payment card (the case page and the Solve step load it after the page)."""
    user = staff_user(request)
    return _card(request, case=case_get_for_user(user, reference), user=user)


@require_POST
def payment_mark(request: HttpRequest, payment_id: int, outcome: str) -> HttpResponse:
    """Mark a payment paid (the money has moved) or failed (with why). Refused input comes back as
    a message; a payment of a case one may not see is not found."""
    user = staff_user(request)
    payment = payment_get_for_user(user, payment_id)
    paid = outcome == "paid"
    form: PaidForm | FailedForm = PaidForm(request.POST) if paid else FailedForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        payment = payment_record_outcome(
            payment_id=payment.pk,
            paid=paid,
            actor=user,
            reference=form.cleaned_data.get("reference", ""),
            reason=form.cleaned_data.get("reason", ""),
        )
    except (ValidationError, CaseActionError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        what = f"{payment_noun(payment.grant.kind).capitalize()} of {money(payment.amount, payment.currency)}"
        if paid:
            told = " The customer is told it has been paid." if payment.case.customer.email else ""
            messages.success(request, f"{what} on {payment.case.reference} marked paid.{told}")
        else:
            messages.warning(request, f"{what} on {payment.case.reference} marked failed: the case comes first again.")
    if request.POST.get("back") == "list" and user.has_perm("remedies.manage_payments"):
        return redirect("remedies_payments")
    if is_htmx(request):
        return _card(request, case=payment.case, user=user)
    return redirect("case_detail", reference=payment.case.reference)


@permission_required("remedies.confirm_payment", raise_exception=True)
@require_GET
def my_payments(request: HttpRequest) -> HttpResponse:
    """Above the queue: the payments this person is to make (loaded by htmx; empty when none)."""
    user = staff_user(request)
    return render(request, "remedies/_my_payments.html", {"rows": payment_rows(payments_to_make_by(user), user=user)})


@permission_required("remedies.manage_payments", raise_exception=True)
@require_GET
def payments_to_make(request: HttpRequest) -> HttpResponse:
    """Managers: every payment not yet confirmed on the cases they see, the latest first to act
    on, and the last ones settled."""
    user = staff_user(request)
    open_payments = list(payments_visible_to(user, open_only=True)[:500])
    settled = list(
        payments_visible_to(user, open_only=False)
        .exclude(status__in=(PaymentStatus.TO_PAY, PaymentStatus.SENT))
        .order_by("-confirmed_at", "-failed_at", "-pk")[:SETTLED_SHOWN]
    )
    rows = payment_rows(open_payments, user=user)
    context = {
        "rows": rows,
        "late": sum(1 for row in rows if row["late"]),
        "settled": payment_rows(settled, user=user),
    }
    return render(request, "remedies/payments.html", context)
