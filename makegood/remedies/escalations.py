"""Escalation: when the customer declines all three options, a manager decides.

There is no "deny". A manager either approves (an authorization comes back to the employee, who
delivers the good news and grants it) or takes the case over and contacts the customer personally.
Frontline staff have no decision function at all: `approval_decide` requires the
`remedies.decide_escalation` permission, which only managers and administrators hold.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from makegood import money as amounts
from makegood.accounts.roles import can_view_case
from makegood.cases.audit import audit_record
from makegood.cases.models import Case, Notification
from makegood.cases.services import CaseActionError, case_take_ownership
from makegood.cases.timeline import case_lock, notify_owner_or_team
from makegood.remedies.authority import authority_policy, authority_remaining, money
from makegood.remedies.entries import cost_and_value
from makegood.remedies.kinds import RemedyEventKind, RemedyNotificationKind
from makegood.remedies.models import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
    RemedyKind,
    RemedyType,
)
from makegood.remedies.rules import check_can_grant_on, check_currency, clean_text, parse_amount
from makegood.remedies.services import MAX_NOTE, authority_lock, timeline_add

# How long an approval waits for the employee to deliver it.
AUTHORIZATION_VALID_FOR = timedelta(days=3)
STORY_EVENTS = 30


def _story(
    case: Case, *, offer: Offer | None, demand_kind: str, demand_amount: Decimal | None, currency: str, note: str
) -> dict[str, Any]:
    """Everything the manager needs without opening five screens: a snapshot at escalation time."""
    events = list(case.events.select_related("actor").order_by("-at", "-pk")[:STORY_EVENTS])
    grants = Grant.objects.filter(case=case).order_by("granted_at", "pk")
    return {
        "reference": case.reference,
        "customer": case.customer.name,
        "channel": case.channel,
        "story": case.story,
        "expectation": case.expectation,
        "loss": {
            "kind": case.loss_kind,
            "amount": amounts.as_text(case.loss_amount, case.loss_currency),
            "currency": case.loss_currency,
            "severity": case.severity,
            "business_at_fault": case.business_at_fault,
            "repeat_failure": case.is_repeat_failure,
        },
        "feeling": case.feeling or case.detected_feeling,
        "demand": {"kind": demand_kind, "amount": amounts.as_text(demand_amount, currency)},
        "note": note,
        "offered": offer.options if offer is not None else [],
        "offer_reason": offer.reason if offer is not None else "",
        "granted": [
            {
                "name": g.name,
                "amount": amounts.as_text(g.amount, g.currency),
                "cost": amounts.as_text(g.cost, g.currency),
            }
            for g in grants
        ],
        "timeline": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind,
                "actor": e.actor.get_username() if e.actor is not None else "",
                "body": e.body[:500],
            }
            for e in reversed(events)
        ],
    }


@transaction.atomic
def escalation_open(
    *,
    case: Case,
    user: User,
    note: str = "",
    offer: Offer | None = None,
    demand_kind: str | None = None,
    demand_amount: Decimal | str | int | None = None,
    currency: str | None = None,
    at: datetime | None = None,
) -> Escalation:
    """The customer declined all the options: ask a manager, with the full story attached.

    `offer` defaults to the case's latest offer, which must have been declined. The demand
    defaults to that offer's.
    """
    note = clean_text(note, "note", MAX_NOTE)
    kind = demand_kind or ""
    if kind not in ("", *RemedyKind.values):
        raise ValidationError({"demand_kind": [f"Unknown remedy kind {str(kind)[:40]!r}."]})
    policy = authority_policy(user)
    amount = parse_amount(demand_amount, currency=policy.currency, field="demand_amount")
    case = case_lock(case)
    check_can_grant_on(user, case)
    check_currency(currency, policy.currency)
    if offer is None:
        offer = Offer.objects.filter(case=case).order_by("-made_at", "-pk").first()
    if offer is None or offer.case_id != case.pk or offer.status != OfferStatus.DECLINED:
        raise CaseActionError("Offer the customer the options first; escalate when they decline all of them.")
    kind = kind or offer.demand_kind
    amount = amount if amount is not None else offer.demand_amount
    if not kind and amount is None:
        raise ValidationError({"demand_amount": ["Say what the customer is asking for."]})
    if Escalation.objects.filter(case=case, status=EscalationStatus.PENDING).exists():
        raise CaseActionError("This case is already waiting for a manager's decision.")
    now = at or timezone.now()
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                case=case,
                offer=offer,
                raised_by=user,
                raised_at=now,
                demand_kind=kind,
                demand_amount=amount,
                currency=policy.currency,
                note=note,
                story=_story(
                    case, offer=offer, demand_kind=kind, demand_amount=amount, currency=policy.currency, note=note
                ),
            )
    except IntegrityError:
        raise CaseActionError("This case is already waiting for a manager's decision.") from None
    asked = escalation.get_demand_kind_display() if kind else "Money back"
    if amount is not None:
        asked += f" of {money(amount, policy.currency)}"
    timeline_add(
        case,
        kind=RemedyEventKind.ESCALATED,
        actor=user,
        at=now,
        body=f"Escalated to a manager. The customer asks for: {asked}." + (f" {note}" if note else ""),
        data={"escalation_id": escalation.pk},
    )
    audit_record(actor=user, action="remedy.escalated", obj=escalation, at=now, changes={"case": case.pk})
    return escalation


def _approval_terms(
    escalation: Escalation, *, remedy_type: RemedyType | None, amount: Decimal | None
) -> tuple[str, RemedyType | None, Decimal | None, Decimal]:
    """(kind, remedy type, most amount, most cost) the manager approves; the cost is reserved."""
    currency = escalation.currency
    amount = amount if amount is not None else escalation.demand_amount
    if remedy_type is not None:
        if not remedy_type.active or remedy_type.currency != currency:
            raise ValidationError({"remedy_type": [f"{remedy_type.name} cannot be granted here."]})
        if remedy_type.is_variable:
            if amount is None:
                raise ValidationError({"amount": [f"Say how much {remedy_type.name} you approve."]})
            lo, hi = remedy_type.min_amount, remedy_type.max_amount
            if lo is not None and hi is not None and not lo <= amount <= hi:
                span = f"{money(lo, currency)} to {money(hi, currency)}"
                raise ValidationError({"amount": [f"{remedy_type.name} goes from {span}."]})
            return remedy_type.kind, remedy_type, amount, cost_and_value(remedy_type, amount)[0]
        return remedy_type.kind, remedy_type, None, Decimal(remedy_type.cost)
    kind = escalation.demand_kind
    if not kind:
        if amount is None:
            raise ValidationError({"amount": ["Say how much you approve."]})
        return "", None, amount, amount
    costs = []
    for candidate in RemedyType.objects.filter(active=True, currency=currency, kind=kind):
        if candidate.is_variable:
            lo, hi = candidate.min_amount, candidate.max_amount
            if amount is not None and lo is not None and hi is not None and lo <= amount <= hi:
                costs.append(cost_and_value(candidate, amount)[0])
        else:
            costs.append(Decimal(candidate.cost))
    if not costs:
        raise ValidationError({"remedy_type": ["No active remedy makes this demand; choose one to approve."]})
    return kind, None, amount, max(costs)


@transaction.atomic
def approval_decide(
    *,
    escalation: Escalation,
    manager: User,
    approve: bool,
    note: str = "",
    remedy_type: RemedyType | None = None,
    amount: Decimal | str | int | None = None,
    at: datetime | None = None,
) -> Escalation:
    """A manager's decision. Approve: an authorization for the employee (by default for what the
    customer asked; `remedy_type`/`amount` narrow it), reserved against the manager's own
    authority. Not approve: the manager takes the case over and contacts the customer personally.
    """
    note = clean_text(note, "note", MAX_NOTE)
    parsed = parse_amount(amount, currency=escalation.currency)
    if not manager.is_authenticated or not manager.has_perm("remedies.decide_escalation"):
        raise CaseActionError("Only a manager can decide on an escalation.")
    if escalation.raised_by_id == manager.pk:
        raise CaseActionError("Another manager must decide on your own escalation.")
    if approve:
        authority_lock(manager.pk)
    escalation = (
        Escalation.objects.select_for_update(of=("self",)).select_related("case", "raised_by").get(pk=escalation.pk)
    )
    case = escalation.case
    if not can_view_case(manager, case):
        raise CaseActionError("This case belongs to another team.")
    if escalation.status != EscalationStatus.PENDING:
        raise CaseActionError(f"This escalation was already decided ({escalation.get_status_display().lower()}).")
    now = at or timezone.now()
    escalation.decided_by = manager
    escalation.decided_at = now
    escalation.decision_note = note
    who = manager.get_full_name() or manager.get_username()
    if approve:
        kind, approved_type, max_amount, max_cost = _approval_terms(escalation, remedy_type=remedy_type, amount=parsed)
        policy = authority_policy(manager)
        if kind and kind not in policy.allowed_kinds:
            raise ValidationError({"remedy_type": ["Your own role may not grant this kind of remedy."]})
        remaining = authority_remaining(user=manager, case_id=case.pk, at=now, policy=policy)
        if policy.currency != escalation.currency or not remaining.allows(max_cost):
            raise ValidationError(
                {
                    "amount": [
                        f"This needs {money(max_cost, escalation.currency)}, beyond your own authority "
                        f"({money(remaining.left, remaining.currency)} left); ask an administrator."
                    ]
                }
            )
        authorization = Authorization.objects.create(
            escalation=escalation,
            case=case,
            employee=escalation.raised_by,
            approved_by=manager,
            remedy_kind=kind,
            remedy_type=approved_type,
            max_amount=max_amount,
            max_cost=max_cost,
            currency=escalation.currency,
            created_at=now,
            expires_at=now + AUTHORIZATION_VALID_FOR,
        )
        escalation.status = EscalationStatus.APPROVED
        escalation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        what = approved_type.name if approved_type else (RemedyKind(kind).label if kind else "A remedy")
        limit = money(max_amount, escalation.currency) if max_amount is not None else ""
        employee = escalation.raised_by.get_full_name() or escalation.raised_by.get_username()
        body = f"{who} approved: {what}" + (f" up to {limit}" if limit else "") + "."
        body += f" {employee}, tell the customer the good news and grant it."
        timeline_add(
            case,
            kind=RemedyEventKind.APPROVED,
            actor=manager,
            at=now,
            body=body + (f" {note}" if note else ""),
            data={"escalation_id": escalation.pk, "authorization_id": authorization.pk},
        )
        # The employee who asked hears at once: the good news is theirs to deliver.
        notify_owner_or_team(
            case,
            kind=RemedyNotificationKind.APPROVED,
            message=f"{case.reference}: {who} approved {what}" + (f" up to {limit}" if limit else "") + ".",
            at=now,
            also=[escalation.raised_by_id],
        )
        audit_record(
            actor=manager,
            action="remedy.escalation_approved",
            obj=escalation,
            at=now,
            changes={
                "authorization": authorization.pk,
                "max_cost": amounts.as_text(max_cost, escalation.currency),
                "currency": escalation.currency,
            },
        )
        return escalation
    escalation.status = EscalationStatus.TAKEN_OVER
    escalation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    previous_owner_id = case.owner_id
    if case.owner_id != manager.pk:
        case_take_ownership(case=case, user=manager, at=now)  # tells the owner it was taken over
    if escalation.raised_by_id not in (previous_owner_id, manager.pk):
        # Whoever escalated hears the decision too, even when the case was no longer theirs.
        Notification.objects.create(
            case=case,
            kind=RemedyNotificationKind.TAKEN_OVER,
            user_id=escalation.raised_by_id,
            message=f"{case.reference}: {who} did not approve the escalation and took the case over.",
            created_at=now,
        )
    timeline_add(
        case,
        kind=RemedyEventKind.TAKEN_OVER,
        actor=manager,
        at=now,
        body=f"{who} took the case over and will contact the customer personally." + (f" {note}" if note else ""),
        data={"escalation_id": escalation.pk},
    )
    audit_record(
        actor=manager, action="remedy.escalation_taken_over", obj=escalation, at=now, changes={"case": case.pk}
    )
    return escalation
