"""Every e-mail this stage sends to a customer leaves through the outbox, from here.

`customer_email_enqueue` writes the outbox message in the same transaction as the change that
asks for it (an announcement made, a suggestion adopted), so a committed change always has its
e-mail on the way, once (keyed by the announcement or the suggestion). The handlers render the
e-mail when it is sent and record `sent_at` / `thanked_at` with its delivery.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from makegood.outbox import outbox_enqueue
from makegood.outbox.handlers import Handler, SendResult
from makegood.outbox.mail import email_send
from makegood.outbox.models import OutboxMessage

AUTOMATIC = {"Auto-Submitted": "auto-generated"}
KINDS = ("fix_announcement", "suggestion_thanks")


def purpose_of(kind: str) -> str:
    return f"improvement.{kind}"


def customer_email_enqueue(kind: str, object_id: int) -> None:
    """`kind`: "fix_announcement" (a FixAnnouncement id) or "suggestion_thanks" (a SuggestionItem id)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown customer e-mail {kind!r}.")
    outbox_enqueue(purpose=purpose_of(kind), key=f"{kind}:{object_id}", payload={"id": object_id})


def _first_name(name: str) -> str:
    return (name or "").split(" ")[0]


def _email(kind: str, object_id: int) -> EmailMessage | None:
    """The e-mail to send, or None when there is nothing (left) to send."""
    from makegood.improvement.models import FixAnnouncement, SuggestionItem

    context = {"business_name": settings.BUSINESS_NAME}
    if kind == "fix_announcement":
        announcement = FixAnnouncement.objects.select_related("case__customer").get(pk=object_id)
        if announcement.sent_at is not None:
            return None
        case = announcement.case
        context |= {"case": case, "first_name": _first_name(case.customer.name), "body": announcement.body}
        subject, template, to = "We fixed what went wrong", "improvement/email/fix_announcement.txt", announcement.to
    else:
        item = SuggestionItem.objects.select_related("case__customer", "group", "suggestion").get(pk=object_id)
        if item.thanked_at is not None or not item.case.customer.email:
            return None
        case = item.case
        context |= {
            "case": case,
            "first_name": _first_name(case.customer.name),
            "suggestion": item.suggestion.text,
            "what_changed": item.group.what_changed,
        }
        subject, template = "Your suggestion changed how we work", "improvement/email/suggestion_thanks.txt"
        to = case.customer.email
    return EmailMessage(
        subject=f"[{case.reference}] {subject}",
        body=render_to_string(template, context),
        to=[to],
        headers=dict(AUTOMATIC),
    )


def _handler(kind: str) -> Handler:
    def send(message: OutboxMessage) -> SendResult:
        email = _email(kind, message.payload["id"])
        return SendResult(ok=True) if email is None else email_send(email)

    def delivered(message: OutboxMessage) -> None:
        from makegood.improvement.models import FixAnnouncement, SuggestionItem

        at = message.delivered_at
        if kind == "fix_announcement":
            FixAnnouncement.objects.filter(pk=message.payload["id"], sent_at__isnull=True).update(sent_at=at)
        else:
            SuggestionItem.objects.filter(pk=message.payload["id"], thanked_at__isnull=True).update(thanked_at=at)

    return Handler(purpose=purpose_of(kind), send=send, delivered=delivered)


def handlers() -> list[Handler]:
    return [_handler(kind) for kind in KINDS]
