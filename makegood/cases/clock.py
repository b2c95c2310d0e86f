"""The first-response clock: when a person must first answer, per channel."""

from __future__ import annotations

from datetime import datetime, timedelta

from makegood.cases.models import DEFAULT_RESPONSE_TARGETS, ResponseTarget


def response_target(channel: str) -> timedelta:
    row = ResponseTarget.objects.filter(channel=channel).values_list("target", flat=True).first()
    return row if row is not None else DEFAULT_RESPONSE_TARGETS[channel]


def first_response_due(channel: str, received_at: datetime) -> datetime:
    return received_at + response_target(channel)
