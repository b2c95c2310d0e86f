"""The first-response clock: when a person must first answer, per channel."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from makegood.cases.models import DEFAULT_RESPONSE_TARGETS, ResponseTarget


def response_target(channel: str) -> timedelta:
    row = ResponseTarget.objects.filter(channel=channel).values_list("target", flat=True).first()
    return row if row is not None else DEFAULT_RESPONSE_TARGETS[channel]


if TYPE_CHECKING:
    from makegood.accounts.models import Team


def first_response_due(channel: str, received_at: datetime, team: Team | None = None) -> datetime:
    return received_at + response_target(channel)
