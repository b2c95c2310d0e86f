"""Raw RFC 5322 bytes to a clean, decoded message: sender, subject, body text and attachments.

Parsing never fails on odd input: headers and bodies in any charset (or a wrong one) are decoded
with replacement characters where needed, and it is for the caller (`ingest.py`) to decide whether
what came out is usable.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.errors
import email.policy
import email.utils
import hashlib
import mimetypes
import quopri
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import Message
from email.policy import Policy

from makegood.intake.mail.text import clean_line, clean_text, decode_bytes, html_to_text

MAX_MESSAGE_ID = 500

# Senders that are robots, whatever headers they set.
_ROBOT_LOCAL_PARTS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
_CONTENT_TYPE_RE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,40}/[a-z0-9][a-z0-9.+-]{0,50}")
_ENCODED_WORD_RE = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
# Signatures of signed mail are not something a customer sent us.
_SKIPPED_TYPES = frozenset(
    {"application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature"}
)


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str  # as the sender named it (cleaned of paths and control characters)
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str
    has_headers: bool
    from_name: str
    from_address: str  # as written; empty if there was none or it could not be read
    subject: str
    date: str
    body: str
    attachments: list[ParsedAttachment] = field(default_factory=list)
    # Why this looks like mail from a robot (auto-reply, bounce, bulk), or "" for a person.
    automatic: str = ""
    # The Message-IDs this one answers (In-Reply-To first, then References newest first), without <>.
    replies_to: tuple[str, ...] = ()


def synthetic_message_id(raw: bytes) -> str:
    """For mail without a Message-ID: the same bytes read twice get the same id."""
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def decode_header_value(value: str) -> str:
    """A header's text: RFC 2047 encoded words and raw 8-bit bytes decoded, lenient about charsets."""
    if any("\udc80" <= char <= "\udcff" for char in value):
        # The parser keeps undecodable 8-bit header bytes as surrogates; read them as UTF-8 or 1252.
        value = decode_bytes(value.encode("utf-8", "surrogateescape"), None)
    parts: list[str] = []
    position = 0
    previous_was_word = False
    for match in _ENCODED_WORD_RE.finditer(value):
        between = value[position : match.start()]
        # Whitespace between two encoded words is not part of the text (RFC 2047, section 6.2).
        if not (previous_was_word and not between.strip()):
            parts.append(between)
        charset, encoding, payload = match.groups()
        charset = charset.split("*", 1)[0]  # RFC 2231 language suffix: `utf-8*en`
        parts.append(decode_bytes(_decode_word(encoding, payload), charset))
        position = match.end()
        previous_was_word = True
    parts.append(value[position:])
    return clean_line("".join(parts))


def _decode_word(encoding: str, payload: str) -> bytes:
    data = payload.encode("ascii", "replace")
    if encoding.upper() == "Q":
        return quopri.decodestring(data.replace(b"_", b" "), header=True)
    try:
        return base64.b64decode(data + b"=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return data


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _first_address(raw_from: str | None) -> tuple[str, str]:
    if not raw_from:
        return "", ""
    unfolded = " ".join(raw_from.split())
    for display_name, address in email.utils.getaddresses([unfolded]):
        if address and "@" in address:
            return decode_header_value(display_name).strip("\"' "), clean_line(address)
    return "", ""


def _message_id(message: Message, raw: bytes) -> str:
    value = clean_line(_raw_header(message, "Message-ID") or "")
    match = re.search(r"<([^<>\s]+)>", value)
    value = match.group(1) if match else value
    if not value or len(value) > MAX_MESSAGE_ID:
        return synthetic_message_id(raw)
    return value


def _automatic(message: Message, from_address: str, content_type: str) -> str:
    """Why a message is from a robot (RFC 3834 and common practice), or "" if it is not."""
    auto_submitted = clean_line(_raw_header(message, "Auto-Submitted") or "").lower()
    if auto_submitted and auto_submitted.split(";", 1)[0].strip() != "no":
        return f"automatic message (Auto-Submitted: {auto_submitted})"
    precedence = clean_line(_raw_header(message, "Precedence") or "").lower()
    # Not "list": a support address that is a group alias (Google Groups) marks every complaint so.
    if precedence in ("bulk", "junk"):
        return f"bulk mail (Precedence: {precedence})"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if _raw_header(message, header) is not None:
            return f"automatic reply ({header} header)"
    if from_address.split("@", 1)[0].lower() in _ROBOT_LOCAL_PARTS:
        return f"delivery report from {from_address}"
    if content_type == "multipart/report":
        return "delivery or read report (multipart/report)"
    return_path = _raw_header(message, "Return-Path")
    if return_path is not None and return_path.strip() == "<>":
        return "bounce (empty Return-Path)"
    return ""


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse raw message bytes. Odd content gives odd text, not an exception; see the module docstring.

    The modern parser has corner cases that raise on broken MIME parameters (a Content-Type
    ending in `chars*`); the message is then read again with the forgiving legacy policy.
    """
    try:
        return _parse(raw, email.policy.default)
    except (IndexError, ValueError, TypeError, AttributeError, LookupError, email.errors.MessageError):
        return _parse(raw, email.policy.compat32)


def _parse(raw: bytes, policy: Policy) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=policy)
    from_name, from_address = _first_address(_raw_header(message, "From"))
    texts: list[str] = []
    attachments: list[ParsedAttachment] = []
    _collect(message, texts, attachments)
    return ParsedMessage(
        message_id=_message_id(message, raw),
        has_headers=bool(message.keys()),
        from_name=from_name,
        from_address=from_address,
        subject=decode_header_value(_raw_header(message, "Subject") or ""),
        date=clean_line(_raw_header(message, "Date") or ""),
        body=clean_text("\n\n".join(text for text in texts if text.strip())),
        attachments=attachments,
        automatic=_automatic(message, from_address, message.get_content_type()),
        replies_to=_replies_to(message),
    )


# A reply's threading headers hold a few ids; a mail loop can grow References without bound.
MAX_THREAD_IDS = 30


def _replies_to(message: Message) -> tuple[str, ...]:
    """The ids a reply points at, most direct first: In-Reply-To, then References from the newest."""
    in_reply_to = re.findall(r"<([^<>\s]+)>", clean_line(_raw_header(message, "In-Reply-To") or ""))
    references = re.findall(r"<([^<>\s]+)>", clean_line(_raw_header(message, "References") or ""))
    ids: list[str] = []
    for value in [*in_reply_to, *reversed(references)]:
        if value not in ids and len(value) <= MAX_MESSAGE_ID:
            ids.append(value)
    return tuple(ids[:MAX_THREAD_IDS])


def _collect(part: Message, texts: list[str] | None, attachments: list[ParsedAttachment]) -> None:
    """Walk the MIME tree: body text into `texts` (None: discard text), everything else into attachments."""
    content_type = part.get_content_type()
    if part.is_multipart():
        payload = part.get_payload()
        children = [child for child in payload if isinstance(child, Message)] if isinstance(payload, list) else []
        if content_type == "multipart/alternative" and children:
            chosen = _preferred_alternative(children)
            for child in children:
                # The other versions' text is the same text; their images or files are not.
                _collect(child, texts if child is chosen else None, attachments)
        else:
            for child in children:
                _collect(child, texts, attachments)
        return
    if content_type in _SKIPPED_TYPES:
        return
    if content_type == "message/rfc822":
        attachments.append(_forwarded_message(part))
        return
    if content_type in ("text/plain", "text/html") and not _is_attachment(part):
        if texts is not None:
            texts.append(_part_text(part))
        return
    attachments.append(
        ParsedAttachment(
            filename=_attachment_name(part, len(attachments) + 1),
            content_type=content_type if _CONTENT_TYPE_RE.fullmatch(content_type) else "application/octet-stream",
            content=_payload_bytes(part),
        )
    )


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _payload_bytes(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _part_text(part: Message) -> str:
    text = decode_bytes(_payload_bytes(part), part.get_content_charset())
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return clean_text(text)


def _preferred_alternative(children: Sequence[Message]) -> Message:
    """Plain text if it says something, else HTML, else whatever the sender put last (the richest)."""
    for wanted in ("text/plain", "text/html"):
        for child in children:
            if child.get_content_type() == wanted and not _is_attachment(child) and _part_text(child):
                return child
    for child in reversed(children):
        if child.is_multipart():
            return child
    return children[-1]


def _forwarded_message(part: Message) -> ParsedAttachment:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    content = inner.as_bytes() if isinstance(inner, Message) else _payload_bytes(part)
    subject = decode_header_value(str(inner.get("Subject", ""))) if isinstance(inner, Message) else ""
    name = _filename(part) or (f"{subject[:80]}.eml" if subject else "forwarded-message.eml")
    return ParsedAttachment(filename=name, content_type="message/rfc822", content=content)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except (ValueError, LookupError, UnicodeError):
        name = ""
    if not isinstance(name, str):  # get_param may hand back an undecoded RFC 2231 triple
        name = email.utils.collapse_rfc2231_value(name)
    return display_filename(decode_header_value(name))


def display_filename(name: str) -> str:
    """The sender's file name without any directory part or control characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    return clean_line(name).strip(". ")[:200]


def _attachment_name(part: Message, number: int) -> str:
    name = _filename(part)
    if name:
        return name
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"attachment-{number}{extension}"
