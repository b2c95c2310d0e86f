"""Every write to a case goes through one of these functions (views, API, e-mail, tasks alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Required, TypedDict, Unpack

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.accounts.models import Team
from makegood.accounts.roles import can_view_case
from makegood.cases import signals, tasks
from makegood.cases.audit import audit_record
from makegood.cases.clock import clock_config, first_response_due
from makegood.cases.customers import (
    customer_create_or_match,
    customer_find,
    customer_learn_details,
    normalize_email,
    normalize_phone,
)
from makegood.cases.guards import resolve_guards_check
from makegood.cases.kinds import EventKind, NotificationKind
from makegood.cases.models import REPEAT_FAILURE_DAYS, Case, CaseEvent, Channel, Customer, Priority, Status
from makegood.cases.timeline import case_event_add, case_lock, managers_of, notify_owner_or_team
from makegood.feelings import name_feeling
from makegood.worker.outbox import enqueue_on_commit

MAX_NAME = 200
MAX_STORY = 20_000
MAX_EXPECTATION = 5_000
MAX_SUBJECT = 200
MAX_EXTERNAL_ID = 100

# The workflow. A resolved case is reopened when the customer says it is not resolved, and
# closed when they say it is.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.OPEN, Status.RESOLVED},
    Status.OPEN: {Status.RESOLVED},
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: set(),
}

# Channels whose customers get an acknowledgement e-mail (the others were answered live).
ACK_EMAIL_CHANNELS = frozenset({Channel.WEB, Channel.EMAIL})


class CaseActionError(Exception):
    """A request that is well-formed but not allowed in the case's current state."""


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(f"At most {limit} characters (this has {len(value)}).")


def validate_intake(
    *,
    channel: str,
    customer_name: str,
    customer_email: str,
    customer_phone: str,
    story: str,
    expectation: str = "",
    subject: str = "",
    external_id: str = "",
) -> dict[str, str]:
    """Check and normalise one complaint; raise ValidationError with every field's problems."""
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [f"Unknown channel {channel!r}; use one of: {', '.join(Channel.values)}."]
    name, story, expectation = customer_name.strip(), story.strip(), expectation.strip()
    if not story:
        errors["story"] = ["Tell us what happened."]
    _check_length(errors, "customer_name", name, MAX_NAME)
    _check_length(errors, "story", story, MAX_STORY)
    _check_length(errors, "expectation", expectation, MAX_EXPECTATION)
    _check_length(errors, "subject", subject.strip(), MAX_SUBJECT)
    _check_length(errors, "external_id", external_id.strip(), MAX_EXTERNAL_ID)
    email = phone = ""
    try:
        email = normalize_email(customer_email)
    except ValidationError:
        errors["customer_email"] = ["Enter a valid e-mail address."]
    try:
        phone = normalize_phone(customer_phone)
    except ValidationError as exc:
        errors["customer_phone"] = list(exc.messages)
    if not customer_email.strip() and not customer_phone.strip():
        errors["customer_email"] = ["Give an e-mail address or a phone number so that we can reply."]
    if errors:
        raise ValidationError(errors)
    return {
        "channel": channel,
        "customer_name": name,
        "customer_email": email,
        "customer_phone": phone,
        "story": story,
        "expectation": expectation,
        "subject": subject.strip(),
        "external_id": external_id.strip(),
    }


def default_team() -> Team | None:
    """The team that receives complaints nobody routed (cached per process with the clock's settings)."""
    return clock_config().default_team


@dataclass(frozen=True)
class Intake:
    """One complaint, checked, with everything that can be read before the write transaction.

    On SQLite writers take turns on one lock, so intake throughput is one over the time a write
    transaction lasts: validation, configuration, the customer look-up and the feeling detector
    all run here, before it starts, and `case_create` only writes.
    """

    clean: dict[str, str]
    team: Team | None
    received_at: datetime
    first_response_due_at: datetime
    known_customer: Customer | None
    is_repeat_failure: bool
    detected_feeling: str
    detected_feeling_confidence: float
    created_by: User | None


class Complaint(TypedDict, total=False):
    """A complaint as any channel hands it over (`channel`, `customer_name` and `story` required)."""

    channel: Required[str]
    customer_name: Required[str]
    story: Required[str]
    customer_email: str
    customer_phone: str
    expectation: str
    subject: str
    external_id: str
    team: Team | None
    created_by: User | None
    received_at: datetime | None


def intake_prepare(**complaint: Unpack[Complaint]) -> Intake:
    """Validate a complaint and read what opening it needs; raises ValidationError, writes nothing."""
    channel = complaint["channel"]
    clean = validate_intake(
        channel=channel,
        customer_name=complaint["customer_name"],
        customer_email=complaint.get("customer_email", ""),
        customer_phone=complaint.get("customer_phone", ""),
        story=complaint["story"],
        expectation=complaint.get("expectation", ""),
        subject=complaint.get("subject", ""),
        external_id=complaint.get("external_id", ""),
    )
    received_at = complaint.get("received_at") or timezone.now()
    team = complaint.get("team") or default_team()
    created_by = complaint.get("created_by")
    known, is_repeat = customer_find(
        email=clean["customer_email"],
        phone=clean["customer_phone"],
        recent_case_since=received_at - timedelta(days=REPEAT_FAILURE_DAYS),
        recent_case_until=received_at,
    )
    detected = name_feeling(clean["story"])
    return Intake(
        clean=clean,
        team=team,
        received_at=received_at,
        first_response_due_at=first_response_due(channel, received_at, team=team),
        known_customer=known,
        is_repeat_failure=is_repeat,
        detected_feeling=detected.feeling,
        detected_feeling_confidence=detected.confidence,
        created_by=created_by,
    )


def case_create(intake: Intake) -> Case:
    """Write a prepared complaint: the case, its first timeline lines, the audit entry, the acknowledgement.

    Joins the caller's transaction when there is one (no savepoint: a failure fails it all).
    """
    clean, received_at, created_by = intake.clean, intake.received_at, intake.created_by
    channel = clean["channel"]
    with transaction.atomic(savepoint=False):
        if intake.known_customer is not None:
            customer = intake.known_customer
            customer_learn_details(
                customer, name=clean["customer_name"], email=clean["customer_email"], phone=clean["customer_phone"]
            )
        else:
            customer = customer_create_or_match(
                name=clean["customer_name"], email=clean["customer_email"], phone=clean["customer_phone"]
            )
        case = Case.objects.create(
            customer=customer,
            channel=channel,
            team=intake.team,
            subject=clean["subject"],
            story=clean["story"],
            expectation=clean["expectation"],
            external_id=clean["external_id"],
            received_at=received_at,
            acknowledged_at=received_at,
            first_response_due_at=intake.first_response_due_at,
            created_by=created_by,
            is_repeat_failure=intake.is_repeat_failure,
            detected_feeling=intake.detected_feeling,
            detected_feeling_confidence=intake.detected_feeling_confidence,
        )
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(case=case, kind=EventKind.RECEIVED, at=received_at, actor=created_by, body=clean["story"]),
                CaseEvent(
                    case=case,
                    kind=EventKind.ACKNOWLEDGED,
                    at=received_at,
                    body=f"Acknowledged with reference {case.reference}.",
                ),
            ]
        )
        audit_record(
            actor=created_by,
            action="case.opened",
            obj=case,
            changes={"status": [None, case.status], "channel": channel, "team": case.team_id},
            at=received_at,
        )
        if channel in ACK_EMAIL_CHANNELS and customer.email:
            enqueue_on_commit(tasks.send_acknowledgement, case.pk)
        signals.case_opened.send(sender=Case, case=case, actor=created_by, at=received_at)
    return case


def case_open(**complaint: Unpack[Complaint]) -> Case:
    """Open a case from any channel and acknowledge it at once.

    The acknowledgement is part of intake itself (`acknowledged_at`); the acknowledgement
    e-mail, where the channel gets one, is sent by the task queue once the case is committed.
    """
    return case_create(intake_prepare(**complaint))


def _change_status(case: Case, *, to: str, actor: User | None, note: str = "", at: datetime | None = None) -> None:
    if to not in TRANSITIONS[case.status]:
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

    Taking a case someone else owns needs the reassign permission (managers).
    """
    if not user.has_perm("cases.respond_case") or not can_view_case(user, case):
        raise CaseActionError("You cannot take ownership of this case.")
    case = case_lock(case)
    if not case.is_open:
        raise CaseActionError("This case is no longer open.")
    if case.owner_id == user.pk:
        return case
    previous_owner = case.owner
    if previous_owner is not None and not user.has_perm("cases.reassign_case"):
        raise CaseActionError(f"{previous_owner.get_full_name() or previous_owner} already owns this case.")
    now = at or timezone.now()
    case.owner = user
    case.owned_at = now
    body = "I am taking ownership."
    if previous_owner is not None:
        body += f" (Taken over from {previous_owner.get_full_name() or previous_owner}.)"
    case_event_add(case, kind=EventKind.OWNERSHIP_TAKEN, at=now, actor=user, body=body)
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


@transaction.atomic
def case_record_response(*, case: Case, user: User, kind: str, body: str, at: datetime | None = None) -> CaseEvent:
    """The owner replies by e-mail or records a live contact; the first one stops the clock."""
    if kind not in (EventKind.REPLY_SENT, EventKind.CONTACT):
        raise CaseActionError("A response is either a reply or a recorded contact.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write what you said to the customer."]})
    if len(body) > MAX_STORY:
        raise ValidationError({"body": [f"At most {MAX_STORY} characters."]})
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
        enqueue_on_commit(tasks.send_reply, event.pk)
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
