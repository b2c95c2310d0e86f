"""The demo's follow-up answers that say the most: customers who said it was not put right (the
case reopens, first in line again, and some owners have already answered them), and satisfied
customers who said what the business could do better (their suggestions go on to the cause's
owner, `improvement.suggestions`). Each through `followup_answer`, recorded by the case's owner
on a follow-up call, as `purchases.py`'s calls (which answer most of the other resolved cases and
leave these alone: they already have a follow-up).

Run after `services.demo_load`, which loads the cases as they were planned (resolved ones stay
resolved there).
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Status
from makegood.cases.services import case_record_response
from makegood.followup.models import FollowUp, Method, State, Via
from makegood.followup.services import followup_answer

SEED = 15
# Cases resolved this long ago at least (the call comes a day after) and at most.
RESOLVED_AFTER, RESOLVED_BEFORE = timedelta(days=3), timedelta(days=60)
REOPENED = 6
# Of the reopened cases, the owner has already called this many back.
ANSWERED_AGAIN = 3
# What customers suggest, by the cause behind their complaint (causes/demo.py).
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "Courier lost or damaged the delivery": (
        "Send a photo when the parcel is delivered.",
        "Let me choose a safe place or a pickup point at checkout.",
    ),
    "Delay in our own process": (
        "Text me when my bike is ready to collect.",
        "Give a realistic date for the workshop, not the best case.",
    ),
    "Order picked or packed wrongly": ("Check the frame size against the order before the box is sealed.",),
    "Faulty or failed product": ("Test the batteries before you sell the e-bikes.",),
    "Billing or payment handled wrongly": ("Show pending card payments on the order page, so a double charge shows.",),
    "Workmanship below standard": ("Give me a checklist of what was done at the service, signed by the mechanic.",),
    "Rude or dismissive treatment": ("Train the counter staff to explain gears without talking down.",),
    "Website or app fault": ("Keep my basket when the checkout fails.",),
    "Nobody followed up": ("Tell me who is handling my question and when I will hear back.",),
    "Wrong information given": ("Keep the opening hours on the website up to date.",),
}
NOT_PUT_RIGHT = (
    "The replacement has the same fault.",
    "Nobody told me the refund went through and my bank shows nothing.",
    "The bike is back at the workshop with the same noise.",
    "I was promised a call back and never got one.",
    "The part still has not arrived.",
)
CALLED_BACK = "Called back after the follow-up: sorry it is not put right yet. I'm on it and will confirm by tonight."


def _candidates(now: datetime) -> list[Case]:
    return list(
        Case.objects.filter(
            status=Status.RESOLVED,
            owner__isnull=False,
            resolved_at__lt=now - RESOLVED_AFTER,
            resolved_at__gt=now - RESOLVED_BEFORE,
            follow_ups__isnull=True,
        )
        .exclude(customer__email="", customer__phone="")
        .select_related("owner", "root_cause__cause")
        .order_by("pk")
    )


def _call(case: Case, *, at: datetime) -> FollowUp:
    """The owner's follow-up call, due a day after the case was resolved."""
    return FollowUp.objects.create(
        case=case, method=Method.CALL, state=State.SENT, due_at=at, sent_at=at, nonce=secrets.token_hex(16)
    )


@transaction.atomic
def demo_followups_load(*, now: datetime | None = None) -> dict[str, int]:
    """Answer a few follow-ups: some reopen their case, some bring a suggestion. Returns the counts."""
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    cases = _candidates(now)
    rng.shuffle(cases)
    reopened = suggested = 0
    for case in cases[:REOPENED]:
        assert case.owner is not None and case.resolved_at is not None
        # The customer answered in the last day or two: the case is back, first in line.
        answered = now - timedelta(hours=rng.uniform(3, 40))
        followup_answer(
            follow_up=_call(case, at=case.resolved_at + timedelta(days=1)),
            resolved=False,
            satisfaction=rng.choice((1, 2, 2, 3)),
            via=Via.CALL,
            comment=rng.choice(NOT_PUT_RIGHT),
            recorded_by=case.owner,
            at=answered,
        )
        if reopened < ANSWERED_AGAIN:
            case_record_response(
                case=case,
                user=case.owner,
                kind=EventKind.CONTACT,
                body=CALLED_BACK,
                at=answered + timedelta(minutes=rng.uniform(5, 50)),
            )
        reopened += 1
    used: set[str] = set()
    for case in cases[REOPENED:]:
        cause = case.root_cause.cause.name if hasattr(case, "root_cause") else ""
        texts = [t for t in SUGGESTIONS.get(cause, ()) if t not in used]
        if not texts:
            continue
        assert case.owner is not None and case.resolved_at is not None
        asked = case.resolved_at + timedelta(days=1)
        used.add(texts[0])
        followup_answer(
            follow_up=_call(case, at=asked),
            resolved=True,
            satisfaction=rng.choice((4, 5)),
            via=Via.CALL,
            suggestion=texts[0],
            recorded_by=case.owner,
            at=asked + timedelta(hours=rng.uniform(1, 6)),
        )
        suggested += 1
    return {"reopened": reopened, "suggestions": suggested}
