"""Background work of the follow-up: the sweep, and one task per e-mail or call.

Crash-safety, step by step:
- The sweep (every minute, `MAKEGOOD_PERIODIC_TASKS`) leases what is due with a conditional
  update (`... WHERE state = 'scheduled' AND lease has expired`), one row at a time, so two
  sweeps running at once never lease the same follow-up; it enqueues a task per lease on commit.
- A task works only if the follow-up is still in the expected state *and* still carries the
  task's own lease token; it e-mails outside any transaction (a slow mail server holds no
  database lock), then records the result under a row lock, re-checking the state.
- A task lost or killed mid-way leaves a lease that runs out (`LEASE`); the next sweep leases
  the follow-up again and a new task does the work. A task run again after it finished finds
  the follow-up no longer in the expected state and does nothing: nothing is sent twice (short
  of a crash in the instant between the mail server's acceptance and the commit).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from makegood.followup.emails import reminder_email, survey_email, thanks_email
from makegood.followup.models import AWAITING_STATES, FollowUp, Method, State
from makegood.followup.services import (
    LEASE,
    followup_call_due,
    followup_cancel_pending,
    followup_give_up,
    followup_record_reminded,
    followup_record_sent,
    followup_record_thanked,
    followup_work_failed,
)
from makegood.worker.outbox import enqueue_on_commit

logger = logging.getLogger(__name__)

# Per kind of work and sweep; whatever is left waits for the next sweep, a minute later.
BATCH = 200


def _free(now: datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def _lease(due: QuerySet[FollowUp], now: datetime, work: Task[[int, str], None]) -> int:
    """Lease each due follow-up (the condition repeated in the UPDATE, so that exactly one sweep
    wins each row) and enqueue its task once the leases are committed."""
    leased = 0
    with transaction.atomic():
        for pk in list(due.filter(_free(now)).order_by("pk").values_list("pk", flat=True)[:BATCH]):
            token = secrets.token_hex(8)
            won = (
                due.filter(_free(now), pk=pk).update(
                    lease_token=token, lease_until=now + LEASE, attempts=F("attempts") + 1
                )
                == 1
            )
            if won:
                enqueue_on_commit(work, pk, token)
                leased += 1
    return leased


@task()
def sweep_followups() -> dict[str, int]:
    """Whatever is due: surveys and calls to send, silences to record, reminders and thank-yous."""
    now = timezone.now()
    silent = 0
    for follow_up in FollowUp.objects.filter(state__in=AWAITING_STATES, give_up_at__lte=now).order_by("pk")[:BATCH]:
        if followup_give_up(follow_up=follow_up, at=now).state == State.NO_RESPONSE:
            silent += 1
    return {
        "sent": _lease(FollowUp.objects.filter(state=State.SCHEDULED, due_at__lte=now), now, send_followup),
        "no_response": silent,
        "reminded": _lease(FollowUp.objects.filter(state=State.SENT, remind_at__lte=now), now, remind_followup),
        "thanked": _lease(
            FollowUp.objects.filter(thanks_due_at__isnull=False, thanked_at__isnull=True),
            now,
            send_followup_thanks,
        ),
    }


def _leased(follow_up_id: int, lease_token: str, state: str) -> FollowUp | None:
    """The follow-up, if this task's lease still holds it in the expected state; else None."""
    follow_up = FollowUp.objects.select_related("case__customer", "case__owner").filter(pk=follow_up_id).first()
    if follow_up is None or follow_up.state != state or follow_up.lease_token != lease_token:
        return None
    return follow_up


@task()
def send_followup(follow_up_id: int, lease_token: str) -> None:
    """Ask the customer: e-mail the survey, or put the call on the owner's list."""
    follow_up = _leased(follow_up_id, lease_token, State.SCHEDULED)
    if follow_up is None:
        return
    if follow_up.method == Method.CALL:
        followup_call_due(follow_up=follow_up)
        return
    to = follow_up.case.customer.email
    if not to:
        followup_cancel_pending(case=follow_up.case, reason="The customer has no e-mail address any more.")
        return
    try:
        survey_email(follow_up).send()
    except Exception as exc:
        logger.warning("E-mailing follow-up %s failed: %s", follow_up_id, exc)
        followup_work_failed(follow_up=follow_up, lease_token=lease_token, step="send", error=str(exc))
        return
    followup_record_sent(follow_up=follow_up, to=to)


@task()
def remind_followup(follow_up_id: int, lease_token: str) -> None:
    """The one reminder: the survey again, with a fresh link, or the call back on the list."""
    follow_up = _leased(follow_up_id, lease_token, State.SENT)
    if follow_up is None:
        return
    if follow_up.method == Method.EMAIL:
        try:
            reminder_email(follow_up).send()
        except Exception as exc:
            logger.warning("E-mailing the reminder of follow-up %s failed: %s", follow_up_id, exc)
            followup_work_failed(follow_up=follow_up, lease_token=lease_token, step="remind", error=str(exc))
            return
    followup_record_reminded(follow_up=follow_up)


@task()
def send_followup_thanks(follow_up_id: int, lease_token: str) -> None:
    follow_up = _leased(follow_up_id, lease_token, State.ANSWERED)
    if follow_up is None or follow_up.thanks_due_at is None or follow_up.thanked_at is not None:
        return
    try:
        thanks_email(follow_up).send()
    except Exception as exc:
        logger.warning("E-mailing the thank-you of follow-up %s failed: %s", follow_up_id, exc)
        followup_work_failed(follow_up=follow_up, lease_token=lease_token, step="thanks", error=str(exc))
        return
    followup_record_thanked(follow_up=follow_up)
