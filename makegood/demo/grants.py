"""The demo's remedies, granted by the case's owner before they resolve it, as the remedies panel
would have them do it:

- put right first: the restitution the panel suggests for what is left of the loss
  (`remedies.selectors.restitution_suggest`), outside the caps;
- often something extra for the trouble, within the owner's authority (`extra_gesture_suggest`);
- now and then the customer wants more than a frontline employee may give: the options are put
  to them (`offer_record`), declined (`offer_decline`), the case escalated (`escalation_open`),
  a manager of the team approves (`approval_decide`) and the employee grants what was approved.

Open cases of a frontline owner wait on a manager now and then (a pending escalation), so that
the approvals page and the queue's "Waiting on a manager" have something true to show. Every
money remedy opens a payment (`remedy_grant` does); it is marked paid before the case is resolved
(`payments.demo_payment_paid`).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from makegood.accounts.models import Role
from makegood.cases.models import Case
from makegood.cases.services import CaseActionError
from makegood.demo import content
from makegood.demo.payments import SHOWCASE_IDS
from makegood.remedies.authority import authority_remaining
from makegood.remedies.escalations import approval_decide, escalation_open
from makegood.remedies.models import Authorization, Escalation, Grant, Payment, RemedyKind, RemedyType
from makegood.remedies.offers import offer_decline, offer_record
from makegood.remedies.options import Option
from makegood.remedies.selectors import extra_gesture_suggest, options_for_demand, restitution_suggest
from makegood.remedies.services import remedy_grant

EXTRA_SHARE = 0.45
APPROVAL_SHARE = 0.12
WAITING_SHARE = 0.35
# What a customer asks for beyond a frontline employee's $50 a case: store credit.
ASKED_CREDIT = (Decimal("75.00"), Decimal("100.00"), Decimal("150.00"))
ESCALATION_NOTE = "The customer wants store credit for the trouble on top of putting it right; beyond my authority."
APPROVAL_NOTE = "Approved: a loyal customer, and we let them down twice."
# A pending escalation is raised this long before the demo is loaded, at most.
WAITING_AT_MOST = timedelta(hours=20)


def _manager_of(case: Case, users: dict[str, User], *, not_user: User) -> User | None:
    team_slug = next((t.slug for t in content.TEAMS if case.team is not None and t.name == case.team.name), "")
    managers = [s.username for s in content.STAFF if s.team_slug == team_slug and s.role == Role.MANAGER]
    return next((users[name] for name in managers if users[name].pk != not_user.pk), None)


def _is_frontline(user: User) -> bool:
    return any(s.username == user.username and s.role == Role.FRONTLINE for s in content.STAFF)


def _order_reference(case: Case) -> str:
    return case.external_id or f"ORD-{case.pk}"


def _grant_option(case: Case, owner: User, option: Option, *, at: datetime, note: str = "") -> Grant | None:
    remedy_type = RemedyType.objects.get(pk=option.remedy_type_id)
    try:
        return remedy_grant(
            case=case,
            user=owner,
            remedy_type=remedy_type,
            amount=option.amount if remedy_type.is_variable else None,
            order_reference=_order_reference(case),
            note=note,
            at=at,
        )
    except (ValidationError, CaseActionError):
        return None  # beyond what the catalog or authority allows today: the demo moves on


def _payments(grants: list[Grant | None]) -> list[Payment]:
    ids = [g.pk for g in grants if g is not None]
    return list(Payment.objects.filter(grant_id__in=ids)) if ids else []


def _escalate(case: Case, owner: User, *, asked: Decimal, at: datetime, step: timedelta) -> Escalation | None:
    """The options for what the customer asks, put to them and declined, then the escalation."""
    try:
        options = options_for_demand(case=case, user=owner, demand_kind=RemedyKind.GIFT_CARD, demand_amount=asked)
    except (ValidationError, CaseActionError):
        return None
    if options.demand_option is not None:
        return None  # it fits the owner's authority after all: nothing to escalate
    offer = offer_record(case=case, user=owner, option_set=options, at=at)
    offer_decline(offer=offer, user=owner, at=at + step)
    return escalation_open(case=case, user=owner, note=ESCALATION_NOTE, at=at + 2 * step)


def demo_remedies_settle(
    *, case: Case, owner: User, users: dict[str, User], rng: random.Random, after: datetime, before: datetime
) -> list[Payment]:
    """What the owner grants between `after` (their last step) and `before` (resolving); the
    payments those grants opened, for the caller to mark paid before resolving."""
    if case.external_id in SHOWCASE_IDS:
        return []
    window = before - after
    grants: list[Grant | None] = []
    restore = restitution_suggest(
        case=case, user=owner, remaining=authority_remaining(user=owner, case_id=case.pk, at=after)
    )
    if restore is not None:
        grants.append(_grant_option(case, owner, restore, at=after + window * 0.1, note="Put right first."))
    manager = _manager_of(case, users, not_user=owner) if _is_frontline(owner) else None
    if manager is not None and case.loss_amount is not None and rng.random() < APPROVAL_SHARE:
        asked = rng.choice(ASKED_CREDIT)
        escalation = _escalate(case, owner, asked=asked, at=after + window * 0.2, step=window * 0.02)
        if escalation is not None:
            approval_decide(
                escalation=escalation, manager=manager, approve=True, note=APPROVAL_NOTE, at=after + window * 0.4
            )
            authorization = Authorization.objects.get(escalation=escalation)
            credit = RemedyType.objects.filter(active=True, kind=RemedyKind.GIFT_CARD).order_by("pk").first()
            if credit is not None:
                grants.append(
                    remedy_grant(
                        case=case,
                        user=owner,
                        remedy_type=credit,
                        amount=asked,
                        authorization=authorization,
                        at=after + window * 0.5,
                    )
                )
            return _payments(grants)
    if rng.random() < EXTRA_SHARE:
        extra = extra_gesture_suggest(
            case=case, user=owner, remaining=authority_remaining(user=owner, case_id=case.pk, at=after)
        )
        if extra is not None:
            grants.append(_grant_option(case, owner, extra, at=after + window * 0.3))
    return _payments(grants)


def demo_escalation_waiting(
    *, case: Case, owner: User, users: dict[str, User], rng: random.Random, after: datetime, now: datetime
) -> Escalation | None:
    """An open case of a frontline owner whose customer asks for more: escalated, and waiting."""
    if case.external_id in SHOWCASE_IDS or case.loss_amount is None or not case.is_open:
        return None
    if not _is_frontline(owner) or _manager_of(case, users, not_user=owner) is None:
        return None
    if rng.random() >= WAITING_SHARE:
        return None
    at = max(after, now - WAITING_AT_MOST) + timedelta(minutes=rng.uniform(5, 30))
    if at >= now - timedelta(minutes=5):
        return None
    return _escalate(case, owner, asked=rng.choice(ASKED_CREDIT), at=at, step=timedelta(minutes=2))
