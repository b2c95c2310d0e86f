"""Background work for cases. Thin: fetch by id, call the service or send the mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from makegood.cases.models import Case, CaseEvent, EventKind


def reply_subject(case: Case) -> str:
    """Every e-mail to a customer carries the reference, so that their reply threads back in."""
    topic = case.subject or "your complaint"
    return f"[{case.reference}] {topic}"


@task()
def send_acknowledgement(case_id: int) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("customer").get(pk=case_id)
        # A task that already ran (and recorded it) is not sent twice after a retry.
        if case.events.filter(kind=EventKind.ACK_EMAIL_SENT).exists():
            return
        context = {"case": case, "business_name": settings.BUSINESS_NAME}
        # RFC 3834: marked automatic so that out-of-office replies do not answer it, and threaded
        # under the customer's own e-mail where there was one.
        headers = {"Auto-Submitted": "auto-replied"}
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
    with transaction.atomic():
        event = (
            CaseEvent.objects.select_for_update(of=("self",)).select_related("case__customer", "actor").get(pk=event_id)
        )
        if event.data.get("sent_at"):
            return
        case = event.case
        context = {"case": case, "event": event, "business_name": settings.BUSINESS_NAME}
        EmailMessage(
            subject=reply_subject(case),
            body=render_to_string("cases/email/reply.txt", context),
            to=[case.customer.email],
        ).send()
        event.data = {**event.data, "sent_at": timezone.now().isoformat(), "to": case.customer.email}
        event.save(update_fields=["data"])
