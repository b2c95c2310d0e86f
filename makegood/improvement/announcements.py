"""Telling the customers whose cases a live fix came from that what hurt them has been fixed.

One message per customer (however many of their cases are linked), written once by the fix's
owner, checked by the reply coach with the writer's role, previewed, then sent through the
outbound e-mail path and recorded on the case's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.accounts.models import Role
from makegood.accounts.roles import role_of
from makegood.cases.models import Case
from makegood.cases.services import CaseActionError
from makegood.cases.timeline import case_event_add
from makegood.improvement.access import can_run_action
from makegood.improvement.models import ActionState, FixAnnouncement, ImprovementAction, ImprovementEventKind
from makegood.improvement.outbound import customer_email_enqueue
from makegood.recovery.coach import CoachResult, coach_reply

MAX_BODY = 5000


def announcement_coach(text: str, user: User) -> CoachResult:
    """The reply coach on the announcement, with the writer's role; it closes a conversation, so it must thank."""
    return coach_reply(text, role=role_of(user) or Role.FRONTLINE, closing=True)


@dataclass(frozen=True)
class Recipient:
    case: Case
    name: str
    email: str
    already_told: bool


def announcement_recipients(action: ImprovementAction) -> list[Recipient]:
    """One per customer with an e-mail address among the linked cases (their newest case)."""
    told = set(action.announcements.values_list("to", flat=True))
    seen: dict[str, Recipient] = {}
    for case in action.cases.select_related("customer").order_by("-received_at", "-pk"):
        email = case.customer.email
        if email and email not in seen:
            seen[email] = Recipient(case=case, name=case.customer.name, email=email, already_told=email in told)
    return sorted(seen.values(), key=lambda r: (r.name.lower(), r.email))


class AnnouncementRefused(Exception):
    def __init__(self, result: CoachResult) -> None:
        self.result = result
        super().__init__(
            "The coach blocks this message: " + " ".join(f.message for f in result.findings if f.severity == "block")
        )


@transaction.atomic
def fix_announce(*, action: ImprovementAction, user: User, body: str) -> int:
    """Send the reviewed message to every linked customer not yet told; returns how many."""
    if not can_run_action(user, action):
        raise PermissionDenied("Only the fix's owner, the cause's owner or a process owner tells customers.")
    if action.state not in (ActionState.LIVE, ActionState.REVIEWED):
        raise CaseActionError("Tell customers once the fix is live.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write the message."]})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": [f"At most {MAX_BODY} characters."]})
    result = announcement_coach(body, user)
    if result.blocking:
        raise AnnouncementRefused(result)
    now = timezone.now()
    sent = 0
    for recipient in announcement_recipients(action):
        if recipient.already_told:
            continue
        announcement = FixAnnouncement.objects.create(
            action=action, case=recipient.case, to=recipient.email, body=body, created_by=user, created_at=now
        )
        case_event_add(
            recipient.case,
            kind=ImprovementEventKind.FIX_ANNOUNCED,
            at=now,
            actor=user,
            body=body,
            data={"action": action.pk, "to": recipient.email},
        )
        customer_email_enqueue("fix_announcement", announcement.pk)
        sent += 1
    return sent
