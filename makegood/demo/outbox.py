"""The demo's past e-mails count as sent back then: the worker must not send them at start-up.

The demo's cases are back-dated, but the services it goes through write their acknowledgements,
replies and remedy e-mails into the outbox as for real work, and the worker's outbox sweep would
send every one of them the minute `./dev demo` starts (hundreds of e-mails about complaints of
weeks ago, each adding an "e-mailed" line dated today to an old timeline). So the messages the
load wrote for anything that happened more than an hour ago are marked delivered when it
happened, without their handlers' bookkeeping; what happened in the last hour (the newest
cases' acknowledgements, a reply sent minutes ago) is left for the worker to send, as it would be.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max

from makegood.cases.emails import ACK_PURPOSE, REPLY_PURPOSE
from makegood.cases.models import Case, CaseEvent
from makegood.outbox.models import MessageState, OutboxMessage

# A message for something that happened more recently than this is sent by the worker as usual.
LIVE_WITHIN = timedelta(hours=1)


def outbox_mark() -> int:
    """Where the outbox stands before the demo is loaded (its newest message's id)."""
    return OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0


def _happened_at(message: OutboxMessage, cases: dict[int, datetime], events: dict[int, datetime]) -> datetime:
    if message.purpose == ACK_PURPOSE:
        return cases.get(int(message.payload.get("case_id", 0)), message.created_at)
    if message.purpose == REPLY_PURPOSE:
        return events.get(int(message.payload.get("event_id", 0)), message.created_at)
    return message.created_at


def demo_outbox_settle(*, after: int, now: datetime) -> int:
    """Mark the past's messages written since `after` (an `outbox_mark`) delivered when they
    happened; returns how many."""
    pending = list(OutboxMessage.objects.filter(pk__gt=after, state=MessageState.PENDING))
    case_ids = [int(m.payload.get("case_id", 0)) for m in pending if m.purpose == ACK_PURPOSE]
    event_ids = [int(m.payload.get("event_id", 0)) for m in pending if m.purpose == REPLY_PURPOSE]
    cases = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "received_at"))
    events = dict(CaseEvent.objects.filter(pk__in=event_ids).values_list("pk", "at"))
    settled = []
    for message in pending:
        at = _happened_at(message, cases, events)
        if at < now - LIVE_WITHIN:
            message.state, message.delivered_at, message.next_attempt_at = MessageState.DELIVERED, at, None
            settled.append(message)
    OutboxMessage.objects.bulk_update(settled, ["state", "delivered_at", "next_attempt_at"], batch_size=500)
    return len(settled)
