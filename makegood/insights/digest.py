"""The monthly digest: on the first of each month, every manager and process owner gets last
month's figures for their scope, with the change against the month before.

The worker asks every hour (`settings.MAKEGOOD_PERIODIC_TASKS`); `DigestSent` makes each person's
digest go out once per month however often it asks (and on the 2nd or 3rd if the worker was down
on the 1st). The e-mail leaves through the outbox (`digest_enqueue`, purpose `insights.digest`),
like every message that leaves Makegood: retried with back-off, visible when it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from makegood.accounts.models import Role
from makegood.insights.kpis import Kpis, kpis_for
from makegood.insights.models import DigestSent
from makegood.insights.scope import Filters, scope_for
from makegood.outbox import outbox_enqueue
from makegood.outbox.handlers import Handler, SendResult
from makegood.outbox.mail import email_send
from makegood.outbox.models import OutboxMessage

SEND_UNTIL_DAY = 3
RECIPIENT_ROLES = (Role.MANAGER, Role.PROCESS_OWNER)


def month_bounds(first: date) -> tuple[date, date]:
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class Line:
    label: str
    now: str
    before: str
    change: str


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"


def _points(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return ""
    return f"{(now - before) * 100:+.0f} points"


def _minutes(seconds: float | None) -> str:
    return "no data" if seconds is None else f"{seconds / 60:.0f} min"


def digest_lines(now: Kpis, before: Kpis) -> list[Line]:
    def share(label: str, a: float | None, b: float | None) -> Line:
        return Line(label, _pct(a), _pct(b), _points(a, b))

    r_now, r_before = now.response_overall, before.response_overall
    delta = (
        f"{(r_now.median_seconds - r_before.median_seconds) / 60:+.0f} min"
        if r_now.median_seconds is not None and r_before.median_seconds is not None
        else ""
    )
    cost_change = now.compensation["cost"] - before.compensation["cost"]
    return [
        Line("Complaints received", str(now.cases), str(before.cases), f"{now.cases - before.cases:+d}"),
        share("First response within target", r_now.share_within_target, r_before.share_within_target),
        Line("First response, median", _minutes(r_now.median_seconds), _minutes(r_before.median_seconds), delta),
        share("One-touch resolution", now.first_contact["one_touch_rate"], before.first_contact["one_touch_rate"]),
        share(
            "No repeat contact in 7 days", now.first_contact["no_repeat_rate"], before.first_contact["no_repeat_rate"]
        ),
        share(
            "Customer-confirmed resolution", now.first_contact["confirmed_rate"], before.first_contact["confirmed_rate"]
        ),
        share("Reopened within 30 days (cases)", now.reopen["cases_rate"], before.reopen["cases_rate"]),
        share(
            "Satisfied (4-5) of those who answered",
            now.satisfaction["satisfied_share"],
            before.satisfaction["satisfied_share"],
        ),
        Line(
            f"Compensation ({now.currency})",
            str(now.compensation["cost"]),
            str(before.compensation["cost"]),
            f"{cost_change:+}",
        ),
    ]


def digest_render(user: User, month: date) -> tuple[str, str]:
    scope = scope_for(user)
    first, last = month_bounds(month)
    before_first, before_last = month_bounds(previous_month(month))
    now = kpis_for(scope, Filters(first, last))
    before = kpis_for(scope, Filters(before_first, before_last))
    subject = f"Your recovery figures for {month:%B %Y}"
    body = render_to_string(
        "insights/email/digest.txt",
        {
            "user": user,
            "month": month,
            "scope": scope,
            "lines": digest_lines(now, before),
            "url": f"{settings.SITE_URL}/insights/?first_day={first.isoformat()}&last_day={last.isoformat()}",
            "business_name": settings.BUSINESS_NAME,
        },
    )
    return subject, body


DIGEST_PURPOSE = "insights.digest"


def digest_enqueue(user: User, month: date) -> None:
    """The one way a digest leaves: an outbox message written in the same transaction as its
    `DigestSent` row, keyed by person and month (one e-mail each, however often it is asked for)."""
    outbox_enqueue(
        purpose=DIGEST_PURPOSE,
        target=user.email,
        key=f"digest:{user.pk}:{month.isoformat()}",
        payload={"user_id": user.pk, "month": month.isoformat()},
    )


def digest_send(message: OutboxMessage) -> SendResult:
    """The outbox's sender for a digest: rendered when it is sent, from the figures as they are then."""
    user = User.objects.filter(pk=message.payload["user_id"], is_active=True).first()
    if user is None or not user.email:
        return SendResult(ok=True)  # nobody to send it to any more: done, not retried
    subject, body = digest_render(user, date.fromisoformat(message.payload["month"]))
    return email_send(
        EmailMessage(subject=subject, body=body, to=[user.email], headers={"Auto-Submitted": "auto-generated"})
    )


digest_handler = Handler(purpose=DIGEST_PURPOSE, send=digest_send)


def digests_due(today: date | None = None) -> int:
    """Queue last month's digest for each manager and process owner who has not had it yet."""
    today = today or timezone.localdate()
    if today.day > SEND_UNTIL_DAY:
        return 0
    month = previous_month(today)
    recipients = (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in RECIPIENT_ROLES])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    already = set(DigestSent.objects.filter(month=month).values_list("user_id", flat=True))
    queued = 0
    for user in recipients:
        if user.pk in already:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(month=month, user=user)
                digest_enqueue(user, month)
        except IntegrityError:
            continue  # another worker queued it first
        queued += 1
    return queued
