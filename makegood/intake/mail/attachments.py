"""What an e-mail brings besides its words: its attachments kept within the size limit (and
removed again when the case's transaction rolls back), and a story that fits the timeline."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename

from makegood.cases.models import Attachment, Case, CaseEvent
from makegood.intake.mail.parse import ParsedAttachment
from makegood.intake.opening import MAX_STORY

logger = logging.getLogger(__name__)


def text_fitted(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def story_fitted(body: str, attachments: list[ParsedAttachment], notes: list[str]) -> str:
    """The text for the timeline: never empty, never over the limit. The full text is attached
    when it fits the attachment limit; either way the message as received is kept (`ingest._deliver`)."""
    if not body:
        names = ", ".join(attachment.filename for attachment in attachments)
        return f"(No message text; the e-mail came with {len(attachments)} attachment(s): {names})"[:MAX_STORY]
    if len(body) <= MAX_STORY:
        return body
    full_text = body.encode("utf-8")
    if len(full_text) > settings.MAKEGOOD_MAX_ATTACHMENT_BYTES:
        notes.append("The message was too long for the timeline, and its text too large to attach.")
        return body[: MAX_STORY - 60].rstrip() + "\n\n[… continued in the e-mail as received, linked below]"
    attachments.append(ParsedAttachment("message-full-text.txt", "text/plain", full_text))
    notes.append("The message was too long for the timeline; its full text is attached as message-full-text.txt.")
    return body[: MAX_STORY - 60].rstrip() + "\n\n[… continued in message-full-text.txt]"


def storage_filename(name: str, number: int) -> str:
    """A safe name for the storage: ASCII-ish word characters, no dot files, a bounded length."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = re.sub(r"[^\w.-]+", "_", stem, flags=re.ASCII).strip("._")[:80]
    extension = re.sub(r"[^\w]+", "", extension, flags=re.ASCII)[:10]
    safe = f"{stem or f'attachment-{number}'}{f'.{extension}' if extension else ''}"
    return get_valid_filename(safe)


def attachments_store(
    *, case: Case, event: CaseEvent, attachments: list[ParsedAttachment], saved_files: list[str]
) -> list[dict[str, Any]]:
    """Keep each attachment within the size limit; return the ones refused (name and size)."""
    limit = settings.MAKEGOOD_MAX_ATTACHMENT_BYTES
    refused: list[dict[str, Any]] = []
    for number, attachment in enumerate(attachments, start=1):
        size = len(attachment.content)
        if size > limit:
            refused.append({"filename": attachment.filename, "size": size, "content_type": attachment.content_type})
            continue
        row = Attachment(
            case=case,
            event=event,
            filename=attachment.filename[:255] or storage_filename("", number),
            content_type=attachment.content_type[:100],
            size=size,
        )
        row.file.save(storage_filename(attachment.filename, number), ContentFile(attachment.content), save=False)
        saved_files.append(str(row.file.name))
        row.save()
    return refused


def files_delete(names: list[str]) -> None:
    """Files written for a transaction that rolled back: nothing half-written stays behind."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete orphaned attachment file %s", name, exc_info=True)


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
