"""E-mail intake: one raw message in, a case opened (or a reply added to one) out.

`email_ingest` is the one write path for mail; the `ingest_email` command and any periodic task
call it (through `messages_ingest` for a whole mailbox). Every message read leaves an
`InboundMessage` row, so that a re-read mailbox never doubles a case and nothing is dropped
silently: robots' mail is recorded as ignored and unusable mail as rejected, raw, with the reason.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from makegood.cases.customers import normalize_email
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Status
from makegood.cases.services import case_add_customer_message, case_reopen
from makegood.cases.threading import ReplyFate, reply_fate
from makegood.cases.timeline import case_event_add
from makegood.intake.mail.attachments import attachments_store, files_delete, size_text, story_fitted, text_fitted
from makegood.intake.mail.parse import ParsedMessage, parse_message, synthetic_message_id
from makegood.intake.mail.sources import SourceMessage, open_source
from makegood.intake.mail.text import HTML_CUT_NOTE, strip_quoted
from makegood.intake.mail.threads import thread_find
from makegood.intake.models import InboundAttempt, InboundMessage, InboundStatus
from makegood.intake.opening import MAX_NAME, MAX_STORY, MAX_SUBJECT, case_open

logger = logging.getLogger(__name__)

MAX_ADDRESS = 254  # RFC 5321's limit, and Customer.email's


class Outcome(StrEnum):
    OPENED = "opened"
    ADDED = "added"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    REJECTED = "rejected"


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    message_id: str
    case: Case | None = None
    reason: str = ""

    def describe(self) -> str:
        """One line for a person or a log: what became of the message."""
        reference = self.case.reference if self.case is not None else ""
        if self.outcome == Outcome.OPENED:
            text = f"opened {reference}"
        elif self.outcome == Outcome.ADDED:
            text = f"added to {reference}"
        elif self.outcome == Outcome.DUPLICATE:
            text = f"duplicate (read before: {self.reason}{f' {reference}' if reference else ''})"
        else:
            text = f"{self.outcome}: {self.reason}"
        return text


@dataclass
class IngestSummary:
    counts: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    set_aside: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.errors

    def describe(self) -> str:
        parts = [f"{self.counts[outcome]} {outcome}" for outcome in Outcome]
        if self.errors:
            parts.append(f"{self.errors} failed (left unread, to retry)")
        if self.set_aside:
            parts.append(f"{self.set_aside} set aside after failing {settings.MAKEGOOD_MAIL_MAX_ATTEMPTS} times")
        noun = "message" if self.total == 1 else "messages"
        return f"{self.total} {noun}: " + ", ".join(parts)


class _Unusable(Exception):
    """A message that cannot become a case; the text is the reason given to a person."""


def email_ingest(raw: bytes, *, received_at: datetime | None = None) -> IngestResult:
    """Turn one raw RFC 5322 message into a new case or a reply on an existing one.

    Idempotent by Message-ID (or, without one, by a hash of the bytes): a message read before is
    a duplicate whatever became of it, so a mailbox re-read does not repeat old rejections. To
    retry a rejected message, delete its `InboundMessage` row and feed it again.
    """
    now = received_at or timezone.now()
    try:
        message = parse_message(raw)
    except Exception as exc:  # the stdlib parser has odd corners; a bad message must not stop intake
        logger.warning("Could not parse an e-mail message: %s", exc, exc_info=True)
        message_id = synthetic_message_id(raw)
        return _record(
            message_id, Outcome.REJECTED, raw=raw, reason=f"the message could not be parsed ({exc})", received_at=now
        )

    existing = InboundMessage.objects.filter(message_id=message.message_id).select_related("case").first()
    if existing is not None:
        return _duplicate(existing)
    automatic = message.automatic or _from_ourselves(message)
    if automatic:
        return _record(message.message_id, Outcome.IGNORED, raw=raw, reason=automatic, received_at=now, message=message)
    try:
        _check_usable(message, raw)
    except _Unusable as exc:
        return _record(message.message_id, Outcome.REJECTED, raw=raw, reason=str(exc), received_at=now, message=message)

    saved_files: list[str] = []
    try:
        with transaction.atomic():
            # Claim the Message-ID first: a concurrent reader of the same message waits here, then fails.
            inbound = InboundMessage.objects.create(
                message_id=message.message_id,
                status=InboundStatus.OPENED_CASE,
                from_address=message.from_address[:254],
                subject=message.subject[:998],
                received_at=now,
            )
            case, outcome = _deliver(message, now=now, saved_files=saved_files, inbound=inbound, raw=raw)
            inbound.case = case
            inbound.status = InboundStatus.OPENED_CASE if outcome == Outcome.OPENED else InboundStatus.ADDED_TO_CASE
            inbound.save(update_fields=["case", "status", "raw", "raw_compressed", "raw_kept_until"])
    except IntegrityError:
        files_delete(saved_files)
        existing = InboundMessage.objects.filter(message_id=message.message_id).select_related("case").first()
        if existing is None:
            raise
        return _duplicate(existing)
    except ValidationError as exc:
        files_delete(saved_files)
        reason = _validation_reason(exc)
        return _record(message.message_id, Outcome.REJECTED, raw=raw, reason=reason, received_at=now, message=message)
    except BaseException:
        files_delete(saved_files)
        raise
    return IngestResult(outcome, message.message_id, case=case)


ResultCallback = Callable[[SourceMessage, IngestResult | None], None]


def messages_ingest(messages: Iterable[SourceMessage], *, on_result: ResultCallback | None = None) -> IngestSummary:
    """Ingest every message of a source, marking each one read in its mailbox once it is recorded.

    A message that fails unexpectedly (the database is down) stays unread so that the next run
    retries it; `on_result` then gets None. Each try is counted first (`InboundAttempt`): a
    message that keeps failing, or that brings the process down, is set aside after
    `MAKEGOOD_MAIL_MAX_ATTEMPTS` tries (rejected and kept raw for a person, who can retry it from
    the admin), so it cannot hold up the rest of the mailbox run after run.
    """
    summary = IngestSummary()
    for item in messages:
        digest = hashlib.sha256(item.raw).hexdigest()
        try:
            tries = _attempt_begin(digest)
            if tries > settings.MAKEGOOD_MAIL_MAX_ATTEMPTS:
                result = _set_aside(item.raw, digest, tries - 1)
                summary.set_aside += 1
            else:
                result = email_ingest(item.raw)
            InboundAttempt.objects.filter(digest=digest).delete()
        except Exception as exc:
            logger.exception("E-mail %s could not be ingested; it stays unread for the next run", item.label)
            with suppress(Exception):  # the database itself may be what failed
                _attempt_failed(digest, exc)
            summary.errors += 1
            if on_result is not None:
                on_result(item, None)
            continue
        item.mark_done()
        summary.counts[result.outcome] += 1
        if on_result is not None:
            on_result(item, result)
    return summary


def _attempt_begin(digest: str) -> int:
    """Count one more try of this message, committed before the try starts; the count so far."""
    now = timezone.now()
    InboundAttempt.objects.get_or_create(digest=digest)
    InboundAttempt.objects.filter(digest=digest).update(attempts=F("attempts") + 1, last_at=now)
    return InboundAttempt.objects.values_list("attempts", flat=True).get(digest=digest)


def _attempt_failed(digest: str, exc: BaseException) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    InboundAttempt.objects.filter(digest=digest).update(last_error=error)


def _set_aside(raw: bytes, digest: str, failures: int) -> IngestResult:
    """Stop trying: keep the message as rejected, with why, for a person to look at and retry."""
    last_error = InboundAttempt.objects.filter(digest=digest).values_list("last_error", flat=True).first() or ""
    reason = (
        f"set aside after {failures} failed attempts to read it"
        f"{f' (last error: {last_error})' if last_error else ' (the process stopped while reading it)'}; "
        "retry it from the admin once the cause is fixed"
    )
    try:
        message: ParsedMessage | None = parse_message(raw)
    except Exception:
        message = None
    message_id = message.message_id if message is not None else synthetic_message_id(raw)
    logger.error("E-mail %s set aside after %d failed attempts", message_id, failures)
    return _record(message_id, Outcome.REJECTED, raw=raw, reason=reason, received_at=timezone.now(), message=message)


def inbound_retry(*, inbound: InboundMessage) -> IngestResult:
    """Read a rejected message again (after fixing what made it fail): the administrators' retry.

    The rejected record is replaced by whatever the message becomes now; if reading it fails
    again the record stays as it was and the error propagates.
    """
    if inbound.status != InboundStatus.REJECTED:
        raise ValidationError("Only a rejected message can be retried.")
    raw = inbound.raw_message
    if not raw:
        raise ValidationError("The message as received is no longer kept, so it cannot be read again.")
    with transaction.atomic():
        InboundMessage.objects.filter(pk=inbound.pk).delete()
        result = email_ingest(raw, received_at=inbound.received_at)
    InboundAttempt.objects.filter(digest=hashlib.sha256(raw).hexdigest()).delete()
    return result


def raw_mail_expire(*, now: datetime | None = None) -> int:
    """Forget the raw messages whose retention has passed; how many were cleared."""
    return InboundMessage.objects.filter(raw_kept_until__lt=now or timezone.now()).update(
        raw=b"", raw_compressed=False, raw_kept_until=None
    )


def _raw_kept_until(now: datetime) -> datetime | None:
    days = settings.MAKEGOOD_MAIL_RAW_RETENTION_DAYS
    return now + timedelta(days=days) if days > 0 else None


def mailbox_ingest(*, url: str, on_result: ResultCallback | None = None) -> IngestSummary:
    """Read a whole mailbox (`imaps://...`, `maildir:///path`): what a periodic task calls.

    Raises `SourceError` when the mailbox cannot be opened or read.
    """
    with open_source(url) as messages:
        return messages_ingest(messages, on_result=on_result)


def _duplicate(existing: InboundMessage) -> IngestResult:
    return IngestResult(
        Outcome.DUPLICATE, existing.message_id, case=existing.case, reason=existing.get_status_display().lower()
    )


def _from_ourselves(message: ParsedMessage) -> str:
    """Our own acknowledgements and replies, come back (a forwarding loop): never a new case."""
    ours = {
        email.utils.parseaddr(address)[1].lower() for address in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)
    }
    if message.from_address.lower() in ours:
        return f"sent by Makegood itself ({message.from_address})"
    return ""


def _check_usable(message: ParsedMessage, raw: bytes) -> None:
    if not raw.strip():
        raise _Unusable("empty input: there is no message")
    if not message.has_headers:
        raise _Unusable("not an e-mail message: no mail headers could be read")
    if not message.from_address:
        raise _Unusable("no sender: the From header is missing or has no readable address")
    invalid = _Unusable(f"the sender address {message.from_address[:100]!r} is not a valid e-mail address")
    if len(message.from_address) > MAX_ADDRESS:
        raise invalid
    try:
        normalize_email(message.from_address)
    except ValidationError:
        raise invalid from None
    if not message.body and not message.attachments:
        raise _Unusable("empty message: no text and no attachments")


def _deliver(
    message: ParsedMessage, *, now: datetime, saved_files: list[str], inbound: InboundMessage, raw: bytes
) -> tuple[Case, Outcome]:
    notes: list[str] = []
    thread = thread_find(message)
    target = thread.case
    sender = normalize_email(message.from_address)
    attachments = list(message.attachments)
    fate = reply_fate(target, at=now) if target is not None and target.customer.email == sender else None
    if target is not None and fate in (ReplyFate.JOINS, ReplyFate.REOPENS):
        body, quoted_removed = strip_quoted(message.body)
        if fate == ReplyFate.REOPENS:
            # Within the follow-up window: "it is not resolved after all" (the core's reopen).
            target = case_reopen(case=target, reason=_reopen_reason(target, body, now=now), at=now)
        body = story_fitted(body, attachments, notes)
        event = case_add_customer_message(
            case=target, body=body, at=now, data={"email": _email_data(message, quoted_removed=quoted_removed)}
        )
        case, outcome = target, Outcome.ADDED
    else:
        if thread.reference and target is None:
            notes.append(f"{thread.via.capitalize()} mentions {thread.reference}, which is not a case we have.")
        elif target is not None and fate is None:
            notes.append(
                f"{thread.via.capitalize()} refers to {target.reference}, but {sender} is not that case's customer, "
                "so this e-mail opened a new case instead of joining it."
            )
        elif target is not None:
            notes.append(f"Follows {target.reference} ({_over(target)}): the customer wrote again after it was over.")
        story = story_fitted(message.body, attachments, notes)
        case = case_open(
            channel="email",
            customer_name=text_fitted(message.from_name, MAX_NAME),
            customer_email=sender,
            subject=text_fitted(message.subject, MAX_SUBJECT),
            story=story,
            received_at=now,
            follows=target if fate == ReplyFate.FOLLOWS else None,
        )
        event = case.events.get(kind=EventKind.RECEIVED)
        event.data = {"email": _email_data(message, quoted_removed=False)}
        outcome = Outcome.OPENED
        if target is not None and fate == ReplyFate.FOLLOWS:
            case_event_add(
                target,
                kind=EventKind.NOTE,
                at=now,
                body=f"The customer wrote again after this case was over; that opened {case.reference}.",
                data={"source": "email", "followed_by": case.pk},
            )
    refused = attachments_store(case=case, event=event, attachments=attachments, saved_files=saved_files)
    if refused:
        event.data["email"]["attachments_refused"] = refused
        limit = size_text(settings.MAKEGOOD_MAX_ATTACHMENT_BYTES)
        notes.extend(
            f"Attachment {item['filename']!r} ({size_text(item['size'])}) was not kept: "
            f"it is larger than the {limit} limit."
            for item in refused
        )
    if outcome == Outcome.OPENED or refused:
        event.save(update_fields=["data"])
    if refused or _was_cut(message, notes):
        # Part of what the customer sent is not on the case: keep the message as received.
        inbound.raw = InboundMessage.pack(raw)
        inbound.raw_compressed = True
        inbound.raw_kept_until = _raw_kept_until(now)
        url = reverse("inbound_original", kwargs={"reference": case.reference, "inbound_id": inbound.pk})
        until = f" until {inbound.raw_kept_until:%Y-%m-%d}" if inbound.raw_kept_until else ""
        notes.append(f"The whole e-mail, exactly as received, is kept{until}: {settings.SITE_URL.rstrip('/')}{url}")
    if notes:
        case_event_add(case, kind=EventKind.NOTE, at=now, body="\n".join(notes), data={"source": "email"})
    return case, outcome


def _was_cut(message: ParsedMessage, notes: list[str]) -> bool:
    if HTML_CUT_NOTE in message.body:
        notes.append("The e-mail's HTML was too long to convert in full; the text ends where the conversion stopped.")
        return True
    return len(message.body) > MAX_STORY


def _validation_reason(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return " ".join(exc.messages)


def _over(case: Case) -> str:
    if case.status == Status.CLOSED and case.closed_at is not None:
        return f"closed on {case.closed_at:%Y-%m-%d}"
    if case.resolved_at is not None:
        return f"resolved on {case.resolved_at:%Y-%m-%d}"
    return case.get_status_display().lower()


def _reopen_reason(case: Case, body: str, *, now: datetime) -> str:
    days = (now - case.resolved_at).days if case.resolved_at is not None else 0
    when = "the day it was resolved" if days == 0 else f"{days} day{'s' if days != 1 else ''} after it was resolved"
    excerpt = " ".join(body.split())
    excerpt = excerpt if len(excerpt) <= 200 else excerpt[:199].rstrip() + "…"
    return f"The customer wrote again, {when}: “{excerpt}”"


def _email_data(message: ParsedMessage, *, quoted_removed: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"message_id": message.message_id, "from": message.from_address, "date": message.date}
    if quoted_removed:
        data["quoted_text_removed"] = True
    return data


def _record(
    message_id: str,
    outcome: Outcome,
    *,
    raw: bytes,
    reason: str,
    received_at: datetime,
    message: ParsedMessage | None = None,
) -> IngestResult:
    """Keep an ignored or rejected message, raw, with the reason, for a person to look at."""
    status = InboundStatus.IGNORED if outcome == Outcome.IGNORED else InboundStatus.REJECTED
    try:
        with transaction.atomic():
            InboundMessage.objects.create(
                message_id=message_id,
                status=status,
                from_address=message.from_address[:254] if message else "",
                subject=message.subject[:998] if message else "",
                error=reason,
                raw=InboundMessage.pack(raw),
                raw_compressed=True,
                raw_kept_until=_raw_kept_until(received_at),
                received_at=received_at,
            )
    except IntegrityError:
        existing = InboundMessage.objects.filter(message_id=message_id).first()
        if existing is None:
            raise
        return _duplicate(existing)
    if outcome == Outcome.REJECTED:
        logger.warning("E-mail %s rejected: %s", message_id, reason)
    return IngestResult(outcome, message_id, reason=reason)
