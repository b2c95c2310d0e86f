"""Threading: which case a customer's e-mail answers, and what a late answer does.

Every e-mail Makegood sends about a case carries a Message-ID made here and recorded on the case
(`CaseMessageId`), so that the customer's answer finds its case by its `In-Reply-To` or
`References` header even when their mail program dropped the `[MG-…]` tag from the subject.
E-mail intake (`intake/mail/ingest.py`) asks `case_for_message_ids` first, then looks for a
reference anywhere in the subject or the body. What it then does with the case is `reply_fate`:
an open case takes the message; a case resolved within the follow-up window is reopened (the core's
`case_reopen`); after that, or once closed, the message opens a new case that `follows` the old one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.utils.crypto import salted_hmac

from makegood.cases.models import Case, CaseMessageId, Status

_PURPOSE_RE = re.compile(r"[^a-z0-9-]+")


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "makegood.localhost"


def message_id_for(case: Case, purpose: str) -> str:
    """The Message-ID (without its angle brackets) of an e-mail about `case`, recorded on the case.

    The same for the same case and purpose (`ack`, `reply-17`, ...), so a retried send reuses it;
    unguessable (an HMAC under the site's key), so nobody can thread mail into a case by guessing.
    """
    purpose = _PURPOSE_RE.sub("-", purpose.lower()).strip("-")[:30] or "mail"
    token = salted_hmac("makegood.cases.threading", f"{case.pk}:{purpose}").hexdigest()[:20]
    value = f"mg.{case.pk}.{purpose}.{token}@{_domain()}"
    CaseMessageId.objects.get_or_create(message_id=value, defaults={"case": case, "purpose": purpose})
    return value


def message_id_header(case: Case, purpose: str) -> dict[str, str]:
    """`{"Message-ID": "<…>"}` for an e-mail's headers."""
    return {"Message-ID": f"<{message_id_for(case, purpose)}>"}


def case_for_message_ids(ids: Sequence[str]) -> Case | None:
    """The case one of our e-mails among `ids` was about, the most direct answer first."""
    if not ids:
        return None
    found = {
        row.message_id: row.case
        for row in CaseMessageId.objects.filter(message_id__in=list(ids)).select_related("case__customer")
    }
    return next((found[value] for value in ids if value in found), None)


class ReplyFate(StrEnum):
    JOINS = "joins"  # the case is open: the message joins it
    REOPENS = "reopens"  # resolved within the follow-up window: reopened, then joined
    FOLLOWS = "follows"  # over for good (closed, or resolved long ago): a new case that follows it


def reopen_window() -> timedelta:
    return timedelta(days=settings.MAKEGOOD_REPLY_REOPENS_WITHIN_DAYS)


def reply_fate(case: Case, *, at: datetime) -> ReplyFate:
    if case.status in (Status.NEW, Status.OPEN):
        return ReplyFate.JOINS
    if case.status == Status.RESOLVED and case.resolved_at is not None and at - case.resolved_at <= reopen_window():
        return ReplyFate.REOPENS
    return ReplyFate.FOLLOWS
