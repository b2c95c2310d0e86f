"""Recoveries made on the spot: a complaint heard at the counter or on the phone and put right
there and then (the meal replaced and not charged), recorded in one go so that it counts.

The one write path for the page and the API. It composes the stages' own services in one
transaction, so the case is opened, owned, answered, given its root cause and resolved exactly
as if each step had been taken by hand, and it counts in every figure like any other case. The
customer may leave no contact details: then no acknowledgement and no follow-up can be sent, and
the timeline says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Channel
from makegood.cases.services import CaseActionError, case_record_response, case_resolve, case_take_ownership
from makegood.cases.timeline import case_event_add
from makegood.causes.models import Cause
from makegood.causes.services import case_cause_set
from makegood.intake.services import intake_case_open

# Only complaints heard live can be put right on the spot.
SPOT_CHANNELS = (Channel.IN_PERSON, Channel.PHONE)
NO_CONTACT_NOTE = (
    "Recovered on the spot. The customer left no e-mail address or phone number, so no acknowledgement "
    "and no follow-up can be sent."
)


@dataclass(frozen=True)
class SpotResult:
    case: Case
    replayed: bool


def spot_recovery_record(
    *,
    user: User,
    channel: str,
    story: str,
    what_we_did: str,
    cause: Cause | None,
    failure: str,
    customer_name: str = "",
    customer_email: str = "",
    customer_phone: str = "",
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> SpotResult:
    """Open, own, answer, give the cause of and resolve a complaint put right on the spot.

    Raises ValidationError (bad fields; keyed `what_we_did`, `cause`, `failure` or intake's) or
    CaseActionError (the person may not record complaints); nothing is written then.
    """
    if not user.has_perm("cases.add_case") or not user.has_perm("cases.respond_case"):
        raise CaseActionError("Your role may not record complaints.")
    errors: dict[str, list[str]] = {}
    if channel not in SPOT_CHANNELS:
        errors["channel"] = ["Only a complaint heard in person or on the phone can be put right on the spot."]
    what_we_did = what_we_did.strip()
    if not what_we_did:
        errors["what_we_did"] = ["Say what you did on the spot to put it right."]
    if cause is None:
        errors["cause"] = ["Choose the root cause."]
    if errors:
        raise ValidationError(errors)
    assert cause is not None
    profile = getattr(user, "staff", None)
    team = profile.team if profile is not None else None
    now = at or timezone.now()
    with transaction.atomic():
        opened = intake_case_open(
            scope=f"spot:{user.pk}",
            idempotency_key=idempotency_key,
            channel=channel,
            customer_name=customer_name,
            customer_email=customer_email,
            customer_phone=customer_phone,
            story=story,
            team_slug=team.slug if team is not None else "",
            created_by=user,
            contact_required=False,
        )
        if opened.replayed:
            return SpotResult(case=opened.case, replayed=True)
        case = case_take_ownership(case=opened.case, user=user, at=now)
        case_record_response(case=case, user=user, kind=EventKind.CONTACT, body=what_we_did, at=now)
        case_cause_set(case=case, user=user, cause=cause, failure=failure, at=now)
        if not case.customer.email and not case.customer.phone:
            case_event_add(case, kind=EventKind.NOTE, at=now, actor=user, body=NO_CONTACT_NOTE, data={"spot": True})
        case = case_resolve(case=case, user=user, resolution=f"Put right on the spot: {what_we_did}", at=now)
    return SpotResult(case=case, replayed=False)
