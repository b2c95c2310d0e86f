"""Background work of the follow-up: the sweep (every minute, `MAKEGOOD_PERIODIC_TASKS`).

It records silences, puts the calls that are due on the owners' lists, and puts the survey and
reminder e-mails that are due in the outbox, which sends and retries them (`followup/outbound.py`).
Each follow-up is handled in a transaction of its own under its row lock, re-checked there: two
sweeps running at once queue each e-mail once (the follow-up keeps the message it waits for).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from makegood.followup.emails import REMINDER, SURVEY
from makegood.followup.models import AWAITING_STATES, FollowUp, Method, State
from makegood.followup.services import (
    followup_call_due,
    followup_email_queue,
    followup_give_up,
    followup_record_reminded,
)

# Per kind of work and sweep; whatever is left waits for the next sweep, a minute later.
BATCH = 200


def _batch(due: QuerySet[FollowUp]) -> Iterator[FollowUp]:
    yield from due.filter(pending_email__isnull=True).select_related("case__customer").order_by("pk")[:BATCH]


def _ask(now: datetime) -> int:
    asked = 0
    for follow_up in _batch(FollowUp.objects.filter(state=State.SCHEDULED, due_at__lte=now)):
        if follow_up.method == Method.CALL:
            asked += followup_call_due(follow_up=follow_up, at=now).state == State.SENT
        else:
            asked += followup_email_queue(follow_up=follow_up, purpose=SURVEY)
    return asked


def _remind(now: datetime) -> int:
    reminded = 0
    for follow_up in _batch(FollowUp.objects.filter(state=State.SENT, remind_at__lte=now)):
        if follow_up.method == Method.CALL:
            reminded += followup_record_reminded(follow_up=follow_up, at=now).state == State.REMINDED
        else:
            reminded += followup_email_queue(follow_up=follow_up, purpose=REMINDER)
    return reminded


@task()
def sweep_followups() -> dict[str, int]:
    """Whatever is due: surveys and calls to ask, silences to record, reminders."""
    now = timezone.now()
    silent = 0
    for follow_up in FollowUp.objects.filter(state__in=AWAITING_STATES, give_up_at__lte=now).order_by("pk")[:BATCH]:
        if followup_give_up(follow_up=follow_up, at=now).state == State.NO_RESPONSE:
            silent += 1
    return {"sent": _ask(now), "no_response": silent, "reminded": _remind(now)}
