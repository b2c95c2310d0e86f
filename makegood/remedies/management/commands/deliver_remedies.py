"""`makegood deliver_remedies`: retry deliveries (code e-mails, refunds to the payment system)
that failed, or that a crashed worker left half-sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from makegood.remedies.models import OutboundEvent, OutboundStatus
from makegood.remedies.tasks import deliver_outbound_event

# A delivery still "sending" after this long was abandoned by its worker.
STALE_AFTER = timedelta(minutes=10)


class Command(BaseCommand):
    help = "Retry remedy deliveries that failed (up to --max-attempts each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-attempts", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        stale = Q(status=OutboundStatus.SENDING, created_at__lt=timezone.now() - STALE_AFTER)
        OutboundEvent.objects.filter(stale).update(status=OutboundStatus.FAILED, last_error="Abandoned while sending.")
        retry = OutboundEvent.objects.filter(
            Q(status__in=[OutboundStatus.PENDING, OutboundStatus.FAILED]), attempts__lt=options["max_attempts"]
        ).values_list("pk", flat=True)
        ids = list(retry)
        for event_id in ids:
            deliver_outbound_event.call(event_id)
        delivered = OutboundEvent.objects.filter(pk__in=ids, status=OutboundStatus.DELIVERED).count()
        self.stdout.write(f"{len(ids)} deliveries tried, {delivered} delivered.")
