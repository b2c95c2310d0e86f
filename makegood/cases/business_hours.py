"""Counting time inside a location's opening hours: pure arithmetic, no database.

A `Schedule` is a location's week (opening intervals per weekday, in local wall-clock time), its
closed days and its time zone. `add_open_time` answers "when will this much open time have
passed?", `open_time_between` "how much open time lies between these two instants?".

Daylight saving time: each interval is turned into real instants for its own date with zoneinfo,
so a day on which the clocks change has the real length of its intervals (09:00-17:00 is always
eight hours, 00:00-03:00 on the night the clocks go back is four). An opening or closing time
that does not exist that night (inside the spring-forward gap) is read as if the clocks had not
changed yet (PEP 495, fold=0).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_SECONDS = 86_400
# A schedule that yields no open time within this many days (every day a holiday) is not
# waited on: the clock falls back to real time rather than running for ever.
MAX_DAYS = 800


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


@dataclass(frozen=True)
class Schedule:
    """`weekly[weekday]` (Monday=0) holds sorted, non-overlapping (opens, closes) in seconds after
    local midnight; closes may be 86,400 (midnight at the end of the day).

    No weekly hours at all means open round the clock on every day that is not a holiday.
    """

    time_zone: ZoneInfo
    weekly: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    @classmethod
    def build(
        cls,
        *,
        time_zone: ZoneInfo,
        hours: Iterable[tuple[int, time, time]] = (),
        holidays: Iterable[date] = (),
    ) -> Schedule:
        """From (weekday, opens, closes) rows as administrators enter them: a closing time of
        00:00 is midnight at the end of the day; overlapping or touching intervals are merged;
        empty or backwards ones are ignored."""
        per_day: dict[int, list[tuple[int, int]]] = {}
        for weekday, opens, closes in hours:
            start, end = _seconds(opens), _seconds(closes) or DAY_SECONDS
            if end > start:
                per_day.setdefault(weekday, []).append((start, end))
        weekly: dict[int, tuple[tuple[int, int], ...]] = {}
        for weekday, intervals in per_day.items():
            merged: list[tuple[int, int]] = []
            for start, end in sorted(intervals):
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
            weekly[weekday] = tuple(merged)
        return cls(time_zone=time_zone, weekly=weekly, holidays=frozenset(holidays))

    @property
    def always_open(self) -> bool:
        return not self.weekly and not self.holidays

    def _day_intervals(self, day: date) -> tuple[tuple[int, int], ...]:
        if day in self.holidays:
            return ()
        if not self.weekly:
            return ((0, DAY_SECONDS),)
        return self.weekly.get(day.weekday(), ())

    def intervals_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals as real (UTC) instants, day by day from `day`, for MAX_DAYS days."""
        midnight = datetime.combine(day, time.min)
        for offset in range(MAX_DAYS):
            local_midnight = midnight + timedelta(days=offset)
            for start, end in self._day_intervals(local_midnight.date()):
                opens = self._instant(local_midnight + timedelta(seconds=start))
                closes = self._instant(local_midnight + timedelta(seconds=end))
                if closes > opens:
                    yield opens, closes

    def _instant(self, wall: datetime) -> datetime:
        return wall.replace(tzinfo=self.time_zone).astimezone(UTC)


def add_open_time(start: datetime, span: timedelta, schedule: Schedule) -> datetime:
    """The earliest instant by which `span` of open time has passed since `start` (aware).

    Never earlier than `start + span`; equal to it when the schedule is always open.
    """
    if span <= timedelta(0) or schedule.always_open:
        return start + span
    remaining = span
    for opens, closes in schedule.intervals_from(start.astimezone(schedule.time_zone).date()):
        if closes <= start:
            continue
        opens = max(opens, start)
        if closes - opens >= remaining:
            return (opens + remaining).astimezone(start.tzinfo)
        remaining -= closes - opens
    return start + span


def open_time_between(start: datetime, end: datetime, schedule: Schedule) -> timedelta:
    """How much open time lies between two instants (zero when `end` is not after `start`)."""
    if end <= start:
        return timedelta(0)
    if schedule.always_open:
        return end - start
    total = timedelta(0)
    for opens, closes in schedule.intervals_from(start.astimezone(schedule.time_zone).date()):
        if opens >= end:
            break
        overlap = min(closes, end) - max(opens, start)
        if overlap > timedelta(0):
            total += overlap
    return total
