"""The e-mails of the follow-up: the survey, its one reminder, and the thank-you.

Each leaves through the outbox (one message per follow-up and purpose); `followup/outbound.py`
holds the handlers that send them and record what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from makegood.cases.threading import message_id_header
from makegood.followup.links import SURVEY_LINK_MAX_AGE, survey_url
from makegood.followup.models import FollowUp
from makegood.outbox import outbox_enqueue
from makegood.outbox.models import OutboxMessage

SURVEY = "followup.survey"
REMINDER = "followup.reminder"
THANKS = "followup.thanks"
# Tries at each e-mail before the outbox gives up (and the case's timeline says so).
EMAIL_ATTEMPTS = 5

# RFC 3834: sent by a program, so that out-of-office replies leave it alone.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}


def _message(follow_up: FollowUp, *, subject: str, template: str, link: bool) -> EmailMessage:
    case = follow_up.case
    context = {
        "case": case,
        "follow_up": follow_up,
        "business_name": settings.BUSINESS_NAME,
        "first_name": (case.customer.name or "").split(" ")[0],
    }
    if link:
        context["link"] = survey_url(follow_up)
        context["expires_at"] = timezone.localtime(timezone.now() + SURVEY_LINK_MAX_AGE)
    # The reference in brackets, like every e-mail to a customer, so that a reply threads back in.
    return EmailMessage(
        subject=f"[{case.reference}] {subject}",
        body=render_to_string(template, context),
        to=[case.customer.email],
        # Recorded on the case, so that a customer answering the e-mail itself is threaded back in.
        headers={**AUTOMATIC, **message_id_header(case, f"{template.rpartition('/')[2].split('.')[0]}-{follow_up.pk}")},
    )


def survey_email(follow_up: FollowUp) -> EmailMessage:
    return _message(follow_up, subject="Is your issue resolved?", template="followup/email/survey.txt", link=True)


def reminder_email(follow_up: FollowUp) -> EmailMessage:
    return _message(
        follow_up, subject="One minute: is your issue resolved?", template="followup/email/reminder.txt", link=True
    )


def thanks_email(follow_up: FollowUp) -> EmailMessage:
    return _message(follow_up, subject="Thank you", template="followup/email/thanks.txt", link=False)


def email_enqueue(follow_up: FollowUp, purpose: str) -> OutboxMessage:
    """Inside the follow-up's transaction: the e-mail of `purpose` goes out after the commit."""
    return outbox_enqueue(
        purpose=purpose,
        target=follow_up.case.customer.email,
        key=str(follow_up.pk),
        payload={"follow_up_id": follow_up.pk},
    )
