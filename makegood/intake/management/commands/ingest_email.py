"""`makegood ingest_email`: complaints by e-mail, from stdin (an MTA pipe), a Maildir or IMAP."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from makegood.intake.mail.ingest import IngestResult, IngestSummary, Outcome, mailbox_ingest, messages_ingest
from makegood.intake.mail.sources import SourceError, SourceMessage, maildir_messages, stdin_messages

# sysexits.h: EX_TEMPFAIL tells an MTA piping mail to us to keep the message and retry later.
EXIT_REJECTED = 1
EXIT_TEMPFAIL = 75


class Command(BaseCommand):
    help = (
        "Read complaint e-mails and open a case per new message (a reply carrying a case reference "
        "joins that case). Reads one message from standard input unless --maildir or --url is given. "
        f"Exit status {EXIT_REJECTED} if a message was rejected (it is kept, raw, in the inbound "
        f"messages), {EXIT_TEMPFAIL} if a message or the mailbox could not be read (retry later)."
    )
    # Tests hand in a binary stream instead of the process's stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--maildir", metavar="PATH", help="Read every message in this Maildir (new/ and cur/).")
        source.add_argument(
            "--url",
            metavar="URL",
            help=(
                "Read unseen messages from imaps://user:pass@host[:port]/MAILBOX (TLS), imap://... (plain: "
                "only on localhost or a trusted network), or maildir:///path. %%-encode an @ or : in the password."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["url"]:
                summary = mailbox_ingest(url=options["url"], on_result=self._report)
            elif options["maildir"]:
                summary = messages_ingest(maildir_messages(options["maildir"]), on_result=self._report)
            else:
                stream = options.get("stdin") or sys.stdin.buffer
                summary = messages_ingest(stdin_messages(stream), on_result=self._report)
        except SourceError as exc:
            raise CommandError(f"Cannot read the mailbox: {exc}", returncode=EXIT_TEMPFAIL) from None
        self.stdout.write(summary.describe())
        self._exit(summary)

    def _report(self, item: SourceMessage, result: IngestResult | None) -> None:
        if result is None:
            self.stderr.write(f"{item.label}: failed, left unread (see the log); it will be retried")
        elif result.outcome == Outcome.REJECTED:
            self.stdout.write(self.style.ERROR(f"{item.label}: {result.describe()}"))
        else:
            self.stdout.write(f"{item.label}: {result.describe()}")

    def _exit(self, summary: IngestSummary) -> None:
        if summary.errors:
            raise CommandError(f"{summary.errors} message(s) could not be ingested", returncode=EXIT_TEMPFAIL)
        if summary.counts[Outcome.REJECTED]:
            raise CommandError(
                f"{summary.counts[Outcome.REJECTED]} message(s) rejected; they are kept as inbound messages",
                returncode=EXIT_REJECTED,
            )
