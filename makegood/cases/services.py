"""The case's lifecycle: ownership, response, resolve, reopen, close. Every change to a case after
it is opened goes through one of these functions (views, API, e-mail, tasks alike); opening one is
intake's (`makegood.intake.opening.case_open`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.accounts.roles import can_view_case, team_id_of
from makegood.cases import signals
from makegood.cases.audit import audit_record
from makegood.cases.clock import first_response_due
from makegood.cases.emails import reply_enqueue
from makegood.cases.guards import resolve_guards_check
from makegood.cases.kinds import EventKind, NotificationKind
from makegood.cases.models import Case, CaseEvent, Notification, Priority, Status
from makegood.cases.timeline import case_event_add, case_lock, managers_of, notify_owner_or_team

# The longest text a person writes on a case: a complaint's story, a reply, a resolution.
MAX_MESSAGE = 20_000

# The workflow. A resolved case is reopened when the customer says it is not resolved, and
# closed when they say it is.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.OPEN, Status.RESOLVED},
    Status.OPEN: {Status.RESOLVED},
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: set(),
}


class CaseActionError(Exception):
    """A request that is well-formed but not allowed in the case's current state."""


def _change_status(
    case: Case,
    *,
    to: str,
    actor: User | None,
    note: str = "",
    at: datetime | None = None,
    transitions: dict[str, set[str]] = TRANSITIONS,
) -> None:
    """`transitions`: another map for an action with a way of its own (merging closes a duplicate)."""
    if to not in transitions[case.status]:
        raise CaseActionError(f"A {case.get_status_display().lower()} case cannot become {Status(to).label.lower()}.")
    before = case.status
    case.status = to
    at = at or timezone.now()
    if to == Status.RESOLVED:
        case.resolved_at = at
    elif to == Status.CLOSED:
        case.closed_at = at
    case_event_add(case, kind=EventKind.STATUS_CHANGED, at=at, actor=actor, body=note, data={"from": before, "to": to})
    audit_record(actor=actor, action="case.status_changed", obj=case, changes={"status": [before, to]}, at=at)


@transaction.atomic
def case_take_ownership(*, case: Case, user: User, at: datetime | None = None) -> Case:
    """ "I am taking ownership": the case gets one accountable owner.

    Taking a case someone else owns needs the reassign permission (managers), except for the team
    a case is being transferred to: whoever takes it there moves it to their team (the hand-off's
    last step, `cases/handoffs.py`). Whoever owned it before is told.
    """
    if not user.has_perm("cases.respond_case") or not can_view_case(user, case):
        raise CaseActionError("You cannot take ownership of this case.")
    case = case_lock(case)
    if not case.is_open:
        raise CaseActionError("This case is no longer open.")
    taking_transfer = case.transfer_team_id is not None and case.transfer_team_id == team_id_of(user)
    if case.owner_id == user.pk and not taking_transfer:
        return case
    previous_owner = case.owner
    if previous_owner is not None and not taking_transfer and not user.has_perm("cases.reassign_case"):
        raise CaseActionError(f"{previous_owner.get_full_name() or previous_owner} already owns this case.")
    now = at or timezone.now()
    case.owner = user
    case.owned_at = now
    body = "I am taking ownership."
    if previous_owner is not None and previous_owner.pk != user.pk:
        body += f" (Taken over from {previous_owner.get_full_name() or previous_owner}.)"
    case_event_add(case, kind=EventKind.OWNERSHIP_TAKEN, at=now, actor=user, body=body)
    if taking_transfer:
        _transfer_take(case, user=user, previous_owner=previous_owner, at=now)
    elif previous_owner is not None and previous_owner.pk != user.pk:
        _tell(
            case,
            previous_owner.pk,
            kind=NotificationKind.TAKEN_OVER,
            message=f"{user.get_full_name() or user} took over {case.reference} from you.",
            at=now,
        )
    audit_record(
        at=now,
        actor=user,
        action="case.ownership_taken",
        obj=case,
        changes={"owner": [previous_owner.pk if previous_owner else None, user.pk]},
    )
    if case.status == Status.NEW:
        _change_status(case, to=Status.OPEN, actor=user, at=now)
    case.save()
    return case


def _tell(case: Case, user_id: int, *, kind: str, message: str, at: datetime) -> None:
    Notification.objects.create(case=case, kind=kind, user_id=user_id, message=message[:300], created_at=at)


def _transfer_take(case: Case, *, user: User, previous_owner: User | None, at: datetime) -> None:
    """Someone of the team a case is transferred to takes it: the case moves to their team."""
    new_team, old_team = case.transfer_team, case.team
    assert new_team is not None
    case.team, case.transfer_team = new_team, None
    if previous_owner is not None:
        from_whom = previous_owner.get_full_name() or previous_owner.get_username()
    else:
        from_whom = old_team.name if old_team is not None else "no team"
    who = user.get_full_name() or user.get_username()
    case_event_add(
        case,
        kind=EventKind.TRANSFER_TAKEN,
        at=at,
        actor=user,
        body=f"{who} ({new_team.name}) has the case now, taken over from {from_whom}.",
        data={"from_team": old_team.pk if old_team else None, "to_team": new_team.pk},
    )
    audit_record(
        actor=user,
        action="case.transfer_taken",
        obj=case,
        at=at,
        changes={"team": [old_team.pk if old_team else None, new_team.pk]},
    )
    if previous_owner is not None and previous_owner.pk != user.pk:
        _tell(
            case,
            previous_owner.pk,
            kind=NotificationKind.TRANSFER_TAKEN,
            message=f"{case.reference}: {who} of {new_team.name} took the case you transferred.",
            at=at,
        )


@transaction.atomic
def case_record_response(*, case: Case, user: User, kind: str, body: str, at: datetime | None = None) -> CaseEvent:
    """The owner replies by e-mail or records a live contact; the first one stops the clock."""
    if kind not in (EventKind.REPLY_SENT, EventKind.CONTACT):
        raise CaseActionError("A response is either a reply or a recorded contact.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write what you said to the customer."]})
    if len(body) > MAX_MESSAGE:
        raise ValidationError({"body": [f"At most {MAX_MESSAGE} characters."]})
    case = case_lock(case)
    if case.owner_id != user.pk:
        raise CaseActionError("Take ownership of the case before responding.")
    if case.status == Status.CLOSED:
        raise CaseActionError("This case is closed.")
    if kind == EventKind.REPLY_SENT and not case.customer.email:
        raise CaseActionError("This customer has no e-mail address; record a call or visit instead.")
    now = at or timezone.now()
    event = case_event_add(case, kind=kind, at=now, actor=user, body=body)
    if case.first_responded_at is None:
        case.first_responded_at = now
        case.save(update_fields=["first_responded_at"])
        audit_record(
            actor=user,
            action="case.first_response",
            obj=case,
            changes={"first_responded_at": now.isoformat(), "breached": now > case.first_response_due_at},
            at=now,
        )
    if kind == EventKind.REPLY_SENT:
        reply_enqueue(event)
    return event


@transaction.atomic
def case_add_customer_message(
    *, case: Case, body: str, at: datetime | None = None, data: dict[str, Any] | None = None
) -> CaseEvent:
    """A further message from the customer (an e-mail reply) joins the case's timeline."""
    return case_event_add(case, kind=EventKind.CUSTOMER_MESSAGE, at=at, body=body, data=data)


@transaction.atomic
def case_resolve(*, case: Case, user: User, resolution: str, at: datetime | None = None) -> Case:
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": ["Say how the case was resolved."]})
    case = case_lock(case)
    if case.owner_id != user.pk:
        raise CaseActionError("Only the case's owner can resolve it.")
    # The stages' conditions (a root cause, say): cases/guards.py.
    resolve_guards_check(case, user)
    _change_status(case, to=Status.RESOLVED, actor=user, note=resolution, at=at)
    case.save()
    signals.case_resolved.send(sender=Case, case=case, actor=user, at=case.resolved_at)
    return case


# After this many reopens the owner's manager hears about it too.
MANAGER_NOTIFIED_FROM_REOPEN = 2


@transaction.atomic
def case_reopen(*, case: Case, reason: str, actor: User | None = None, at: datetime | None = None) -> Case:
    """The customer says the recovery did not work: the case comes back, first in line.

    High priority, a fresh first-response clock, the reopen counted, the owner told (and, from
    the second reopen, the owner's managers too).
    """
    case = case_lock(case)
    if case.status != Status.RESOLVED:
        raise CaseActionError("Only a resolved case can be reopened.")
    now = at or timezone.now()
    _change_status(case, to=Status.OPEN, actor=actor, note=reason, at=now)
    case.priority = Priority.HIGH
    case.reopen_count += 1
    case.resolved_at = None
    case.first_responded_at = None
    case.first_response_alerted_at = None
    case.first_response_breached_at = None
    case.first_response_due_at = first_response_due(case.channel, now, team=case.team)
    case.save()
    case_event_add(
        case,
        kind=EventKind.REOPENED,
        at=now,
        actor=actor,
        body=reason,
        data={"reopen_count": case.reopen_count, "first_response_due_at": case.first_response_due_at.isoformat()},
    )
    audit_record(
        actor=actor,
        action="case.reopened",
        obj=case,
        changes={"reopen_count": case.reopen_count, "priority": Priority.HIGH},
        at=now,
    )
    _notify_reopen(case, reason=reason, at=now)
    signals.case_reopened.send(sender=Case, case=case, actor=actor, at=now, reason=reason)
    return case


@transaction.atomic
def case_priority_raise(*, case: Case, reason: str, actor: User | None = None, at: datetime | None = None) -> Case:
    """Something went wrong again on a case still being handled (a payment failed): it comes first
    in the queue, as a reopened one does, without changing its status. Idempotent."""
    case = case_lock(case)
    if case.priority == Priority.HIGH:
        return case
    now = at or timezone.now()
    case.priority = Priority.HIGH
    case.save(update_fields=["priority"])
    case_event_add(case, kind=EventKind.PRIORITY_RAISED, at=now, actor=actor, body=reason, data={"to": Priority.HIGH})
    audit_record(actor=actor, action="case.priority_raised", obj=case, changes={"priority": Priority.HIGH}, at=now)
    return case


def _notify_reopen(case: Case, *, reason: str, at: datetime) -> None:
    managers = managers_of(case) if case.reopen_count >= MANAGER_NOTIFIED_FROM_REOPEN else []
    notify_owner_or_team(
        case,
        kind=NotificationKind.REOPENED,
        message=f"{case.reference} was reopened ({_ordinal(case.reopen_count)} time): {reason}",
        at=at,
        also=managers,
    )


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


@transaction.atomic
def case_close(*, case: Case, note: str, actor: User | None = None, at: datetime | None = None) -> Case:
    """The customer confirmed the recovery worked: the case is done."""
    case = case_lock(case)
    _change_status(case, to=Status.CLOSED, actor=actor, note=note, at=at)
    case.save()
    signals.case_closed.send(sender=Case, case=case, actor=actor, at=case.closed_at)
    return case
