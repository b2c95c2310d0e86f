"""Hand-offs and internal notes: moving a case to another team without passing the buck.

A transfer does not drop the customer: the case keeps its team and its owner until someone in
the new team takes it (`case_take_ownership`, the one way a person comes to own a case, moves it
to their team), and the
timeline says at every step who has it. Internal notes are lines for colleagues only: nothing on
the timeline is ever sent to the customer unless it is a reply (`case_record_response`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.accounts.models import Team
from makegood.accounts.roles import can_view_case
from makegood.cases.audit import audit_record
from makegood.cases.kinds import EventKind, NotificationKind
from makegood.cases.models import Case, CaseEvent, Notification
from makegood.cases.services import MAX_MESSAGE, CaseActionError
from makegood.cases.timeline import case_event_add, case_lock

MAX_REASON = 2_000


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _clean(text: str, field: str, limit: int, missing: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: [missing]})
    if len(text) > limit:
        raise ValidationError({field: [f"At most {limit} characters (this has {len(text)})."]})
    return text


def may_transfer(user: User, case: Case) -> bool:
    """The owner, anyone of the team while nobody owns it, and managers may hand a case on."""
    if not (user.has_perm("cases.respond_case") and can_view_case(user, case) and case.is_open):
        return False
    return case.owner_id in (None, user.pk) or bool(user.has_perm("cases.reassign_case"))


def who_has_it(case: Case) -> str:
    """One sentence for the timeline: who the customer's person is right now."""
    if case.owner is not None:
        return f"{_name(case.owner)} keeps the case until someone there takes it."
    team = case.team.name if case.team is not None else "No team"
    return f"{team} keeps the case until someone there takes it."


@transaction.atomic
def case_transfer(*, case: Case, user: User, to_team: Team, reason: str, at: datetime | None = None) -> Case:
    """Ask another team to take the case, with the reason; the customer keeps their person meanwhile.

    Asking again (another team, or the same with a new reason) replaces the request.
    """
    reason = _clean(reason, "reason", MAX_REASON, "Say why the case should move, for the team taking it.")
    case = case_lock(case)
    if not may_transfer(user, case):
        raise CaseActionError("You cannot transfer this case.")
    if to_team.pk == case.team_id:
        raise ValidationError({"team": [f"The case is already with {to_team.name}."]})
    now = at or timezone.now()
    before = case.transfer_team_id
    case.transfer_team = to_team
    case.save(update_fields=["transfer_team"])
    from_team = case.team.name if case.team is not None else "no team"
    body = f"Transfer from {from_team} to {to_team.name}: {reason} {who_has_it(case)}"
    case_event_add(
        case,
        kind=EventKind.TRANSFER_ASKED,
        at=now,
        actor=user,
        body=body,
        data={"from_team": case.team_id, "to_team": to_team.pk, "reason": reason},
    )
    audit_record(
        actor=user, action="case.transfer_asked", obj=case, at=now, changes={"transfer_team": [before, to_team.pk]}
    )
    # The new team hears of it in their queue; the case's own people already know (they asked).
    Notification.objects.create(
        case=case,
        kind=NotificationKind.TRANSFER_INCOMING,
        team=to_team,
        created_at=now,
        message=f"{case.reference} transferred to {to_team.name} by {_name(user)}: {reason}"[:300],
    )
    return case


@transaction.atomic
def case_transfer_cancel(*, case: Case, user: User, at: datetime | None = None) -> Case:
    """Withdraw a transfer nobody has taken yet: the case simply stays where it is."""
    case = case_lock(case)
    if case.transfer_team_id is None:
        raise CaseActionError("This case is not being transferred.")
    if not may_transfer(user, case):
        raise CaseActionError("You cannot withdraw this transfer.")
    now = at or timezone.now()
    to_team = case.transfer_team
    case.transfer_team = None
    case.save(update_fields=["transfer_team"])
    case_event_add(
        case,
        kind=EventKind.TRANSFER_CANCELLED,
        at=now,
        actor=user,
        body=f"Transfer to {to_team.name if to_team else 'another team'} withdrawn; the case stays here.",
    )
    audit_record(actor=user, action="case.transfer_cancelled", obj=case, at=now, changes={"transfer_team": None})
    return case


@transaction.atomic
def case_note_add(*, case: Case, user: User, body: str, at: datetime | None = None) -> CaseEvent:
    """An internal note on the timeline, for colleagues: never sent to the customer."""
    body = _clean(body, "body", MAX_MESSAGE, "Write the note.")
    if not (user.has_perm("cases.respond_case") and can_view_case(user, case)):
        raise CaseActionError("You cannot add a note to this case.")
    case = case_lock(case, with_customer=False)
    return case_event_add(case, kind=EventKind.NOTE, at=at or timezone.now(), actor=user, body=body)
