"""Loading the demo business into the configured database, through the same services staff use.

Every case is opened by `makegood.intake.opening`, then owned, answered and resolved by
`makegood.cases.services`, back-dated with their `received_at=` / `at=` arguments, so that
timelines, clocks and the audit log agree exactly as they would for real work.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from makegood.accounts.models import Role, Team
from makegood.accounts.services import api_token_issue, staff_create_or_update, team_get_or_create
from makegood.cases.models import Case, Status
from makegood.cases.services import case_add_customer_message, case_record_response, case_resolve, case_take_ownership
from makegood.causes.demo import demo_cause_set
from makegood.demo import content
from makegood.demo.builders import PlannedCase, StepKind, demo_plan
from makegood.demo.grants import demo_escalation_waiting, demo_remedies_settle
from makegood.demo.handoffs import demo_handoff
from makegood.demo.payments import demo_payment_open, demo_payment_paid
from makegood.followup.models import FollowUp, State
from makegood.intake.opening import case_open
from makegood.remedies.catalogs import catalog_load
from makegood.remedies.loss import case_loss_record
from makegood.remedies.models import Payment

DEFAULT_SEED = 2026
DEFAULT_CASES = 300

# Back-dated demo cases must not e-mail 300 acknowledgements (and replies) to example.com: while
# seeding, tasks go to django-tasks' DummyBackend, which keeps them in memory and runs nothing.
HELD_BACK_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    team: str


@dataclass
class DemoLoaded:
    business: str
    password: str
    logins: list[DemoLogin]
    api_username: str
    api_token: str
    cases_by_channel: Counter[str] = field(default_factory=Counter)
    cases_by_status: Counter[str] = field(default_factory=Counter)
    customers: int = 0

    @property
    def case_count(self) -> int:
        return sum(self.cases_by_channel.values())


@contextmanager
def _tasks_held_back() -> Iterator[None]:
    with override_settings(TASKS=HELD_BACK_TASKS):
        yield


def demo_logins() -> list[DemoLogin]:
    """The demo's staff as they are in the database now (empty when the demo was never loaded)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[s.username for s in content.STAFF]).select_related("staff__team")
    }
    logins = []
    for spec in content.STAFF:
        user = users.get(spec.username)
        if user is None:
            continue
        team = getattr(getattr(user, "staff", None), "team", None)
        logins.append(
            DemoLogin(
                username=spec.username,
                name=user.get_full_name(),
                role=Role(spec.role).label,
                team=team.name if team else "",
            )
        )
    return logins


def _teams() -> dict[str, Team]:
    teams = {}
    for spec in content.TEAMS:
        team = team_get_or_create(spec.name)
        team.location = spec.location
        team.receives_unrouted = spec.receives_unrouted
        team.save(update_fields=["location", "receives_unrouted"])
        teams[spec.slug] = team
    return teams


def _staff(teams: dict[str, Team]) -> dict[str, User]:
    users = {
        spec.username: staff_create_or_update(
            username=spec.username,
            role=spec.role,
            team=teams[spec.team_slug],
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@ridgeway-cycles.example.com",
        )
        for spec in content.STAFF
    }
    # One shared demo password, hashed once: a dozen separate PBKDF2 hashes would cost seconds.
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(password=make_password(content.DEMO_PASSWORD))
    users[content.INTEGRATION_USERNAME] = staff_create_or_update(
        username=content.INTEGRATION_USERNAME,
        role=Role.FRONTLINE,
        team=teams[content.ONLINE],
        first_name="Online store",
        last_name="integration",
    )
    return users


def _load_case(
    planned: PlannedCase, *, teams: dict[str, Team], users: dict[str, User], rng: random.Random, now: datetime
) -> Case:
    case = case_open(
        channel=planned.channel,
        customer_name=planned.customer.name,
        customer_email=planned.customer.email,
        customer_phone=planned.customer.phone,
        story=planned.story,
        expectation=planned.expectation,
        subject=planned.subject,
        external_id=planned.external_id,
        team=teams[planned.team_slug] if planned.team_slug else None,
        created_by=users[planned.created_by] if planned.created_by else None,
        received_at=planned.received_at,
    )
    payments: list[Payment] = []
    # Whoever took the case over in another team (handoffs.py) answers and resolves it from then on.
    taken_over_by: User | None = None
    last_at = planned.received_at
    for i, step in enumerate(planned.steps):
        actor = taken_over_by or (users[step.actor] if step.actor else None)
        if step.kind is StepKind.OWN:
            assert actor is not None
            case = case_take_ownership(case=case, user=actor, at=step.at)
            if planned.loss_kind:
                # The owner records what the customer lost as they take the case.
                case = case_loss_record(
                    case=case,
                    user=actor,
                    loss_kind=planned.loss_kind,
                    severity=planned.severity,
                    loss_amount=planned.loss_amount,
                    business_at_fault=planned.business_at_fault,
                    at=step.at,
                )
                payment = demo_payment_open(case=case, owner=actor, at=step.at)
                payments += [payment] if payment is not None else []
            later = planned.steps[i + 1].at if i + 1 < len(planned.steps) else None
            taken_over_by = demo_handoff(
                case=case,
                complaint=planned.kind,
                owner=actor,
                teams=teams,
                users=users,
                rng=rng,
                owned_at=step.at,
                next_at=later,
                resolved_later=planned.status == Status.RESOLVED,
                now=now,
            )
            case = Case.objects.get(pk=case.pk)
        elif step.kind is StepKind.RESPOND:
            assert actor is not None
            case_record_response(case=case, user=actor, kind=step.response_kind, body=step.body, at=step.at)
        elif step.kind is StepKind.MESSAGE:
            case_add_customer_message(case=case, body=step.body, at=step.at)
        else:
            assert actor is not None
            settled = demo_remedies_settle(case=case, owner=actor, users=users, rng=rng, after=last_at, before=step.at)
            payments += settled
            # Resolving needs a root cause (causes/demo.py), as it does for staff.
            demo_cause_set(case=case, kind=planned.kind, user=actor, at=step.at)
            for payment in payments:
                demo_payment_paid(payment=payment, resolved_at=step.at)
            case = case_resolve(case=case, user=actor, resolution=step.body, at=step.at)
        last_at = step.at
    if case.is_open and case.owner is not None:
        demo_escalation_waiting(case=case, owner=case.owner, users=users, rng=rng, after=last_at, now=now)
    return case


# The follow-up loop, visible at once: the follow-ups already due (cases resolved in the last few
# days) or nearly due fall due one by one over the first minutes after loading, for the worker to
# send; at least a few, however small the demo.
FOLLOW_UPS_FIRST_DUE = timedelta(minutes=1)
FOLLOW_UPS_SPACING = timedelta(seconds=30)
FOLLOW_UPS_AT_LEAST = 3


def _follow_ups_due_soon(now: datetime) -> None:
    scheduled = list(FollowUp.objects.filter(state=State.SCHEDULED).order_by("due_at", "pk"))
    due_soon = sum(1 for f in scheduled if f.due_at < now + timedelta(minutes=10))
    soon = scheduled[: max(due_soon, FOLLOW_UPS_AT_LEAST)]
    for i, follow_up in enumerate(soon):
        follow_up.due_at = now + FOLLOW_UPS_FIRST_DUE + i * FOLLOW_UPS_SPACING
    FollowUp.objects.bulk_update(soon, ["due_at"])


def demo_load(*, seed: int = DEFAULT_SEED, cases: int = DEFAULT_CASES, now: datetime | None = None) -> DemoLoaded:
    """Ridgeway Cycles: four teams, a dozen staff, an API integration and `cases` complaints.

    All or nothing (one transaction). Deterministic for a seed and `now`, apart from the API
    token, which is random like every token.
    """
    if cases < 0:
        raise ValueError("The number of cases cannot be negative.")
    now = now or timezone.now()
    plan = demo_plan(seed=seed, cases=cases, now=now)
    with _tasks_held_back(), transaction.atomic():
        # A bike chain with an online store offers the online shop's remedies; the restaurant's and
        # the hotel's catalogs are loaded too, inactive, for an administrator to look at or switch to.
        for other in ("restaurant", "hotel"):
            catalog_load(name=other, activate=False)
        catalog_load(name="online_shop")
        teams = _teams()
        users = _staff(teams)
        token = api_token_issue(user=users[content.INTEGRATION_USERNAME], name=content.INTEGRATION_TOKEN_NAME)
        rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        loaded = [_load_case(planned, teams=teams, users=users, rng=rng, now=now) for planned in plan]
        _follow_ups_due_soon(now)
    ids = [case.pk for case in loaded]
    rows = Case.objects.filter(pk__in=ids).values_list("channel", "status")
    return DemoLoaded(
        business=content.BUSINESS,
        password=content.DEMO_PASSWORD,
        logins=demo_logins(),
        api_username=content.INTEGRATION_USERNAME,
        api_token=token,
        cases_by_channel=Counter(channel for channel, _status in rows),
        cases_by_status=Counter(status for _channel, status in rows),
        customers=len({planned.customer for planned in plan}),
    )
