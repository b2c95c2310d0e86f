"""A follow-up call that did not get the answers: nobody picked up, a voicemail was left, or the
customer asked to be called back at a time. Each try is recorded (the case's timeline says so)
and the call stays on the owner's list, a call-back first at its time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from makegood.cases.kinds import register_event_kinds
from makegood.cases.services import CaseActionError
from makegood.cases.timeline import case_event_add, case_lock
from makegood.followup.models import AWAITING_STATES, CallAttempt, CallAttemptOutcome, FollowUp, Method
from makegood.followup.selectors import may_record_call

MAX_NOTE = 1_000
# A call-back more than this far ahead is a typo, not a plan.
MAX_CALL_BACK_AHEAD = timedelta(days=30)


class CallAttemptEventKind(models.TextChoices):
    CALL_ATTEMPT = "followup_call_attempt", "Follow-up call: no answer yet"


register_event_kinds(CallAttemptEventKind)


@transaction.atomic
def followup_call_attempt_record(
    *,
    follow_up: FollowUp,
    user: User,
    outcome: str,
    call_back_at: datetime | None = None,
    note: str = "",
    at: datetime | None = None,
) -> CallAttempt:
    now = at or timezone.now()
    if outcome not in CallAttemptOutcome.values:
        raise ValidationError({"outcome": ["Say what happened on the call."]})
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [f"At most {MAX_NOTE} characters."]})
    if outcome == CallAttemptOutcome.CALL_BACK:
        if call_back_at is None:
            raise ValidationError({"call_back_at": ["When did they ask to be called back?"]})
        if not now < call_back_at <= now + MAX_CALL_BACK_AHEAD:
            raise ValidationError({"call_back_at": ["Choose a time within the next 30 days."]})
    else:
        call_back_at = None
    case = case_lock(follow_up.case_id)
    if not may_record_call(user, case):
        raise CaseActionError("Only the case's owner (or a manager) records the follow-up call.")
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.method != Method.CALL or follow_up.state not in AWAITING_STATES:
        raise CaseActionError("This follow-up is not waiting for a call.")
    attempt = CallAttempt.objects.create(
        follow_up=follow_up, outcome=outcome, call_back_at=call_back_at, note=note, by=user, at=now
    )
    label = CallAttemptOutcome(outcome).label
    body = label + (f", at {timezone.localtime(call_back_at):%d %b %H:%M}" if call_back_at else "") + "."
    if note:
        body += f" {note}"
    case_event_add(
        case,
        kind=CallAttemptEventKind.CALL_ATTEMPT,
        at=now,
        actor=user,
        body=body,
        data={"outcome": outcome, "call_back_at": call_back_at.isoformat() if call_back_at else None},
    )
    return attempt
