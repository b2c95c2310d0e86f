"""Complaints of a cause per week, counted in the database, and the business's weekly volume."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from makegood.causes.models import CaseCause
from makegood.improvement.models import VolumeWeek


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """Every Monday from `first`'s week to `last`'s, both included."""
    start, end = week_of(first), week_of(last)
    return [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)] if start <= end else []


def last_complete_week(today: date) -> date:
    """The Monday of the last week that has ended (this week is still being counted)."""
    return week_of(today) - timedelta(weeks=1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Series:
    weeks: list[date]
    counts: list[int]
    volumes: list[int] | None  # None unless the business gave a volume for every one of these weeks

    @property
    def exposure(self) -> list[float]:
        return [float(v) for v in self.volumes] if self.volumes is not None else [1.0] * len(self.weeks)

    @property
    def normalised(self) -> bool:
        return self.volumes is not None


def weekly_counts(causes: QuerySet[CaseCause], weeks: list[date]) -> list[int]:
    """How many of these case causes fall in each week (by when the complaint was received)."""
    if not weeks:
        return []
    rows = (
        causes.filter(received_at__gte=_start_of(weeks[0]), received_at__lt=_start_of(weeks[-1] + timedelta(weeks=1)))
        .annotate(week=TruncWeek("received_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_week: dict[date, int] = {}
    for row in rows:
        moment = row["week"]
        day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
        by_week[day] = by_week.get(day, 0) + row["n"]
    return [by_week.get(week, 0) for week in weeks]


def volumes_for(weeks: list[date]) -> list[int] | None:
    known = dict(VolumeWeek.objects.filter(week__in=weeks).values_list("week", "volume"))
    if not weeks or any(known.get(week, 0) <= 0 for week in weeks):
        return None
    return [known[week] for week in weeks]


def cause_series(cause_id: int, weeks: list[date]) -> Series:
    counts = weekly_counts(CaseCause.objects.filter(cause_id=cause_id), weeks)
    return Series(weeks=weeks, counts=counts, volumes=volumes_for(weeks))
