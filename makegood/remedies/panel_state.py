"""What an employee can do about remedies on a case right now: the one description of the remedy
panel, read by the case page's panel and by the API's `GET /cases/{reference}/remedies`, so that
both offer the same actions.

It says what can be granted (and how much authority is left), what is left of the loss to put
right and the restitution that puts it right (`restore`), the open offer and its options, the
latest escalation and whether an approval is waiting to be delivered, whether the case can be
escalated, the grants so far, and the extra gesture to suggest: only once the loss is restored
(or there is nothing to restore and something was granted), never before. It writes nothing.

The case page's panel and the guided recovery's Solve step show this same state.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from makegood.cases.models import Case
from makegood.cases.services import CaseActionError
from makegood.remedies.authority import Remaining, Restitution, case_restitution
from makegood.remedies.models import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
    Purpose,
    RemedyType,
)
from makegood.remedies.options import Option
from makegood.remedies.presenters import DeliveryChoice, delivery_choices, option_reason
from makegood.remedies.rules import check_can_grant_on
from makegood.remedies.selectors import (
    authority_status,
    extra_gesture_suggest,
    grants_for_case,
    remedy_types_active,
    restitution_suggest,
)


@dataclass
class CaseAuthority:
    """An employee's remaining authority, and the case its per-case figures are for (if any)."""

    case: Case | None
    remaining: Remaining

    @functools.cached_property
    def figures(self) -> dict[str, str | list[str] | None]:
        """Every figure as an exact decimal string in the authority's currency."""
        return self.remaining.as_dict()


@dataclass(frozen=True)
class RemedyPanel:
    case: Case
    may_grant: bool
    # Why the employee cannot act on this case ("" when they can).
    why_not: str
    remaining: Remaining | None
    grantable: list[RemedyType]
    grants: list[Grant]
    offer: Offer | None
    escalation: Escalation | None
    authorization: Authorization | None
    deliverable: bool
    delivery_choices: list[DeliveryChoice]
    can_escalate: bool
    extra: Option | None
    now: datetime
    options: list[dict[str, Any]] = field(default_factory=list)
    # The loss, what was restored of it and what is left (None: a role that may not grant).
    restitution: Restitution | None = None
    # "Put it right first": the restitution to grant now, while the loss is not restored.
    restore: Option | None = None

    @property
    def can_act(self) -> bool:
        return not self.why_not

    @property
    def open_offer(self) -> Offer | None:
        """The latest offer while the customer has not answered it."""
        return self.offer if self.offer is not None and self.offer.status == OfferStatus.OPEN else None

    @property
    def pending(self) -> bool:
        """Waiting for a manager's decision."""
        return self.escalation is not None and self.escalation.status == EscalationStatus.PENDING

    @property
    def busy(self) -> bool:
        """An offer to answer, an approval to deliver or a manager to wait for."""
        return self.open_offer is not None or self.deliverable or self.pending

    @property
    def restored(self) -> list[Grant]:
        """The grants that put right what failed (restitution)."""
        return [g for g in self.grants if g.purpose == Purpose.RESTITUTION]

    @property
    def compensated(self) -> list[Grant]:
        """The grants for the trouble (compensation), charged to the caps."""
        return [g for g in self.grants if g.purpose != Purpose.RESTITUTION]

    @property
    def grants_cost(self) -> dict[str, Decimal]:
        """What the grants so far cost, per currency."""
        costs: dict[str, Decimal] = {}
        for grant in self.grants:
            costs[grant.currency] = costs.get(grant.currency, Decimal(0)) + grant.cost
        return costs


def _grantable(remaining: Remaining, case: Case) -> list[RemedyType]:
    """What the employee's role may grant on this case's channel, in their authority's currency."""
    allowed = remaining.policy.allowed_kinds
    return [
        r
        for r in remedy_types_active(currency=remaining.currency)
        if r.kind in allowed and r.allows_channel(case.channel)
    ]


def remedy_panel_state(*, case: Case, user: User, suggest_extra: bool = True) -> RemedyPanel:
    """The remedy panel of `case` as `user` sees it (`suggest_extra=False`: they skipped the extra
    gesture). The caller has checked that the user may see the case."""
    may_grant = user.has_perm("remedies.grant_remedy")
    why_not = ""
    try:
        check_can_grant_on(user, case)
    except CaseActionError as exc:
        why_not = str(exc)
    can_act = not why_not
    remaining = authority_status(user=user, case=case) if may_grant else None
    grants = list(grants_for_case(case=case))
    offer = Offer.objects.filter(case=case).select_related("case", "made_by").order_by("-made_at", "-pk").first()
    # The latest escalation with its approval (a reverse one-to-one) and their people, in one query.
    escalation = (
        Escalation.objects.filter(case=case)
        .select_related(
            "case",
            "raised_by",
            "decided_by",
            "authorization__employee",
            "authorization__approved_by",
            "authorization__remedy_type",
        )
        .order_by("-raised_at", "-pk")
        .first()
    )
    authorization: Authorization | None = None
    if escalation is not None and escalation.status == EscalationStatus.APPROVED:
        try:
            authorization = escalation.authorization
        except ObjectDoesNotExist:
            authorization = None
    now = timezone.now()
    deliverable = (
        authorization is not None
        and can_act
        and authorization.employee_id == user.pk
        and authorization.used_at is None
        and authorization.expires_at > now
    )
    choices = delivery_choices(authorization, channel=case.channel) if deliverable and authorization else []
    open_offer = offer if offer is not None and offer.status == OfferStatus.OPEN else None
    pending = escalation is not None and escalation.status == EscalationStatus.PENDING
    can_escalate = (
        can_act
        and offer is not None
        and offer.status == OfferStatus.DECLINED
        and not pending
        and (escalation is None or escalation.offer_id != offer.pk)
    )
    idle = can_act and open_offer is None and not pending and not deliverable
    restitution = case_restitution(case, remaining) if remaining is not None else None
    restore: Option | None = None
    if idle and remaining is not None and restitution is not None and restitution.left > 0:
        restore = restitution_suggest(case=case, user=user, remaining=remaining)
    # Something extra comes after the loss is put right: once restitution was granted, or when
    # nothing restores this loss (being ignored, time lost) and something was granted already.
    restored_first = restitution is not None and restitution.started
    nothing_to_restore = restore is None and bool(grants)
    extra: Option | None = None
    if suggest_extra and idle and restore is None and (restored_first or nothing_to_restore):
        extra = extra_gesture_suggest(case=case, user=user, remaining=remaining)
    options = (
        [{**o, "index": i, "reason": option_reason(o, case=case)} for i, o in enumerate(open_offer.options)]
        if open_offer is not None
        else []
    )
    return RemedyPanel(
        case=case,
        may_grant=may_grant,
        why_not=why_not,
        remaining=remaining,
        grantable=_grantable(remaining, case) if remaining is not None and can_act else [],
        grants=grants,
        offer=offer,
        escalation=escalation,
        authorization=authorization,
        deliverable=deliverable,
        delivery_choices=choices,
        can_escalate=can_escalate,
        extra=extra,
        now=now,
        options=options,
        restitution=restitution,
        restore=restore,
    )
