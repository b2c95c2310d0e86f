"""Sending one message: claim it under a lease, hand it to its purpose's handler, record the end.

The claim is a short transaction of its own: the row is locked (`select_for_update(skip_locked)`
on PostgreSQL; on SQLite the transaction takes the database's one write lock, queued by
`makegood.sqlite`), re-checked (still pending, due, and attempted as often as when it was read)
and moved a lease ahead with one more attempt counted. Of two workers holding the same message,
one claims it and the other finds nothing. No transaction is held while sending: on SQLite it
would hold the only write lock for as long as a mail server or an endpoint takes to answer.

If the worker dies mid-send, the lease runs out and the sweep sends the message again, so a
receiver may (rarely) get a message twice: webhooks carry the same `Makegood-Delivery` id on
every attempt for receivers to ignore repeats, and a message is enqueued once per idempotency key.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from makegood.outbox.backoff import backoff_delay, lease
from makegood.outbox.handlers import Handler, SendResult, handler_for, handlers, held_filter
from makegood.outbox.models import MessageState, OutboxMessage

logger = logging.getLogger("makegood.outbox")

ERROR_CHARS = 1000


def _claimer() -> str:
    return f"{os.getpid()}/{threading.get_ident()}"[:100]


def message_claim(message: OutboxMessage, *, now: datetime) -> bool:
    """Take the message for one attempt (see the module's docstring); False if someone else has."""
    with transaction.atomic():
        mine = OutboxMessage.objects.filter(
            pk=message.pk, state=MessageState.PENDING, attempts=message.attempts, next_attempt_at__lte=now
        )
        if connection.features.has_select_for_update_skip_locked:
            mine = mine.select_for_update(skip_locked=True)
        if not mine.exists():
            return False
        claimed = mine.update(attempts=message.attempts + 1, next_attempt_at=now + lease(), claimed_by=_claimer())
    if claimed == 1:
        message.attempts += 1
        return True
    return False


def _is_held(message: OutboxMessage, handler: Handler) -> bool:
    held = held_filter(handler)
    return held is not None and OutboxMessage.objects.filter(pk=message.pk).filter(held).exists()


def message_attempt(*, message_id: int) -> datetime | None:
    """Make one attempt if the message is due and not taken; return when to retry, if ever.

    None means there is nothing more to do now: delivered, given up, not due, gone, held by its
    handler, of no registered purpose, or another worker holds it.
    """
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or message.state != MessageState.PENDING:
        return None
    handler = handler_for(message.purpose)
    if handler is None:
        logger.warning(
            "Outbox message %s has no handler for its purpose %r: left pending.", message.pk, message.purpose
        )
        return None
    if _is_held(message, handler):
        return None
    if not message_claim(message, now=timezone.now()):
        return None
    # The stage's own row (a subclass of OutboxMessage), when there is one, is read by the handler.
    try:
        result = handler.send(message)
    except Exception as exc:
        logger.warning("Outbox message %s (%s) raised while sending.", message.pk, message.purpose, exc_info=True)
        result = SendResult(ok=False, error=str(exc) or exc.__class__.__name__)
    return _record(message, handler, result)


def _record(message: OutboxMessage, handler: Handler, result: SendResult) -> datetime | None:
    finished = timezone.now()
    attempt = message.attempts
    error = result.error[:ERROR_CHARS]
    if result.ok:
        # Delivered is true whoever else holds the row now; record it unconditionally.
        with transaction.atomic():
            done = OutboxMessage.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
                state=MessageState.DELIVERED,
                delivered_at=finished,
                next_attempt_at=None,
                last_status_code=result.status,
                last_error="",
                claimed_by="",
            )
            if done and handler.delivered is not None:
                message.state, message.delivered_at = MessageState.DELIVERED, finished
                handler.delivered(message)
        return None
    # Only the holder of this attempt's claim records its failure.
    ours = OutboxMessage.objects.filter(pk=message.pk, state=MessageState.PENDING, attempts=attempt)
    if attempt >= handler.max_attempts:
        logger.error(
            "Outbox message %s (%s) failed for good after %s attempts: %s", message.pk, message.purpose, attempt, error
        )
        with transaction.atomic():
            gave_up = ours.update(
                state=MessageState.FAILED,
                next_attempt_at=None,
                last_status_code=result.status,
                last_error=error,
                claimed_by="",
            )
            if gave_up and handler.failed is not None:
                message.state, message.last_error = MessageState.FAILED, error
                handler.failed(message)
        return None
    retry_at = finished + backoff_delay(attempt)
    logger.warning(
        "Outbox message %s (%s) attempt %s failed (retry at %s): %s",
        message.pk,
        message.purpose,
        attempt,
        retry_at,
        error,
    )
    updated = ours.update(next_attempt_at=retry_at, last_status_code=result.status, last_error=error, claimed_by="")
    return retry_at if updated else None


def messages_due(
    *, now: datetime, grace: timedelta = timedelta(0), purposes: list[str] | None = None, limit: int = 500
) -> list[int]:
    """Pending messages of registered purposes, not held, whose next attempt is due.

    `grace`: a message waiting for a retry has its own task when the queue can defer it; it is
    only due here that long after its time. A message whose worker died mid-send (still
    claimed) has no task left: it is due as soon as its lease (its `next_attempt_at`) ends.
    """
    registered = handlers()
    if purposes is not None:
        registered = {purpose: handler for purpose, handler in registered.items() if purpose in purposes}
    due = OutboxMessage.objects.filter(
        Q(next_attempt_at__lte=now - grace) | (~Q(claimed_by="") & Q(next_attempt_at__lte=now)),
        state=MessageState.PENDING,
        purpose__in=list(registered),
    )
    for purpose, handler in registered.items():
        held = held_filter(handler)
        if held is not None:
            due = due.exclude(held & Q(purpose=purpose))
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def message_retry(*, message: OutboxMessage) -> bool:
    """A person sends a failed message once more (from the admin): back to pending, due now."""
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, state=MessageState.FAILED).update(
            state=MessageState.PENDING, next_attempt_at=timezone.now(), attempts=0, last_error=""
        )
    )


def message_cancel(*, message_id: int) -> bool:
    pending = OutboxMessage.objects.filter(pk=message_id, state=MessageState.PENDING)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            unlocked = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True))
            pending = pending.filter(pk__in=unlocked)
        return bool(pending.update(state=MessageState.CANCELLED, next_attempt_at=None, claimed_by=""))


def messages_send_now(*, purposes: list[str] | None = None, waiting_too: bool = False) -> tuple[int, int]:
    """Attempt the due messages here and now (a manual run of the sweep); return (tried, delivered).

    With `waiting_too`, messages waiting out a back-off are made due first; messages held by a
    live worker's lease are left alone (their `claimed_by` is set while it sends).
    """
    now = timezone.now()
    pending = OutboxMessage.objects.filter(state=MessageState.PENDING)
    if purposes is not None:
        pending = pending.filter(purpose__in=purposes)
    if waiting_too:
        pending.filter(claimed_by="", next_attempt_at__gt=now).update(next_attempt_at=now)
    due = messages_due(now=now, purposes=purposes, limit=10_000)
    for message_id in due:
        message_attempt(message_id=message_id)
    delivered = OutboxMessage.objects.filter(pk__in=due, state=MessageState.DELIVERED).count()
    return len(due), delivered
