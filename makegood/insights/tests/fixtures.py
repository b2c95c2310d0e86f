"""A hand-built month with known answers (worked out in the comments), through the real services.

T0 is Monday 2 March 2026, 09:00 UTC; team North has no opening hours (always open), so every
delay is real time. Targets: web and e-mail 1 hour, phone 1 minute (the defaults).

- A (web): Alice answers after 30 min, resolves at 2 h; the customer says resolved, 5/5. Compensation
  cost 10, value 30. One-touch, no repeat, confirmed.
- B (web): Alice answers after 2 h (late), resolves at day 1; the customer says "not resolved", 2/5
  (reopened on day 2); Alice answers again and resolves at day 3; the customer then says resolved,
  4/5. Cost 20, value 40. The first response stays 2 h (the reply before the reopen); reopened then
  satisfied: satisfied and confirmed, but not one-touch.
- C (phone): Alice calls back after 30 s; escalated; Bob (manager) takes it over and resolves at 3 h.
  Never answered a follow-up (the "no answers" edge). Not one-touch, not within own authority.
- D (web): C's customer again, 8 days after C was resolved (a repeat contact on day 8: C still
  counts as "no repeat" within 7 days). Nobody answers: past its target, a miss.
- E (e-mail): answered after 20 min, resolved at 1 h; its customer comes back 3 days later (F):
  E is a repeat contact.
- F (e-mail): answered after 10 min, resolved at 1 h.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import time_machine
from django.contrib.auth.models import User

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case
from makegood.cases.services import case_record_response, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.causes.models import CaseCause
from makegood.causes.services import cause_category_create, cause_create
from makegood.followup.models import FollowUp, State, Via
from makegood.followup.services import followup_answer, followup_record_sent
from makegood.remedies.models import Escalation, Grant, Purpose
from makegood.remedies.tests.factories import make_remedy

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRST_DAY, LAST_DAY = date(2026, 3, 1), date(2026, 3, 31)
H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)


@dataclass
class Month:
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case
    f: Case


def _open(at: datetime, channel: str, email: str, phone: str = "") -> Case:
    with time_machine.travel(at, tick=False):
        return make_case(channel=channel, customer_email=email, customer_phone=phone, received_at=at)


def _step(at: datetime, fn, **kwargs):
    with time_machine.travel(at, tick=False):
        return fn(at=at, **kwargs)


def _answer(case: Case, *, sent: datetime, resolved: bool, satisfaction: int) -> None:
    follow_up = FollowUp.objects.get(case=case, state=State.SCHEDULED)
    _step(sent, followup_record_sent, follow_up=follow_up, to=case.customer.email or "call")
    follow_up.refresh_from_db()
    _step(
        sent + H,
        followup_answer,
        follow_up=follow_up,
        resolved=resolved,
        satisfaction=satisfaction,
        via=Via.WEB,
    )


def _resolve_simply(case: Case, owner: User, *, respond: timedelta, resolve: timedelta, kind: str) -> Case:
    start = case.received_at
    _step(start + M / 2 if respond > M else start + respond / 2, case_take_ownership, case=case, user=owner)
    _step(start + respond, case_record_response, case=case, user=owner, kind=kind, body="Spoke to them.")
    return _step(start + resolve, case_resolve, case=case, user=owner, resolution="Put right.")


def _grant(case: Case, user: User, cost: str, value: str) -> None:
    remedy = make_remedy(f"voucher-{case.pk}")
    Grant.objects.create(
        case=case,
        remedy_type=remedy,
        kind=remedy.kind,
        purpose=Purpose.COMPENSATION,
        name=remedy.name,
        cost=Decimal(cost),
        value=Decimal(value),
        currency="USD",
        granted_by=user,
        charged_to=user,
        granted_at=case.received_at + H,
    )


def build_month(alice: User, bob: User) -> Month:
    a = _open(T0, "web", "a@example.com")
    category = cause_category_create(name="Delivery")
    late = cause_create(category=category, name="Parcel late")
    CaseCause.objects.create(case=a, cause=late, received_at=a.received_at)
    _resolve_simply(a, alice, respond=30 * M, resolve=2 * H, kind=EventKind.REPLY_SENT)
    _answer(a, sent=T0 + D, resolved=True, satisfaction=5)
    _grant(a, alice, "10.00", "30.00")

    b = _open(T0 + H, "web", "b@example.com")
    _resolve_simply(b, alice, respond=2 * H, resolve=D, kind=EventKind.REPLY_SENT)
    _answer(b, sent=T0 + H + D + 22 * H, resolved=False, satisfaction=2)  # reopened at T0 + 2d
    b.refresh_from_db()
    _step(T0 + 2 * D + 3 * H, case_record_response, case=b, user=alice, kind=EventKind.REPLY_SENT, body="Again.")
    _step(T0 + H + 3 * D, case_resolve, case=b, user=alice, resolution="Fixed properly.")
    _answer(b, sent=T0 + H + 4 * D, resolved=True, satisfaction=4)
    _grant(b, alice, "20.00", "40.00")

    c = _open(T0 + 2 * H, "phone", "cd@example.com", "+14155550100")
    start = c.received_at
    _step(start + 10 * timedelta(seconds=1), case_take_ownership, case=c, user=alice)
    _step(start + 30 * timedelta(seconds=1), case_record_response, case=c, user=alice, kind=EventKind.CONTACT, body="x")
    Escalation.objects.create(case=c, raised_by=alice, currency="USD", raised_at=start + H)
    _step(start + 2 * H, case_take_ownership, case=c, user=bob)
    _step(start + 3 * H, case_resolve, case=c, user=bob, resolution="A manager's goodwill.")

    d = _open(T0 + 5 * H + 8 * D + H, "web", "cd@example.com")

    e = _open(T0 + D, "email", "ef@example.com")
    _resolve_simply(e, alice, respond=20 * M, resolve=H, kind=EventKind.REPLY_SENT)
    f = _open(T0 + D + H + 3 * D, "email", "ef@example.com")
    _resolve_simply(f, alice, respond=10 * M, resolve=H, kind=EventKind.REPLY_SENT)
    for case in (a, b, c, d, e, f):
        case.refresh_from_db()
    return Month(a, b, c, d, e, f)
