"""`makegood send_outbox`: run the outbox's sweep here and now, without the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from makegood.outbox.pipeline import messages_send_now


class Command(BaseCommand):
    help = "Send the outgoing messages that are due (--now: also those waiting out a back-off)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--purpose", action="append", help="Only messages of this purpose (repeatable).")
        parser.add_argument("--now", action="store_true", help="Do not wait for the back-off of refused messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        tried, delivered = messages_send_now(purposes=options["purpose"], waiting_too=options["now"])
        self.stdout.write(f"{tried} messages tried, {delivered} delivered.")
