"""Complaints Ridgeway Cycles recovered six months to a year ago, for the loyalty comparison.

The live demo's complaints are all from the last 90 days, so none has had the 90 or 180 days
after it that the loyalty page compares: its repurchase table would show no customer observable.
These earlier ones have. Each is opened, owned, answered and resolved through the same services
as the live demo (back-dated), quickly for some (within a day) and slowly for others; the owner's
follow-up call a day after (`purchases._follow_up_calls`) then says who was won back, and the
purchase history (`purchases.py`) follows from that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.test.utils import override_settings

from makegood.accounts.models import Role, Team
from makegood.cases.kinds import EventKind
from makegood.cases.services import case_record_response, case_resolve, case_take_ownership
from makegood.causes.demo import demo_cause_set
from makegood.demo import content
from makegood.demo.services import HELD_BACK_TASKS
from makegood.intake.opening import case_open

EARLIER_CASES = 120
# Received between these many days ago: all old enough for both horizons (90 and 180 days).
OLDEST_DAYS, NEWEST_DAYS = 400, 190
QUICK_SHARE = 0.5


@dataclass(frozen=True)
class Earlier:
    kind: str  # a demo complaint's kind: it picks the root cause (causes/demo.py)
    channel: str
    subject: str
    story: str
    reply: str
    resolution: str


EARLIER = (
    Earlier(
        "parcel_missing",
        content.WEB,
        "Order never arrived",
        "My order of bar tape and bottle cages never arrived; tracking has said 'out for delivery' for days.",
        "I've opened a trace with the courier and will send it again if it isn't found by tomorrow.",
        "Sent again by express at our cost; the delivery fee refunded.",
    ),
    Earlier(
        "wrong_frame_size",
        content.EMAIL,
        "Wrong frame size delivered",
        "The box says size M but the frame inside is an L. I'd planned to ride it this weekend.",
        "I've reserved the right size and booked the courier to swap them on the same visit.",
        "Swapped for the right size; the courier collected the wrong frame on the same visit.",
    ),
    Earlier(
        "ebike_battery",
        content.PHONE,
        "E-bike battery dies after 10 km",
        "The battery of my e-bike shows full but dies after ten kilometres, three months after buying it.",
        "Bring it in and we'll test the battery while you wait; a loan battery is ready for you.",
        "The battery failed the test: replaced under warranty the same day.",
    ),
    Earlier(
        "tubeless_leak",
        content.IN_PERSON,
        "Tubeless set-up keeps going flat",
        "You set my wheels up tubeless last week and the rear one is flat every morning.",
        "We'll re-seat the tyre and replace the valve now, while you wait.",
        "Valve core replaced and the tyre re-seated; it held pressure overnight.",
    ),
)
FIRST_NAMES = ("Alex", "Maria", "Jonas", "Fatima", "Chen", "Olivia", "Ravi", "Sofia", "Daniel", "Aisha", "Lars", "Mei")
LAST_NAMES = ("Fischer", "Santos", "Kim", "Novak", "Ahmed", "Brennan", "Costa", "Ivanova", "Mwangi", "Larsen")


def _owners() -> dict[int, list[User]]:
    """Each team's frontline staff, who own and resolve its complaints."""
    teams = {t.slug: t.pk for t in Team.objects.filter(slug__in=[t.slug for t in content.TEAMS])}
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in content.STAFF])}
    owners: dict[int, list[User]] = {}
    for spec in content.STAFF:
        if spec.role == Role.FRONTLINE and spec.username in users and spec.team_slug in teams:
            owners.setdefault(teams[spec.team_slug], []).append(users[spec.username])
    return owners


def demo_earlier_complaints_load(*, rng: random.Random, now: datetime) -> int:
    """Open and resolve the earlier complaints (nobody is e-mailed: tasks are held back, as for the
    live demo). Returns how many; none when the demo's staff are not there."""
    owners = _owners()
    if not owners:
        return 0
    teams = {t.pk: t for t in Team.objects.filter(pk__in=owners)}
    team_ids = sorted(owners)
    loaded = 0
    with override_settings(TASKS=HELD_BACK_TASKS):
        for n in range(1, EARLIER_CASES + 1):
            kind = rng.choice(EARLIER)
            team_id = rng.choice(team_ids)
            owner = rng.choice(owners[team_id])
            day = (now - timedelta(days=rng.uniform(NEWEST_DAYS, OLDEST_DAYS))).date()
            received = datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=now.tzinfo)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            case = case_open(
                channel=kind.channel,
                customer_name=f"{first} {last}",
                customer_email=f"{first.lower()}.{last.lower()}.{n}@mail.example",
                story=kind.story,
                subject=kind.subject,
                team=teams[team_id],
                received_at=received,
            )
            taken = received + timedelta(minutes=rng.uniform(5, 90))
            case = case_take_ownership(case=case, user=owner, at=taken)
            response = EventKind.CONTACT if kind.channel in (content.PHONE, content.IN_PERSON) else EventKind.REPLY_SENT
            case_record_response(case=case, user=owner, kind=response, body=kind.reply, at=taken + timedelta(minutes=5))
            quick = rng.random() < QUICK_SHARE
            resolved = received + (timedelta(hours=rng.uniform(2, 20)) if quick else timedelta(days=rng.uniform(2, 12)))
            demo_cause_set(case=case, kind=kind.kind, user=owner, at=resolved - timedelta(minutes=2))
            case_resolve(case=case, user=owner, resolution=kind.resolution, at=resolved)
            loaded += 1
    return loaded
