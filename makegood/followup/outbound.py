"""The follow-up's e-mails leave through the outbox: how each is sent, and what its delivery means.

The outbox claims, sends, retries (up to `EMAIL_ATTEMPTS`) and gives up; these handlers build the
e-mail when it is sent (the survey link is signed then, so it is fresh), record the delivery in
the same transaction as the message's delivered state (the follow-up moves on: sent, reminded,
thanked), and tell the case when the outbox gave up. A message the follow-up no longer waits for
(the case was reopened while the survey waited for a retry) is withdrawn instead of sent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMessage

from makegood.followup.emails import (
    EMAIL_ATTEMPTS,
    REMINDER,
    SURVEY,
    THANKS,
    reminder_email,
    survey_email,
    thanks_email,
)
from makegood.followup.models import FollowUp
from makegood.followup.services import (
    followup_email_failed,
    followup_record_reminded,
    followup_record_sent,
    followup_record_thanked,
)
from makegood.outbox import outbox_cancel
from makegood.outbox.handlers import Handler, SendResult
from makegood.outbox.mail import email_send
from makegood.outbox.models import OutboxMessage


def _waiting_for(message: OutboxMessage) -> FollowUp | None:
    """The follow-up, if it still waits for this very message."""
    return (
        FollowUp.objects.select_related("case__customer", "case__owner")
        .filter(pk=message.payload["follow_up_id"], pending_email_id=message.pk)
        .first()
    )


def _sender(build: Callable[[FollowUp], EmailMessage]) -> Callable[[OutboxMessage], SendResult]:
    def send(message: OutboxMessage) -> SendResult:
        follow_up = _waiting_for(message)
        if follow_up is None:
            outbox_cancel(message.pk)
            return SendResult(ok=False, error="The follow-up no longer waits for this e-mail.")
        return email_send(build(follow_up))

    return send


def _survey_delivered(message: OutboxMessage) -> None:
    follow_up = _waiting_for(message)
    if follow_up is not None:
        followup_record_sent(follow_up=follow_up, to=message.target, at=message.delivered_at)


def _reminder_delivered(message: OutboxMessage) -> None:
    follow_up = _waiting_for(message)
    if follow_up is not None:
        followup_record_reminded(follow_up=follow_up, at=message.delivered_at)


def _thanks_delivered(message: OutboxMessage) -> None:
    follow_up = _waiting_for(message)
    if follow_up is not None:
        followup_record_thanked(follow_up=follow_up, at=message.delivered_at)


def _failed(message: OutboxMessage) -> None:
    followup_email_failed(
        follow_up_id=message.payload["follow_up_id"],
        message_id=message.pk,
        purpose=message.purpose,
        error=message.last_error,
    )


HANDLERS = [
    Handler(
        purpose=purpose,
        send=_sender(build),
        delivered=delivered,
        failed=_failed,
        max_attempts=EMAIL_ATTEMPTS,
    )
    for purpose, build, delivered in (
        (SURVEY, survey_email, _survey_delivered),
        (REMINDER, reminder_email, _reminder_delivered),
        (THANKS, thanks_email, _thanks_delivered),
    )
]
