"""What an employee can do about remedies on a case right now: the one description of the remedy
panel, read by the case page's panel and by the API's `GET /cases/{reference}/remedies`, so that
both offer the same actions.

It says what can be granted (and how much authority is left), the open offer and its options,
the latest escalation and whether an approval is waiting to be delivered, whether the case can be
escalated, the grants so far, and the extra gesture to suggest. It writes nothing.
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
from makegood.remedies.authority import Remaining
from makegood.remedies.models import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
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
    extra: Option | None = None
    if suggest_extra and can_act and open_offer is None and not pending and not deliverable:
        extra = extra_gesture_suggest(case=case, user=user)
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
    )
