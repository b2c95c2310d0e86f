"""Background work of the improvement loop. Thin: fetch by id, send or sweep, record."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from makegood.improvement.models import FixAnnouncement, SuggestionItem

AUTOMATIC = {"Auto-Submitted": "auto-generated"}


def _first_name(name: str) -> str:
    return (name or "").split(" ")[0]


@task()
def send_customer_email(kind: str, object_id: int) -> None:
    """Idempotent: a message already sent (its `sent_at` / `thanked_at` set) is not sent again.
    Sent outside any transaction, like every e-mail (a slow mail server must not hold a write lock)."""
    context = {"business_name": settings.BUSINESS_NAME}
    if kind == "fix_announcement":
        announcement = FixAnnouncement.objects.select_related("case__customer").get(pk=object_id)
        if announcement.sent_at is not None:
            return
        case = announcement.case
        context |= {"case": case, "first_name": _first_name(case.customer.name), "body": announcement.body}
        subject, template, to = "We fixed what went wrong", "improvement/email/fix_announcement.txt", announcement.to
    elif kind == "suggestion_thanks":
        item = SuggestionItem.objects.select_related("case__customer", "group", "suggestion").get(pk=object_id)
        if item.thanked_at is not None or not item.case.customer.email:
            return
        case = item.case
        context |= {
            "case": case,
            "first_name": _first_name(case.customer.name),
            "suggestion": item.suggestion.text,
            "what_changed": item.group.what_changed,
        }
        subject, template, to = (
            "Your suggestion changed how we work",
            "improvement/email/suggestion_thanks.txt",
            case.customer.email,
        )
    else:
        raise ValueError(f"Unknown customer e-mail {kind!r}.")
    EmailMessage(
        subject=f"[{case.reference}] {subject}",
        body=render_to_string(template, context),
        to=[to],
        headers=dict(AUTOMATIC),
    ).send()
    now = timezone.now()
    if kind == "fix_announcement":
        FixAnnouncement.objects.filter(pk=object_id, sent_at__isnull=True).update(sent_at=now)
    else:
        SuggestionItem.objects.filter(pk=object_id, thanked_at__isnull=True).update(thanked_at=now)


@task()
def watch_causes() -> dict[str, int]:
    """Periodic (settings.MAKEGOOD_PERIODIC_TASKS): the CUSUM over every cause and every live fix."""
    from makegood.improvement.monitor import causes_watch

    result = causes_watch()
    return {"rising": result.rising, "relapses": result.relapses}
