"""Every write to a follow-up goes through one of these functions (views, API, tasks alike).

Lock order, everywhere: the case first, then its follow-ups. The case services lock the case
and then (through the signals) cancel follow-ups; taking the locks in the same order here means
two transactions never wait for each other in a circle.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from makegood.cases.audit import audit_record
from makegood.cases.models import Case, CaseEvent, Channel, Notification, Status
from makegood.cases.services import CaseActionError, case_close, case_reopen
from makegood.followup import signals
from makegood.followup.emails import EMAIL_ATTEMPTS, REMINDER, SURVEY, THANKS, email_enqueue
from makegood.followup.models import (
    ANSWERABLE_STATES,
    AWAITING_STATES,
    DISSATISFIED_AT_MOST,
    PENDING_STATES,
    FollowUp,
    FollowUpAnswer,
    FollowUpEventKind,
    FollowUpNotificationKind,
    FollowUpPolicy,
    Method,
    Outcome,
    State,
    Timing,
    Via,
)
from makegood.outbox import outbox_cancel
from makegood.recovery.models import Suggestion

MAX_TEXT = 5_000
# Customers of these channels are called back; the others get the survey by e-mail.
CALL_CHANNELS = frozenset({Channel.PHONE, Channel.IN_PERSON})


class FollowUpError(CaseActionError):
    """Well-formed, but not possible in the follow-up's state (the API answers 409)."""


class AlreadyAnswered(FollowUpError):
    """One answer per follow-up: the first one counts."""


# Reading the policy -------------------------------------------------------------------------------


def timing_for(channel: str) -> Timing:
    policy = FollowUpPolicy.objects.filter(channel=channel).first()
    return policy.timing if policy is not None else Timing()


def method_for(case: Case) -> str | None:
    """A call for phone and in-person customers who gave a number, else an e-mail if we can."""
    customer = case.customer
    if case.channel in CALL_CHANNELS and customer.phone:
        return Method.CALL
    if customer.email:
        return Method.EMAIL
    if customer.phone:
        return Method.CALL
    return None


def is_dissatisfied(*, resolved: bool, satisfaction: int) -> bool:
    return not resolved or satisfaction <= DISSATISFIED_AT_MOST


def _days(span: timedelta) -> str:
    days = span / timedelta(days=1)
    if days >= 1 and days == int(days):
        return f"{int(days)} day{'s' if days != 1 else ''}"
    hours = span / timedelta(hours=1)
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


# Helpers -------------------------------------------------------------------------------------------


def _lock(follow_up: FollowUp) -> FollowUp:
    """The follow-up, re-read under a row lock (its case locked first: see the module docstring)."""
    Case.objects.select_for_update().filter(pk=follow_up.case_id).values_list("pk", flat=True).get()
    return (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case__customer", "case__owner")
        .get(pk=follow_up.pk)
    )


def _event(
    follow_up: FollowUp, *, step: str, body: str, at: datetime, actor: User | None = None, **data: Any
) -> CaseEvent:
    return CaseEvent.objects.create(
        case_id=follow_up.case_id,
        kind=FollowUpEventKind.FOLLOW_UP,
        at=at,
        actor=actor,
        body=body,
        data={"follow_up": follow_up.pk, "step": step, "method": follow_up.method, **data},
    )


def _audit(follow_up: FollowUp, *, action: str, at: datetime, actor: User | None = None, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"followup.{action}",
        obj=follow_up,
        changes={"case": follow_up.case_id, "state": follow_up.state, **changes},
        at=at,
    )


def _release(follow_up: FollowUp) -> None:
    """The follow-up moves on: an e-mail still waiting in the outbox is no longer wanted."""
    if follow_up.pending_email_id is not None:
        outbox_cancel(follow_up.pending_email_id)
        follow_up.pending_email = None


def _calls_done(case_id: int, at: datetime) -> None:
    """The case's "call due" notices are settled once the call is answered or no longer wanted."""
    Notification.objects.filter(case_id=case_id, kind=FollowUpNotificationKind.CALL_DUE, read_at__isnull=True).update(
        read_at=at
    )


def _notify_call(follow_up: FollowUp, *, message: str, at: datetime) -> None:
    case = follow_up.case
    if case.owner_id is None and case.team_id is None:
        return
    Notification.objects.create(
        case=case,
        kind=FollowUpNotificationKind.CALL_DUE,
        user_id=case.owner_id,
        team_id=None if case.owner_id is not None else case.team_id,
        message=message[:300],
        created_at=at,
    )


def _first_name(case: Case) -> str:
    words = case.customer.name.split()
    return words[0] if words else "the customer"


# Scheduling and cancelling --------------------------------------------------------------------------


@transaction.atomic
def followup_schedule(*, case: Case, at: datetime | None = None) -> FollowUp | None:
    """A case was resolved: ask the customer, after the channel's delay, whether it really is.

    No timeline line yet (the case page's follow-up card shows when it is due), so that the
    resolution stays the timeline's last word until something happens.

    Nothing is scheduled when the whole window (the delay and the wait for an answer) lies in
    the past already: a case resolved long ago and recorded late (the demo's history, an
    import) gets no survey about something the customer has long forgotten.
    """
    at = at or timezone.now()
    case = Case.objects.select_for_update().select_related("customer").get(pk=case.pk)
    method = method_for(case)
    timing = timing_for(case.channel)
    due_at = at + timing.delay
    if due_at + timing.give_up_after < timezone.now():
        return None
    followup_cancel_pending(case=case, reason="A newer resolution replaces it.", at=at)
    if method is None:
        CaseEvent.objects.create(
            case=case,
            kind=FollowUpEventKind.FOLLOW_UP,
            at=at,
            body="No follow-up: the customer left neither an e-mail address nor a phone number.",
            data={"step": "not_scheduled"},
        )
        return None
    follow_up = FollowUp.objects.create(
        case=case, method=method, due_at=due_at, created_at=at, nonce=secrets.token_urlsafe(16)
    )
    _audit(follow_up, action="scheduled", at=at, due_at=due_at.isoformat(), method=method)
    return follow_up


@transaction.atomic
def followup_cancel_pending(*, case: Case, reason: str, at: datetime | None = None, actor: User | None = None) -> int:
    """The case left the resolved state some other way: stop asking about a resolution that is gone."""
    at = at or timezone.now()
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).get()
    pending = list(FollowUp.objects.select_for_update().filter(case_id=case.pk, state__in=PENDING_STATES))
    for follow_up in pending:
        follow_up.state, follow_up.cancelled_at, follow_up.cancel_reason = State.CANCELLED, at, reason[:300]
        _release(follow_up)
        follow_up.save()
        _event(follow_up, step="cancelled", body=f"Follow-up cancelled: {reason}", at=at, actor=actor)
        _audit(follow_up, action="cancelled", at=at, actor=actor, reason=reason)
    if pending:
        _calls_done(case.pk, at)
    return len(pending)


# Asking -------------------------------------------------------------------------------------------

# The state in which the follow-up waits for each of these e-mails to go out.
_EMAIL_FOR_STATE = {SURVEY: State.SCHEDULED, REMINDER: State.SENT}


@transaction.atomic
def followup_email_queue(*, follow_up: FollowUp, purpose: str) -> bool:
    """The survey or the reminder is due: put it in the outbox, once. False if nothing was queued
    (another sweep queued it, the follow-up moved on, or the customer has no address any more)."""
    follow_up = _lock(follow_up)
    if follow_up.state != _EMAIL_FOR_STATE[purpose] or follow_up.pending_email_id is not None:
        return False
    if not follow_up.case.customer.email:
        if purpose == SURVEY:
            followup_cancel_pending(case=follow_up.case, reason="The customer has no e-mail address any more.")
        return False
    follow_up.pending_email = email_enqueue(follow_up, purpose)
    follow_up.save(update_fields=["pending_email"])
    return True


def _mark_sent(follow_up: FollowUp, *, to: str, at: datetime) -> None:
    timing = timing_for(follow_up.case.channel)
    follow_up.state, follow_up.sent_at, follow_up.sent_to = State.SENT, at, to
    follow_up.remind_at = at + timing.remind_after
    follow_up.give_up_at = at + timing.give_up_after
    _release(follow_up)
    follow_up.save()


@transaction.atomic
def followup_record_sent(*, follow_up: FollowUp, to: str, at: datetime | None = None) -> FollowUp:
    """The survey e-mail went out (recorded with its delivery by the outbox: `followup/outbound.py`)."""
    follow_up = _lock(follow_up)
    if follow_up.state != State.SCHEDULED:
        return follow_up
    at = at or timezone.now()
    _mark_sent(follow_up, to=to, at=at)
    _event(follow_up, step="sent", body=f"Satisfaction survey e-mailed to {to}.", at=at)
    _audit(follow_up, action="sent", at=at)
    return follow_up


@transaction.atomic
def followup_call_due(*, follow_up: FollowUp, at: datetime | None = None) -> FollowUp:
    """Time to call a phone or in-person customer: the call appears on the owner's list."""
    follow_up = _lock(follow_up)
    if follow_up.state != State.SCHEDULED:
        return follow_up
    at = at or timezone.now()
    case = follow_up.case
    _mark_sent(follow_up, to=case.customer.phone, at=at)
    _notify_call(
        follow_up,
        message=f"Follow-up call due: ask {case.customer.name or 'the customer'} whether {case.reference} is resolved.",
        at=at,
    )
    who = "The team"
    if case.owner is not None:
        who = case.owner.get_full_name() or case.owner.get_username()
    _event(follow_up, step="sent", body=f"Follow-up call due: {who} calls {_first_name(case)} to ask.", at=at)
    _audit(follow_up, action="call_due", at=at)
    return follow_up


@transaction.atomic
def followup_record_reminded(*, follow_up: FollowUp, at: datetime | None = None) -> FollowUp:
    """One reminder: the survey e-mailed again (with a fresh link), or the call put back on the list."""
    follow_up = _lock(follow_up)
    if follow_up.state != State.SENT:
        return follow_up
    at = at or timezone.now()
    follow_up.state, follow_up.reminded_at = State.REMINDED, at
    _release(follow_up)
    follow_up.save()
    case = follow_up.case
    if follow_up.method == Method.CALL:
        _notify_call(follow_up, message=f"Follow-up call still due: {case.reference} ({case.customer.name}).", at=at)
        body = "Reminder: the follow-up call has not been recorded yet."
    else:
        body = f"Reminder e-mailed to {follow_up.sent_to}."
    _event(follow_up, step="reminded", body=body, at=at)
    _audit(follow_up, action="reminded", at=at)
    return follow_up


@transaction.atomic
def followup_give_up(*, follow_up: FollowUp, at: datetime | None = None) -> FollowUp:
    """Silence after the reminder: "no response". The case stays resolved; reports count it."""
    follow_up = _lock(follow_up)
    if follow_up.state not in AWAITING_STATES:
        return follow_up
    at = at or timezone.now()
    follow_up.state, follow_up.no_response_at = State.NO_RESPONSE, at
    _release(follow_up)
    follow_up.save()
    _calls_done(follow_up.case_id, at)
    waited = _days(at - follow_up.sent_at) if follow_up.sent_at else "a while"
    _event(follow_up, step="no_response", body=f"No answer after {waited}: the case stays resolved.", at=at)
    _audit(follow_up, action="no_response", at=at)
    return follow_up


@transaction.atomic
def followup_email_failed(*, follow_up_id: int, message_id: int, purpose: str, error: str) -> None:
    """The outbox gave up on one of the follow-up's e-mails: say so on the case, where the owner
    sees it, and stop waiting for what that e-mail was to bring."""
    follow_up = FollowUp.objects.filter(pk=follow_up_id).first()
    if follow_up is None:
        return
    follow_up = _lock(follow_up)
    if follow_up.pending_email_id != message_id:
        return  # the follow-up moved on meanwhile (checked under the lock)
    at = timezone.now()
    tries = f"after {EMAIL_ATTEMPTS} attempts"
    if purpose == SURVEY:
        step = "send"
        follow_up.state, follow_up.cancelled_at = State.CANCELLED, at
        follow_up.cancel_reason = f"The survey could not be e-mailed {tries}."
        body = f"Follow-up cancelled: {follow_up.cancel_reason} Last error: {error[:300]}"
    elif purpose == REMINDER:
        step = "remind"
        follow_up.remind_at = None  # the answer window stays open; there is just no reminder
        body = f"The reminder could not be e-mailed {tries}. Last error: {error[:300]}"
    else:
        step = "thanks"
        follow_up.thanks_due_at = None
        body = f"The thank-you could not be e-mailed {tries}. Last error: {error[:300]}"
    follow_up.pending_email = None
    follow_up.save()
    _event(follow_up, step=f"{step}_failed", body=body, at=at)
    _audit(follow_up, action=f"{step}_failed", at=at, error=error[:300])


@transaction.atomic
def followup_record_thanked(*, follow_up: FollowUp, at: datetime | None = None) -> FollowUp:
    follow_up = _lock(follow_up)
    if follow_up.thanks_due_at is None or follow_up.thanked_at is not None:
        return follow_up
    at = at or timezone.now()
    follow_up.thanked_at, follow_up.pending_email = at, None
    follow_up.save()
    _event(follow_up, step="thanked", body=f"Thank-you e-mailed to {follow_up.case.customer.email}.", at=at)
    return follow_up


# The answer ---------------------------------------------------------------------------------------


def validate_answer(*, resolved: object, satisfaction: object, comment: str, suggestion: str) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(resolved, bool):
        errors["resolved"] = ["Say whether the issue is resolved: yes or no."]
    if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        errors["satisfaction"] = ["Choose a score from 1 to 5."]
    for field, text in (("comment", comment), ("suggestion", suggestion)):
        if len(text) > MAX_TEXT:
            errors[field] = [f"At most {MAX_TEXT} characters (this has {len(text)})."]
    if errors:
        raise ValidationError(errors)


def _answer_summary(answer: FollowUpAnswer) -> str:
    said = "resolved" if answer.resolved else "not resolved"
    return f"{said}, satisfaction {answer.satisfaction} of 5"


@transaction.atomic
def followup_answer(
    *,
    follow_up: FollowUp,
    resolved: bool,
    satisfaction: int,
    via: str,
    comment: str = "",
    suggestion: str = "",
    recorded_by: User | None = None,
    at: datetime | None = None,
) -> FollowUpAnswer:
    """Record what the customer said, and act on it.

    "Not resolved" or a score of 1-2 reopens the case (high priority, fresh clock, owner told:
    `case_reopen`); otherwise the case is closed and, after a web answer, the customer thanked
    by e-mail. A suggestion travels on as a `recovery.Suggestion`. One answer per follow-up.
    """
    comment, suggestion = comment.strip(), suggestion.strip()
    validate_answer(resolved=resolved, satisfaction=satisfaction, comment=comment, suggestion=suggestion)
    if via not in Via.values:
        raise ValidationError({"via": [f"Unknown way of answering {via!r}."]})
    follow_up = _lock(follow_up)
    if follow_up.state == State.ANSWERED:
        raise AlreadyAnswered("This follow-up has already been answered.")
    case = follow_up.case
    if follow_up.state not in ANSWERABLE_STATES or case.status != Status.RESOLVED:
        raise FollowUpError("This follow-up is no longer open.")
    at = at or timezone.now()
    dissatisfied = is_dissatisfied(resolved=resolved, satisfaction=satisfaction)
    answer = FollowUpAnswer.objects.create(
        follow_up=follow_up,
        resolved=resolved,
        satisfaction=satisfaction,
        comment=comment,
        suggestion=suggestion,
        via=via,
        recorded_by=recorded_by,
        outcome=Outcome.REOPENED if dissatisfied else Outcome.CLOSED,
        answered_at=at,
    )
    follow_up.state, follow_up.answered_at = State.ANSWERED, at
    _release(follow_up)
    if not dissatisfied and via == Via.WEB and case.customer.email:
        follow_up.thanks_due_at, follow_up.pending_email = at, email_enqueue(follow_up, THANKS)
    follow_up.save()
    _calls_done(case.pk, at)

    how = "on the survey page" if via == Via.WEB else "on a follow-up call"
    body = f"The customer answered {how}: {_answer_summary(answer)}."
    if comment:
        body += f"\n\n“{comment}”"
    if suggestion:
        body += f"\n\nCould do better: “{suggestion}”"
    _event(
        follow_up,
        step="answered",
        body=body,
        at=at,
        actor=recorded_by,
        resolved=resolved,
        satisfaction=satisfaction,
        via=via,
        outcome=answer.outcome,
    )
    _audit(follow_up, action="answered", at=at, actor=recorded_by, outcome=answer.outcome, satisfaction=satisfaction)
    if suggestion:
        Suggestion.objects.create(case=case, text=suggestion, recorded_by=recorded_by, created_at=at)

    if dissatisfied:
        reason = f"The customer said in the follow-up: {_answer_summary(answer)}."
        if comment:
            reason += f" “{comment}”"
        case_reopen(case=case, reason=reason, actor=recorded_by, at=at)
    else:
        note = f"The customer confirmed in the follow-up: {_answer_summary(answer)}."
        case_close(case=case, note=note, actor=recorded_by, at=at)
    signals.followup_answered.send(sender=FollowUp, follow_up=follow_up, at=at)
    return answer
