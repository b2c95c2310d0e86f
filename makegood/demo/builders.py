"""The demo as a plan: which cases arrive when, from whom, and what the staff do about them.

Pure and deterministic: the same seed and `now` give the same plan, without touching the
database. `services.demo_load` carries the plan out through the case services.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import DEFAULT_RESPONSE_TARGETS, LIVE_CHANNELS, Status
from makegood.demo import content
from makegood.demo.content import CHAT, EMAIL, IN_PERSON, ONLINE, PHONE, SOCIAL, WEB, Complaint
from makegood.demo.losses import LOSSES, SHOWCASES, Showcase

HISTORY_DAYS = 90
CHANNEL_WEIGHTS = {WEB: 25, EMAIL: 22, PHONE: 18, IN_PERSON: 15, CHAT: 12, SOCIAL: 8}
FRESH_CHANNELS = (WEB, EMAIL, SOCIAL, CHAT, WEB, PHONE)
REPEAT_CUSTOMER_SHARE = 0.18
# Nothing in the plan happens later than this before `now`, so the demo never shows the future.
SAFETY_MARGIN = timedelta(minutes=2)


class StepKind(Enum):
    OWN = "own"
    RESPOND = "respond"
    MESSAGE = "message"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class PlannedCustomer:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class PlannedStep:
    at: datetime
    kind: StepKind
    body: str
    actor: str = ""  # username; customers' messages have none
    response_kind: str = ""  # EventKind.REPLY_SENT or EventKind.CONTACT, for RESPOND


@dataclass(frozen=True)
class PlannedCase:
    received_at: datetime
    channel: str
    team_slug: str | None  # None: the team that receives unrouted complaints
    customer: PlannedCustomer
    subject: str
    story: str
    expectation: str
    external_id: str
    created_by: str | None
    steps: tuple[PlannedStep, ...]
    # What the customer lost, recorded by the owner when they take the case (none: not recorded).
    loss_kind: str = ""
    loss_amount: Decimal | None = None
    severity: str = ""
    business_at_fault: bool = False
    kind: str = ""  # the complaint's key (content.py): its root cause in the demo

    @property
    def status(self) -> str:
        kinds = {step.kind for step in self.steps}
        if StepKind.RESOLVE in kinds:
            return Status.RESOLVED
        return Status.OPEN if StepKind.OWN in kinds else Status.NEW


def _slug_part(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class _Planner:
    def __init__(self, *, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.now = now
        self.customers: list[PlannedCustomer] = []
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.responders = {
            team.slug: [
                (s.username, 3 if s.role == Role.FRONTLINE else 1)
                for s in content.STAFF
                if s.team_slug == team.slug and s.role in (Role.FRONTLINE, Role.MANAGER)
            ]
            for team in content.TEAMS
        }
        self.store_names = {team.slug: team.store for team in content.TEAMS if team.store}

    # People -------------------------------------------------------------------------------------

    def responder(self, team_slug: str) -> str:
        names, weights = zip(*self.responders[team_slug], strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def new_customer(self, channel: str) -> PlannedCustomer:
        rng = self.rng
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        email = phone = ""
        if channel in (WEB, EMAIL, CHAT, SOCIAL) or rng.random() < 0.5:
            local = rng.choice(
                (f"{first}.{last}", f"{first}{last}", f"{first}_{last[0]}", f"{first[0]}.{last}", f"{first}{last[:3]}")
            )
            base = ".".join(_slug_part(part) for part in local.split(".")).replace("_", "")
            domain = rng.choice(content.EMAIL_DOMAINS)
            email = f"{base}@{domain}"
            for n in range(2, 1000):
                if email not in self.emails:
                    break
                email = f"{base}{n}@{domain}"
            self.emails.add(email)
        if channel in (PHONE, IN_PERSON) or rng.random() < 0.25:
            for _attempt in range(1000):
                phone = f"+1 {rng.choice(content.AREA_CODES)}-555-01{rng.randint(0, 99):02d}"
                if phone not in self.phones:
                    break
            self.phones.add(phone)
        customer = PlannedCustomer(name=f"{first} {last}", email=email, phone=phone)
        self.customers.append(customer)
        return customer

    def customer_for(self, channel: str) -> PlannedCustomer:
        """Now and then a customer comes back with another complaint."""
        if self.customers and self.rng.random() < REPEAT_CUSTOMER_SHARE:
            needs_email = channel in (WEB, EMAIL)
            candidates = [c for c in self.customers if c.email or not needs_email]
            if candidates:
                return self.rng.choice(candidates)
        return self.new_customer(channel)

    # Words --------------------------------------------------------------------------------------

    def slots(self, team_slug: str) -> dict[str, str]:
        values = {name: self.rng.choice(choices) for name, choices in content.SLOTS.items()}
        sizes = [s for s in content.SLOTS["other_size"] if s != values["size"]]
        values["other_size"] = self.rng.choice(sizes)
        values["store"] = self.store_names.get(team_slug) or self.rng.choice(sorted(self.store_names.values()))
        return values

    def response_body(self, channel: str, customer: PlannedCustomer, staff: str, promise: str) -> tuple[str, str]:
        first = customer.name.split()[0]
        apology = self.rng.choice(content.APOLOGIES)
        if channel in (WEB, EMAIL):
            staff_first = staff.capitalize()
            return EventKind.REPLY_SENT, (
                f"Hi {first}, I'm {staff_first} from {content.BUSINESS} and I'm taking care of this personally. "
                f"I'm sorry: {apology}. {promise}"
            )
        body = {
            PHONE: f"Called {first} back. Apologised and agreed the next step: {promise}",
            IN_PERSON: f"Spoke with {first} at the counter. Apologised and agreed the next step: {promise}",
            CHAT: f"Answered in the chat: sorry, {apology}. {promise}",
            SOCIAL: f"Replied to {first} by direct message: sorry, {apology}. {promise}",
        }[channel]
        return EventKind.CONTACT, body

    # Time ---------------------------------------------------------------------------------------

    def past_received_at(self, channel: str) -> datetime:
        rng = self.rng
        midnight = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        # A little busier lately: the business is growing.
        day = min(int(rng.triangular(0, HISTORY_DAYS, 0)), HISTORY_DAYS - 1)
        if channel in (IN_PERSON, PHONE):
            hour = rng.randint(9, 17)  # opening hours
        else:
            hour = rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0))
        received = midnight - timedelta(days=day) + timedelta(hours=hour, minutes=rng.randint(0, 59))
        received += timedelta(seconds=rng.randint(0, 59))
        while received > self.now - timedelta(hours=1):
            received -= timedelta(days=1)
        return received

    def first_response_delay(self, channel: str, *, breached: bool) -> timedelta:
        target = DEFAULT_RESPONSE_TARGETS[channel]
        if not breached:
            return target * self.rng.uniform(0.25, 0.95)
        if channel in LIVE_CHANNELS:
            return timedelta(minutes=self.rng.uniform(2, 45))
        return target * self.rng.uniform(1.3, 10)

    def resolution_delay(self, channel: str) -> timedelta:
        if channel in (IN_PERSON, PHONE, CHAT) and self.rng.random() < 0.5:
            return timedelta(minutes=self.rng.uniform(5, 40))
        return timedelta(hours=self.rng.uniform(1, 96))

    def target_status(self, received_at: datetime) -> str:
        age = self.now - received_at
        weights: tuple[float, float, float]
        if age < timedelta(days=1):
            weights = (30, 45, 25)
        elif age < timedelta(days=7):
            weights = (10, 35, 55)
        else:
            weights = (0.7, 7, 92.3)  # now and then a complaint was forgotten: it tops the queue
        return self.rng.choices((Status.NEW, Status.OPEN, Status.RESOLVED), weights=weights)[0]

    # Cases --------------------------------------------------------------------------------------

    def case(self, *, received_at: datetime, channel: str, fresh: bool) -> PlannedCase:
        rng = self.rng
        complaint: Complaint = rng.choice([c for c in content.COMPLAINTS if channel in c.channels])
        if channel == IN_PERSON or (channel == PHONE and IN_PERSON in complaint.channels):
            team_slug: str | None = rng.choice(content.STORES)
        elif channel == PHONE:
            team_slug = ONLINE  # the online store's phone line
        else:
            team_slug = None  # web, e-mail, chat and social go to the team for unrouted complaints
        team = team_slug or ONLINE
        slots = self.slots(team)
        customer = self.customer_for(channel)
        story = complaint.story.format_map(slots)
        if rng.random() < 0.35:
            story += " " + rng.choice(content.CLOSERS).format_map(slots)
        created_by = {
            IN_PERSON: self.responder(team),
            PHONE: self.responder(team),
            CHAT: content.INTEGRATION_USERNAME,
            SOCIAL: self.responder(ONLINE),
        }.get(channel)
        external_id = f"chat-{rng.randint(100000, 999999)}" if channel == CHAT else ""
        steps = () if fresh else self.steps(complaint, channel, team, customer, received_at, created_by, slots)
        loss = LOSSES.get(complaint.key)
        return PlannedCase(
            received_at=received_at,
            channel=channel,
            team_slug=team_slug,
            customer=customer,
            subject=complaint.subject.format_map(slots),
            story=story,
            expectation=rng.choice(complaint.expectations).format_map(slots),
            external_id=external_id,
            created_by=created_by,
            steps=steps,
            loss_kind=loss.kind if loss else "",
            loss_amount=loss.amount_for(slots) if loss else None,
            severity=loss.severity if loss else "",
            business_at_fault=loss.at_fault if loss else False,
            kind=complaint.key,
        )

    def steps(
        self,
        complaint: Complaint,
        channel: str,
        team: str,
        customer: PlannedCustomer,
        received_at: datetime,
        created_by: str | None,
        slots: dict[str, str],
    ) -> tuple[PlannedStep, ...]:
        rng = self.rng
        status = self.target_status(received_at)
        if status == Status.NEW:
            return ()
        live = channel in LIVE_CHANNELS
        breached = rng.random() < (0.25 if live else 0.35)
        owner = created_by if live and created_by in dict(self.responders[team]) and rng.random() < 0.8 else None
        owner = owner or self.responder(team)
        respond_after = self.first_response_delay(channel, breached=breached)
        own_after = max(respond_after * rng.uniform(0.2, 0.8), timedelta(seconds=5))
        steps = [PlannedStep(received_at + own_after, StepKind.OWN, "", actor=owner)]
        writes = bool(customer.email) and channel in (WEB, EMAIL, CHAT, SOCIAL)
        if breached and writes and respond_after > timedelta(minutes=40) and rng.random() < 0.5:
            chase_at = received_at + respond_after * rng.uniform(0.5, 0.95)
            steps.append(PlannedStep(chase_at, StepKind.MESSAGE, rng.choice(content.CHASERS)))
        if status == Status.OPEN and rng.random() < 0.1:
            return self._until_now(steps)  # owned, but nobody has answered yet: the clock runs on
        kind, body = self.response_body(channel, customer, owner, complaint.promise.format_map(slots))
        responded_at = received_at + respond_after
        steps.append(PlannedStep(responded_at, StepKind.RESPOND, body, actor=owner, response_kind=kind))
        last = responded_at
        if writes and rng.random() < 0.2:
            last = responded_at + timedelta(minutes=rng.uniform(5, 360))
            steps.append(PlannedStep(last, StepKind.MESSAGE, rng.choice(content.AFTER_RESPONSE).format_map(slots)))
        if status == Status.RESOLVED:
            resolved_at = last + self.resolution_delay(channel)
            resolution = rng.choice(complaint.resolutions).format_map(slots)
            steps.append(PlannedStep(resolved_at, StepKind.RESOLVE, resolution, actor=owner))
            if writes and rng.random() < 0.12:
                thanks_at = resolved_at + timedelta(hours=rng.uniform(1, 30))
                steps.append(PlannedStep(thanks_at, StepKind.MESSAGE, rng.choice(content.AFTER_RESOLUTION)))
        return self._until_now(steps)

    def _until_now(self, steps: list[PlannedStep]) -> tuple[PlannedStep, ...]:
        """What would happen after `now` has not happened yet: keep the steps before it."""
        cutoff = self.now - SAFETY_MARGIN
        kept: list[PlannedStep] = []
        for step in sorted(steps, key=lambda s: s.at):
            if step.at >= cutoff:
                break
            kept.append(step)
        return tuple(kept)


def showcase_case(showcase: Showcase, *, received_at: datetime) -> PlannedCase:
    """An open case of the demo's remedy story: taken and answered minutes after it arrived."""
    customer = PlannedCustomer(showcase.customer_name, showcase.customer_email, showcase.customer_phone)
    first = showcase.customer_name.split()[0]
    promise = next(c.promise for c in content.COMPLAINTS if c.key == showcase.complaint)
    if showcase.channel == PHONE:
        kind, body = EventKind.CONTACT, f"Called {first} back. Apologised and agreed the next step: {promise}"
    else:
        kind = EventKind.REPLY_SENT
        body = f"Hi {first}, I'm {showcase.owner.capitalize()} from {content.BUSINESS}. I'm so sorry. {promise}"
    subject = next(c.subject for c in content.COMPLAINTS if c.key == showcase.complaint)
    return PlannedCase(
        received_at=received_at,
        channel=showcase.channel,
        team_slug=showcase.team_slug,
        customer=customer,
        subject=subject,
        story=showcase.story,
        expectation=showcase.expectation,
        external_id=showcase.external_id,
        created_by=showcase.owner if showcase.channel == PHONE else None,
        steps=(
            PlannedStep(received_at + timedelta(minutes=2), StepKind.OWN, "", actor=showcase.owner),
            PlannedStep(
                received_at + timedelta(minutes=6), StepKind.RESPOND, body, actor=showcase.owner, response_kind=kind
            ),
        ),
        loss_kind=showcase.loss.kind,
        loss_amount=showcase.loss.amount_for({}),
        severity=showcase.loss.severity,
        business_at_fault=showcase.loss.at_fault,
    )


def demo_plan(*, seed: int, cases: int, now: datetime) -> list[PlannedCase]:
    """`cases` complaints over the last 90 days, oldest first; the last few arrived minutes ago,
    unowned. The two showcases (`losses.SHOWCASES`) take the places of the last two past cases."""
    planner = _Planner(seed=seed, now=now)
    rng = planner.rng
    fresh = min(len(FRESH_CHANNELS), max(1, cases // 25)) if cases else 0
    channels = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()), k=cases - fresh)
    past = sorted((planner.past_received_at(channel), channel) for channel in channels)
    planned = [planner.case(received_at=at, channel=channel, fresh=False) for at, channel in past]
    if len(planned) >= 2 * len(SHOWCASES):
        # An hour or two ago, so that they are open, taken and answered, and nothing is in the future.
        for i, showcase in enumerate(SHOWCASES):
            at = now - timedelta(hours=2) + i * timedelta(minutes=20)
            planned[-len(SHOWCASES) + i] = showcase_case(showcase, received_at=at)
        planned.sort(key=lambda c: c.received_at)
    recent = []
    for channel in FRESH_CHANNELS[:fresh]:
        if channel in LIVE_CHANNELS:
            ago = timedelta(seconds=rng.randint(20, 50))  # the customer is on the line right now
        else:
            ago = timedelta(minutes=rng.uniform(2, 40))
        recent.append((now - ago, channel))
    planned += [planner.case(received_at=at, channel=channel, fresh=True) for at, channel in sorted(recent)]
    return planned
