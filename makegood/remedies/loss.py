"""Recording the customer's loss on the case (kind, amount, severity, fault), which sizes and
matches the remedies. Usually captured while listening; the remedies panel lets the employee
record or correct it when it was not."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood import money as amounts
from makegood.cases.audit import audit_record
from makegood.cases.models import Case, LossKind, Severity
from makegood.cases.timeline import case_lock
from makegood.remedies.authority import money
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.rules import check_can_grant_on, check_iso_currency, default_currency, parse_amount
from makegood.remedies.services import timeline_add

LOSS_FIELDS = ("loss_kind", "loss_amount", "loss_currency", "severity", "business_at_fault")


def loss_amount_text(case: Case) -> str | None:
    """The loss as an exact decimal string in its currency's decimals (`"120.00"`, `"1200"`)."""
    return amounts.as_text(case.loss_amount, case.loss_currency or default_currency())


def loss_describe(case: Case) -> str:
    """ "Faulty product, $120.00, severe, our fault" (what is recorded, in words)."""
    parts = [case.get_loss_kind_display() if case.loss_kind else "Loss not recorded"]
    if case.loss_amount is not None:
        parts.append(money(Decimal(case.loss_amount), case.loss_currency or default_currency()))
    if case.severity:
        parts.append(case.get_severity_display().lower())
    if case.business_at_fault:
        parts.append("our fault")
    if case.is_repeat_failure:
        parts.append("a repeat failure")
    return ", ".join(parts)


@transaction.atomic
def case_loss_record(
    *,
    case: Case,
    user: User,
    loss_kind: str,
    severity: str,
    loss_amount: Decimal | str | int | None = None,
    loss_currency: str | None = None,
    business_at_fault: bool = False,
    at: datetime | None = None,
) -> Case:
    """Write the loss onto the case (by whoever may grant remedies on it), with a timeline note and
    an audit entry of what changed. The repeat-failure flag is set at intake and not edited here."""
    errors: dict[str, list[str]] = {}
    if loss_kind not in LossKind.values:
        errors["loss_kind"] = ["Choose what the customer lost."]
    if severity not in Severity.values:
        errors["severity"] = ["Choose how bad it was for the customer."]
    amount: Decimal | None = None
    has_amount = loss_amount is not None and not (isinstance(loss_amount, str) and not loss_amount.strip())
    currency = ""
    try:
        if has_amount:
            currency = check_iso_currency(loss_currency or default_currency(), field="loss_currency")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        # Without a known currency the amount's form is still checked (its decimals cannot be).
        amount = parse_amount(loss_amount, currency=currency or default_currency(), field="loss_amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if not isinstance(business_at_fault, bool):
        raise ValidationError({"business_at_fault": ["Say yes or no."]})
    case = case_lock(case, with_customer=False)
    check_can_grant_on(user, case)
    new: dict[str, Any] = {
        "loss_kind": loss_kind,
        "loss_amount": amount,
        "loss_currency": currency,
        "severity": severity,
        "business_at_fault": business_at_fault,
    }
    old_currency = case.loss_currency or currency
    changes = {
        field: [_plain(getattr(case, field), old_currency), _plain(value, currency)]
        for field, value in new.items()
        if getattr(case, field) != value
    }
    if not changes:
        return case
    for field, value in new.items():
        setattr(case, field, value)
    case.save(update_fields=list(LOSS_FIELDS))
    now = at or timezone.now()
    timeline_add(
        case,
        kind=RemedyEventKind.LOSS_RECORDED,
        actor=user,
        at=now,
        body=f"Loss recorded: {loss_describe(case)}.",
        data={k: _plain(v, currency) for k, v in new.items()},
    )
    audit_record(actor=user, action="case.loss_recorded", obj=case, at=now, changes=changes)
    return case


def _plain(value: object, currency: str) -> object:
    """For JSON: an amount as an exact string in its currency's decimals."""
    return amounts.as_text(value, currency) if isinstance(value, Decimal) else value
