"""Where raw messages come from: standard input, a Maildir, or an IMAP mailbox named by a URL.

Each source yields `SourceMessage`s; `mark_done()` is called once a message has been recorded, and
marks it read in its mailbox (Maildir: moved from new/ to cur/ with the Seen flag; IMAP: \\Seen).
A message that was never marked stays unread and is read again next time; the Message-ID
deduplication in `ingest.py` makes that safe.
"""

from __future__ import annotations

import imaplib
import os
import re
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

IMAP_TIMEOUT_SECONDS = 60


class SourceError(Exception):
    """The mailbox could not be opened or read (bad URL, wrong password, server down)."""


@dataclass
class SourceMessage:
    raw: bytes
    label: str  # where it came from, for the command's output (never a password)
    _on_done: Callable[[], None] | None = field(default=None, repr=False)

    def mark_done(self) -> None:
        if self._on_done is not None:
            self._on_done()


def stdin_messages(stream: BinaryIO) -> Iterator[SourceMessage]:
    """One message: all of the stream (how an MTA pipes mail to a command)."""
    yield SourceMessage(raw=stream.read(), label="stdin")


# --- Maildir ------------------------------------------------------------------------------------


def maildir_messages(path: str | os.PathLike[str]) -> Iterator[SourceMessage]:
    """Every message in new/ and cur/, oldest first. Files are read as bytes, exactly as delivered."""
    root = Path(path)
    if not all((root / sub).is_dir() for sub in ("new", "cur")):
        raise SourceError(f"{root} is not a Maildir (it needs new/ and cur/ folders)")
    files = [entry for sub in ("new", "cur") for entry in (root / sub).iterdir() if _is_message_file(entry)]
    files.sort(key=lambda entry: (entry.stat().st_mtime, entry.name))
    for entry in files:
        try:
            raw = entry.read_bytes()
        except FileNotFoundError:  # another reader took it to cur/ meanwhile
            continue
        yield SourceMessage(raw=raw, label=f"{entry.parent.name}/{entry.name}", _on_done=partial(_maildir_seen, entry))


def _is_message_file(entry: Path) -> bool:
    return entry.is_file() and not entry.name.startswith(".")


def _maildir_seen(entry: Path) -> None:
    """Move to cur/ with the S (seen) flag, as a mail client does (https://cr.yp.to/proto/maildir.html)."""
    unique, _, info = entry.name.partition(":")
    flags = info[2:] if info.startswith("2,") else ""
    if "S" in flags and entry.parent.name == "cur":
        return
    flags = "".join(sorted(set(flags) | {"S"}))
    target = entry.parent.parent / "cur" / f"{unique}:2,{flags}"
    with suppress(FileNotFoundError):  # already moved by someone else
        os.replace(entry, target)


# --- IMAP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImapLocation:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    mailbox: str


def parse_imap_url(url: str) -> ImapLocation:
    """`imap://user:pass@host[:port]/MAILBOX` or `imaps://...`; user and password may be %-encoded."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise SourceError(f"not an IMAP URL: {parts.scheme}://")
    if not parts.hostname:
        raise SourceError("the IMAP URL has no host")
    if parts.username is None or parts.password is None:
        raise SourceError("the IMAP URL needs a user and a password: imaps://user:password@host/INBOX")
    try:
        port = parts.port
    except ValueError as exc:
        raise SourceError(f"bad port in the IMAP URL: {exc}") from None
    secure = parts.scheme == "imaps"
    return ImapLocation(
        secure=secure,
        host=parts.hostname,
        port=port or (993 if secure else 143),
        user=unquote(parts.username),
        password=unquote(parts.password),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _quote_mailbox(name: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9._/-]+", name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetched_bytes(data: Sequence[object]) -> bytes | None:
    """The message bytes in a FETCH response: `[(b'1 (UID 7 BODY[] {123}', b'...'), b')']`."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _check(response: tuple[str, Sequence[object]], what: str) -> Sequence[object]:
    status, data = response
    if status != "OK":
        detail = b" ".join(part for part in data if isinstance(part, bytes)).decode("utf-8", "replace")
        raise SourceError(f"IMAP {what} failed: {detail or status}")
    return data


@contextmanager
def imap_messages(url: str) -> Iterator[Iterator[SourceMessage]]:
    """The UNSEEN messages of the mailbox; fetched with BODY.PEEK so only `mark_done` sets \\Seen."""
    location = parse_imap_url(url)
    connection: imaplib.IMAP4
    try:
        if location.secure:
            # imaplib's own default context does not check the certificate; this one does.
            connection = imaplib.IMAP4_SSL(
                location.host, location.port, ssl_context=ssl.create_default_context(), timeout=IMAP_TIMEOUT_SECONDS
            )
        else:
            connection = imaplib.IMAP4(location.host, location.port, timeout=IMAP_TIMEOUT_SECONDS)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SourceError(f"cannot connect to {location.host}:{location.port}: {exc}") from None
    try:
        try:
            _check(connection.login(location.user, location.password), "login")
            _check(connection.select(_quote_mailbox(location.mailbox)), f"opening mailbox {location.mailbox!r}")
            found = _check(connection.uid("SEARCH", "UNSEEN"), "search")
        except imaplib.IMAP4.error as exc:
            raise SourceError(f"IMAP: {exc}") from None
        uids = b" ".join(part for part in found if isinstance(part, bytes)).split()
        yield _imap_iter(connection, location, uids)
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            connection.logout()


def _imap_iter(connection: imaplib.IMAP4, location: ImapLocation, uids: list[bytes]) -> Iterator[SourceMessage]:
    for uid in uids:
        number = uid.decode("ascii")
        try:
            data = _check(connection.uid("FETCH", number, "(BODY.PEEK[])"), f"fetching message {number}")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise SourceError(f"IMAP: {exc}") from None
        raw = _fetched_bytes(data)
        if raw is None:  # expunged meanwhile
            continue

        def seen(number: str = number) -> None:
            try:
                _check(connection.uid("STORE", number, "+FLAGS", "(\\Seen)"), f"marking message {number} seen")
            except (OSError, imaplib.IMAP4.error) as exc:
                raise SourceError(f"IMAP: {exc}") from None

        yield SourceMessage(raw=raw, label=f"{location.host}/{location.mailbox} uid {number}", _on_done=seen)


@contextmanager
def open_source(url: str) -> Iterator[Iterator[SourceMessage]]:
    """A mailbox by URL: `imap://`, `imaps://` or `maildir:///path` (a bare path is a Maildir too)."""
    scheme = urlsplit(url).scheme
    if scheme in ("imap", "imaps"):
        with imap_messages(url) as messages:
            yield messages
    elif scheme == "maildir":
        yield maildir_messages(unquote(urlsplit(url).path))
    elif scheme == "":
        yield maildir_messages(url)
    else:
        raise SourceError(f"unsupported mailbox URL scheme {scheme!r}: use imap://, imaps:// or maildir://")
