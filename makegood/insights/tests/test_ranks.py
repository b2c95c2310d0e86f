"""Percentiles by rank (`ranks.percentiles`) against the nearest rank worked out in Python, on values
with ties, per group and over a period: the same value whether the walk starts from the smallest
or, for a rank nearer the end, from the largest."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from makegood.cases.models import Case
from makegood.cases.tests.factories import make_case
from makegood.insights.models import CaseFigures
from makegood.insights.ranks import percentiles

pytestmark = pytest.mark.django_db

POINTS = (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0)
START = datetime(2026, 3, 1, tzinfo=UTC)


def _nearest_rank(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


@pytest.fixture
def figures():
    """60 cases on two channels over 20 days; delays drawn from 15 values (ties), some none."""
    rng = random.Random(7)
    template = make_case()
    rows = []
    for i in range(60):
        case = Case.objects.create(
            customer=template.customer, channel="web", story="x", received_at=START, first_response_due_at=START
        )
        seconds = rng.choice([None, *(30.0 * k for k in range(1, 16))]) if i else None
        rows.append(
            CaseFigures(
                case=case,
                received_at=START + timedelta(days=i % 20, hours=i % 7),
                channel=("web", "email")[i % 2],
                customer=template.customer,
                first_response_seconds=seconds,
            )
        )
    CaseFigures.objects.bulk_create(rows)
    return rows


@pytest.mark.parametrize("days", [20, 7])
def test_percentiles_are_the_nearest_rank_from_either_end(figures, days):
    end = START + timedelta(days=days)
    chosen = [f for f in figures if f.received_at < end and f.first_response_seconds is not None]
    in_period = CaseFigures.objects.filter(received_at__gte=START, received_at__lt=end)
    per_channel = percentiles(in_period, "first_response_seconds", by="channel", points=POINTS)
    overall = percentiles(in_period, "first_response_seconds", points=POINTS)[None]
    for channel in ("web", "email"):
        values = [f.first_response_seconds for f in chosen if f.channel == channel]
        assert per_channel[channel] == {p: _nearest_rank(values, p) for p in POINTS}
    assert overall == {p: _nearest_rank([f.first_response_seconds for f in chosen], p) for p in POINTS}
    # Counts given by the rollup, as the dashboard passes them: the same answers.
    counts = {None: len(chosen)}
    assert percentiles(in_period, "first_response_seconds", points=POINTS, counts=counts)[None] == overall
