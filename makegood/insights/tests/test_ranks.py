"""Percentiles by rank (`ranks.percentiles`) against the nearest rank worked out in Python, on values
with ties, per group and over a period: the same value whether the walk starts from the smallest
or, for a rank nearer the end, from the largest, and whether it walks every value or only the
band the rollup's counts put the rank in."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Q

from makegood.cases.models import Case
from makegood.cases.tests.factories import make_case
from makegood.insights.daily import days_refresh
from makegood.insights.kpis import _bands
from makegood.insights.models import DAYS_SOURCE, CaseFigures, RollupState
from makegood.insights.ranks import BANDS, percentiles
from makegood.insights.scope import Filters, Scope, daily_for

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


@pytest.mark.parametrize(("days", "channel"), [(20, ""), (7, ""), (20, "web")])
def test_percentiles_from_the_rollups_bands_are_the_same_nearest_rank(figures, days, channel):
    """The rank's band from the rollup's counts (`DailyValues`), then a walk of that band only."""
    days_refresh()
    RollupState.objects.create(source=DAYS_SOURCE)
    chosen = Filters(START.date(), START.date() + timedelta(days=days - 1), channel=channel)
    rollup = daily_for(Scope(Q(), "every team", "all"), chosen)
    assert rollup is not None
    bands = _bands(rollup)
    in_period = CaseFigures.objects.filter(chosen.q())
    kept = set(in_period.filter(first_response_seconds__isnull=False).values_list("pk", flat=True))
    chosen_rows = [f for f in figures if f.pk in kept]
    values = [f.first_response_seconds for f in chosen_rows]
    assert len(bands.all_responses) > 3  # the values fall in several bands
    assert sum(bands.all_responses.values()) == len(values)
    got = percentiles(in_period, "first_response_seconds", points=POINTS, bands={None: bands.all_responses})
    assert got[None] == {p: _nearest_rank(values, p) for p in POINTS}
    per_channel = percentiles(in_period, "first_response_seconds", by="channel", points=POINTS, bands=bands.responses)
    assert set(per_channel) == {f.channel for f in chosen_rows}
    for name in per_channel:
        mine = [f.first_response_seconds for f in chosen_rows if f.channel == name]
        assert per_channel[name] == {p: _nearest_rank(mine, p) for p in POINTS}


def test_a_band_emptied_since_the_rollup_counted_it_falls_back_to_every_value(figures):
    """Between the refresh's writing the cases and summing their days, a band may hold fewer values
    than the rollup says: the rank is then walked over every value, never left empty."""
    present = CaseFigures.objects.filter(first_response_seconds__isnull=False)
    values = list(present.values_list("first_response_seconds", flat=True))
    stale = {None: {len(BANDS): len(values)}}  # every value counted in the top band, where none is
    got = percentiles(CaseFigures.objects.all(), "first_response_seconds", points=POINTS, bands=stale)
    assert got[None] == {p: _nearest_rank(values, p) for p in POINTS}
