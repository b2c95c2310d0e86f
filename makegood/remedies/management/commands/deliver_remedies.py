"""`makegood deliver_remedies`: send grants' deliveries (code e-mails, refunds) now.

A thin manual trigger of the outbox's sweep for remedies' purposes, without waiting for the
back-off; the worker's periodic sweep (`sweep_outbox`) does the same on its own.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from makegood.outbox.pipeline import messages_send_now
from makegood.remedies.tasks import PURPOSES


class Command(BaseCommand):
    help = "Send remedy deliveries that are pending now (the outbox's sweep, for remedies only)."

    def handle(self, *args: Any, **options: Any) -> None:
        tried, delivered = messages_send_now(purposes=list(PURPOSES.values()), waiting_too=True)
        self.stdout.write(f"{tried} deliveries tried, {delivered} delivered.")
