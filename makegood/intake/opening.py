"""Opening a case: the one write path of every channel (web form, e-mail, staff entry, API, demo).

Intake is the first stage built on the case core: it checks a complaint, reads what opening it
needs (the customer, the clock, the feeling in their words), and writes the case with its first
timeline lines. Everything a case goes through afterwards (ownership, response, resolve, reopen,
close) is the core's, in `makegood.cases.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Required, TypedDict, Unpack

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.accounts.models import Team
from makegood.cases import signals
from makegood.cases.audit import audit_record
from makegood.cases.clock import clock_config, first_response_due
from makegood.cases.customers import (
    customer_create_or_match,
    customer_find,
    customer_learn_details,
    normalize_email,
    normalize_phone,
)
from makegood.cases.emails import acknowledgement_enqueue
from makegood.cases.kinds import EventKind
from makegood.cases.models import MAX_EXTERNAL_ID, REPEAT_FAILURE_DAYS, Case, Channel, Customer
from makegood.cases.services import MAX_MESSAGE
from makegood.cases.timeline import TimelineLine, case_events_add
from makegood.feelings import name_feeling
from makegood.rows import row_insert

MAX_NAME = 200
MAX_STORY = MAX_MESSAGE  # a complaint is as long as any message on a case may be
MAX_EXPECTATION = 5_000
MAX_SUBJECT = 200

# Channels whose customers get an acknowledgement e-mail (the others were answered live).
ACK_EMAIL_CHANNELS = frozenset({Channel.WEB, Channel.EMAIL})


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
    contact_required: bool = True,
) -> dict[str, str]:
    """Check and normalise one complaint; raise ValidationError with every field's problems.

    `contact_required=False` only for a complaint heard live and put right there and then
    (`makegood.spot`): the customer may leave no way to reach them."""
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
    if contact_required and not customer_email.strip() and not customer_phone.strip():
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
    follows: Case | None = None


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
    follows: Case | None
    contact_required: bool


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
        contact_required=complaint.get("contact_required", True),
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
        follows=complaint.get("follows"),
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
        case = row_insert(
            Case(
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
                follows=intake.follows,
                is_repeat_failure=intake.is_repeat_failure,
                detected_feeling=intake.detected_feeling,
                detected_feeling_confidence=intake.detected_feeling_confidence,
            )
        )
        case_events_add(
            case,
            [
                TimelineLine(kind=EventKind.RECEIVED, at=received_at, actor=created_by, body=clean["story"]),
                TimelineLine(
                    kind=EventKind.ACKNOWLEDGED, at=received_at, body=f"Acknowledged with reference {case.reference}."
                ),
            ],
        )
        audit_record(
            actor=created_by,
            action="case.opened",
            obj=case,
            changes={"status": [None, case.status], "channel": channel, "team": case.team_id},
            at=received_at,
        )
        if channel in ACK_EMAIL_CHANNELS and customer.email:
            acknowledgement_enqueue(case)
        signals.case_opened.send(sender=Case, case=case, actor=created_by, at=received_at)
    return case


def case_open(**complaint: Unpack[Complaint]) -> Case:
    """Open a case from any channel and acknowledge it at once.

    The acknowledgement is part of intake itself (`acknowledged_at`); the acknowledgement
    e-mail, where the channel gets one, is sent by the task queue once the case is committed.
    """
    return case_create(intake_prepare(**complaint))
