"""The demo's hand-offs: a complaint about a store's workshop or counter that came in by the web,
e-mail, chat or social media lands at the Online Desk; whoever takes it there hands it to that
store with the reason (`cases.handoffs.case_transfer`), and someone at the store takes it over
(`case_take_ownership`) and answers and resolves it from then on. An open case is still waiting
for the store to take it: both teams see it, and the desk's person keeps the customer meanwhile.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from makegood.accounts.models import Role, Team
from makegood.cases.handoffs import case_transfer
from makegood.cases.models import Case
from makegood.cases.services import case_take_ownership
from makegood.demo import content
from makegood.remedies.models import Payment, PaymentStatus

# The complaints about something a store did (its workshop, its counter, its door).
STORE_COMPLAINTS = frozenset(
    {
        "repair_overdue",
        "rude_staff",
        "brake_after_service",
        "missing_accessories",
        "scratched_frame",
        "appointment_cancelled",
        "motor_noise",
        "cycle_to_work",
        "store_closed",
        "tubeless_leak",
        "trade_in",
        "rental_flat",
        "wrong_part",
        "access_blocked",
        "long_queue",
        "sizing_advice",
    }
)
TRANSFER_SHARE = 0.8
# How long after taking it the desk's person asks the store, at most.
WAIT_BEFORE_ASKING = timedelta(minutes=30)
REASON = "The customer is talking about our {store} store's {what}: {team} can look at it and answer first-hand."


def _store_named(story: str) -> content.DemoTeam | None:
    return next((team for team in content.TEAMS if team.store and team.store in story), None)


def _frontline_of(team_slug: str) -> list[str]:
    return [s.username for s in content.STAFF if s.team_slug == team_slug and s.role == Role.FRONTLINE]


def demo_handoff(
    *,
    case: Case,
    complaint: str,
    owner: User,
    teams: dict[str, Team],
    users: dict[str, User],
    rng: random.Random,
    owned_at: datetime,
    next_at: datetime | None,
    resolved_later: bool,
    now: datetime,
) -> User | None:
    """Hand a store's complaint taken at the Online Desk on to that store; the person there who
    took it (None: not handed on, or not taken yet). `next_at` is when the case's next step
    happens (the store's person does it), None when nothing happened after it was taken; a case
    that stays open is still waiting for the store."""
    store = _store_named(case.story)
    desk = teams[content.ONLINE]
    if complaint not in STORE_COMPLAINTS or store is None or case.team_id != desk.pk:
        return None
    if rng.random() >= TRANSFER_SHARE:
        return None
    if Payment.objects.filter(case=case, status=PaymentStatus.TO_PAY).exists():
        # The desk's person is paying back a wrong charge: they keep the case (once it moved, the
        # payment's person could no longer see it to mark it paid).
        return None
    gap = min((next_at or now) - owned_at, WAIT_BEFORE_ASKING * 5)
    to_team = teams[store.slug]
    what = "workshop" if "workshop" in case.story else "staff"
    case = case_transfer(
        case=case,
        user=owner,
        to_team=to_team,
        reason=REASON.format(store=store.store, what=what, team=to_team.name),
        at=owned_at + gap * 0.2,
    )
    if not resolved_later:
        return None  # the store has not taken it yet: both teams see it, and the owner keeps it
    taker = users[rng.choice(_frontline_of(store.slug))]
    case_take_ownership(case=case, user=taker, at=owned_at + gap * 0.5)
    return taker
