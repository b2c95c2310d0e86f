"""Background work for cases. Thin: fetch by id, call the service or send the mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent
from makegood.cases.threading import message_id_header


def reply_subject(case: Case) -> str:
    """Every e-mail to a customer carries the reference, so that their reply threads back in."""
    topic = case.subject or "your complaint"
    return f"[{case.reference}] {topic}"


# Sending happens outside any transaction: on SQLite a transaction that writes holds the one
# write lock, and a slow mail server must never hold up intake. A task that already ran finds its
# record and sends nothing; the one double-send window left is a crash between the mail server
# accepting the message and the record's commit (the task is then retried).


@task()
def send_acknowledgement(case_id: int) -> None:
    case = Case.objects.select_related("customer").get(pk=case_id)
    if case.events.filter(kind=EventKind.ACK_EMAIL_SENT).exists():
        return
    context = {"case": case, "business_name": settings.BUSINESS_NAME}
    # RFC 3834: marked automatic so that out-of-office replies do not answer it, and threaded
    # under the customer's own e-mail where there was one.
    # Its Message-ID is recorded on the case: the customer's answer threads back by its headers.
    headers = {"Auto-Submitted": "auto-replied", **message_id_header(case, "ack")}
    received = case.events.filter(kind=EventKind.RECEIVED).values_list("data", flat=True).first() or {}
    message_id = (received.get("email") or {}).get("message_id")
    if message_id:
        headers["In-Reply-To"] = headers["References"] = f"<{message_id}>"
    EmailMessage(
        subject=reply_subject(case),
        body=render_to_string("cases/email/acknowledgement.txt", context),
        to=[case.customer.email],
        headers=headers,
    ).send()
    CaseEvent.objects.create(
        case=case, kind=EventKind.ACK_EMAIL_SENT, at=timezone.now(), body=f"Sent to {case.customer.email}."
    )


@task()
def send_reply(event_id: int) -> None:
    event = CaseEvent.objects.select_related("case__customer", "actor").get(pk=event_id)
    if event.data.get("sent_at"):
        return
    case = event.case
    context = {"case": case, "event": event, "business_name": settings.BUSINESS_NAME}
    EmailMessage(
        subject=reply_subject(case),
        body=render_to_string("cases/email/reply.txt", context),
        to=[case.customer.email],
        headers=message_id_header(case, f"reply-{event.pk}"),
    ).send()
    sent = {"sent_at": timezone.now().isoformat(), "to": case.customer.email}
    # Merged in the database row as it is now, so that nothing written meanwhile is lost.
    with transaction.atomic():
        current = CaseEvent.objects.select_for_update().get(pk=event_id)
        current.data = {**current.data, **sent}
        current.save(update_fields=["data"])


@task()
def sweep_clocks() -> dict[str, int]:
    """Every 15 seconds (settings.MAKEGOOD_PERIODIC_TASKS): alert clocks about to run out and
    record the ones that ran out, each once however often the sweep runs."""
    from makegood.cases.breaches import clock_sweep

    result = clock_sweep()
    return {"alerted": result.alerted, "breached": result.breached}
