"""The core's e-mails to the customer: the acknowledgement and the reply, sent through the outbox.

Each is an outbox message (purposes `ACK_PURPOSE`, `REPLY_PURPOSE`) written in the transaction
that opens the case or records the reply, keyed by the case or the reply (one e-mail each,
however often it is asked for), and sent after the commit by the worker, outside any
transaction: on SQLite a transaction that writes holds the one write lock, and a slow mail server
must never hold up intake. The record that it went out (the timeline's "acknowledgement sent",
the reply's `sent_at`) is written in the same transaction as the message's delivered state.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent
from makegood.cases.threading import message_id_header
from makegood.outbox import outbox_enqueue
from makegood.outbox.handlers import Handler, SendResult
from makegood.outbox.mail import email_send
from makegood.outbox.models import OutboxMessage

ACK_PURPOSE = "cases.acknowledgement"
REPLY_PURPOSE = "cases.reply"


def reply_subject(case: Case) -> str:
    """Every e-mail to a customer carries the reference, so that their reply threads back in."""
    topic = case.subject or "your complaint"
    return f"[{case.reference}] {topic}"


def acknowledgement_enqueue(case: Case) -> None:
    """Inside the transaction that opens the case: its acknowledgement goes out after the commit."""
    outbox_enqueue(purpose=ACK_PURPOSE, target=case.customer.email, key=f"case:{case.pk}", payload={"case_id": case.pk})


def reply_enqueue(event: CaseEvent) -> None:
    """Inside the transaction that records the reply: it is e-mailed after the commit."""
    outbox_enqueue(
        purpose=REPLY_PURPOSE,
        target=event.case.customer.email,
        key=f"reply:{event.pk}",
        payload={"event_id": event.pk},
    )


def acknowledgement_send(message: OutboxMessage) -> SendResult:
    case = Case.objects.select_related("customer").get(pk=message.payload["case_id"])
    context = {"case": case, "business_name": settings.BUSINESS_NAME}
    # RFC 3834: marked automatic so that out-of-office replies do not answer it, and threaded
    # under the customer's own e-mail where there was one.
    # Its Message-ID is recorded on the case (cases/threading.py): the customer's answer threads
    # back by its headers even without the reference in the subject.
    headers = {"Auto-Submitted": "auto-replied", **message_id_header(case, "ack")}
    received = case.events.filter(kind=EventKind.RECEIVED).values_list("data", flat=True).first() or {}
    message_id = (received.get("email") or {}).get("message_id")
    if message_id:
        headers["In-Reply-To"] = headers["References"] = f"<{message_id}>"
    return email_send(
        EmailMessage(
            subject=reply_subject(case),
            body=render_to_string("cases/email/acknowledgement.txt", context),
            to=[case.customer.email],
            headers=headers,
        )
    )


def acknowledgement_delivered(message: OutboxMessage) -> None:
    case = Case.objects.select_related("customer").get(pk=message.payload["case_id"])
    CaseEvent.objects.create(
        case=case, kind=EventKind.ACK_EMAIL_SENT, at=timezone.now(), body=f"Sent to {case.customer.email}."
    )


def reply_send(message: OutboxMessage) -> SendResult:
    event = CaseEvent.objects.select_related("case__customer", "actor").get(pk=message.payload["event_id"])
    case = event.case
    context = {"case": case, "event": event, "business_name": settings.BUSINESS_NAME}
    return email_send(
        EmailMessage(
            subject=reply_subject(case),
            body=render_to_string("cases/email/reply.txt", context),
            to=[case.customer.email],
            headers=message_id_header(case, f"reply-{event.pk}"),
        )
    )


def reply_delivered(message: OutboxMessage) -> None:
    # Merged in the database row as it is now, so that nothing written meanwhile is lost.
    current = CaseEvent.objects.select_for_update().select_related("case__customer").get(pk=message.payload["event_id"])
    current.data = {**current.data, "sent_at": timezone.now().isoformat(), "to": current.case.customer.email}
    current.save(update_fields=["data"])


acknowledgement_handler = Handler(purpose=ACK_PURPOSE, send=acknowledgement_send, delivered=acknowledgement_delivered)
reply_handler = Handler(purpose=REPLY_PURPOSE, send=reply_send, delivered=reply_delivered)
