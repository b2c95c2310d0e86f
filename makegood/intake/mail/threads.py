"""Which case an incoming e-mail belongs to: by its threading headers first (the Message-IDs of
our e-mails, recorded on their cases, and of the customer's own earlier e-mails), then by a case
reference in the subject, then anywhere in the body (a reply quoting our e-mail carries it)."""

from __future__ import annotations

from dataclasses import dataclass

from makegood.cases.models import Case, find_reference
from makegood.cases.threading import case_for_message_ids
from makegood.intake.mail.parse import ParsedMessage
from makegood.intake.models import InboundMessage

# How a thread was found, as the timeline's notes say it.
VIA_HEADERS = "the thread it answers"
VIA_SUBJECT = "the subject"
VIA_BODY = "the message"


@dataclass(frozen=True)
class Thread:
    case: Case | None
    via: str = ""
    reference: str = ""  # the reference written in the subject or body, whether or not it exists


def _case_for_reference(year: int, pk: int) -> Case | None:
    case = Case.objects.select_related("customer").filter(pk=pk).first()
    if case is None or case.received_at.year != year:
        return None
    return case


def _case_for_our_own_or_their_earlier_mail(ids: tuple[str, ...]) -> Case | None:
    ours = case_for_message_ids(ids)
    if ours is not None:
        return ours
    if not ids:
        return None
    theirs = dict(
        InboundMessage.objects.filter(message_id__in=list(ids), case__isnull=False).values_list("message_id", "case_id")
    )
    case_id = next((theirs[value] for value in ids if value in theirs), None)
    return Case.objects.select_related("customer").filter(pk=case_id).first() if case_id else None


def thread_find(message: ParsedMessage) -> Thread:
    """The case this e-mail answers, and how it was found (no case: it starts a new thread)."""
    by_headers = _case_for_our_own_or_their_earlier_mail(message.replies_to)
    if by_headers is not None:
        return Thread(by_headers, VIA_HEADERS)
    for text, via in ((message.subject, VIA_SUBJECT), (message.body, VIA_BODY)):
        mentioned = find_reference(text)
        if mentioned is not None:
            reference = f"MG-{mentioned[0]}-{mentioned[1]:06d}"
            return Thread(_case_for_reference(*mentioned), via, reference)
    return Thread(None)
