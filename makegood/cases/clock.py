"""The first-response clock: when a person must first answer, per channel and location.

Intake runs `first_response_due` on every complaint and must not pay a query for it, so the
response targets, the default team and every team's opening hours, holidays and time zone are
held in a per-process cache (`clock_config`, a `ProcessCache`): reloaded at most every
CACHE_SECONDS, dropped at once in the process that saves or deletes a target, a team, its hours or
its holidays, so a change made in the admin reaches new cases everywhere within 30 seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings

from makegood.cases.business_hours import Schedule, add_open_time
from makegood.cases.models import DEFAULT_RESPONSE_TARGETS, LIVE_CHANNELS, ResponseTarget
from makegood.process_cache import ProcessCache

if TYPE_CHECKING:
    from makegood.accounts.models import Team

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class ClockConfig:
    """One consistent snapshot: targets per channel and the schedule of every team that has
    opening hours or holidays (a team without either is open round the clock)."""

    targets: dict[str, timedelta]
    # Where complaints nobody routed go; their clock counts at that team's location.
    default_team: Team | None
    business_hours_channels: frozenset[str]
    schedules: dict[int, Schedule]

    def target(self, channel: str) -> timedelta:
        return self.targets.get(channel, DEFAULT_RESPONSE_TARGETS.get(channel, timedelta(hours=1)))

    def schedule_for(self, channel: str, team_id: int | None) -> Schedule | None:
        """The schedule the channel's clock counts in, or None for real time.

        Live channels (phone, in person, chat) always count real time, whatever a target says.
        """
        if team_id is None or channel in LIVE_CHANNELS or channel not in self.business_hours_channels:
            return None
        return self.schedules.get(team_id)


def _load() -> ClockConfig:
    from makegood.accounts.models import Holiday, OpeningHours, Team

    targets: dict[str, timedelta] = {}
    business: set[str] = set()
    for channel, target, business_hours_only in ResponseTarget.objects.values_list(
        "channel", "target", "business_hours_only"
    ):
        targets[channel] = target
        if business_hours_only and channel not in LIVE_CHANNELS:
            business.add(channel)
    zones: dict[int, str] = {}
    hours: dict[int, list[tuple[int, time, time]]] = {}
    for team_id, zone, weekday, opens, closes in OpeningHours.objects.values_list(
        "team_id", "team__time_zone", "weekday", "opens", "closes"
    ):
        zones[team_id] = zone
        hours.setdefault(team_id, []).append((weekday, opens, closes))
    holidays: dict[int, list[date]] = {}
    for team_id, zone, day in Holiday.objects.values_list("team_id", "team__time_zone", "date"):
        zones[team_id] = zone
        holidays.setdefault(team_id, []).append(day)
    schedules = {
        team_id: Schedule.build(
            time_zone=ZoneInfo(zone or settings.TIME_ZONE),
            hours=hours.get(team_id, ()),
            holidays=holidays.get(team_id, ()),
        )
        for team_id, zone in zones.items()
    }
    return ClockConfig(
        targets=targets,
        default_team=Team.objects.receiving_unrouted(),
        business_hours_channels=frozenset(business),
        schedules=schedules,
    )


_cache = ProcessCache(_load, ttl_seconds=CACHE_SECONDS, name="clock_config")
# The cached snapshot (four queries when it is reloaded, none otherwise).
clock_config = _cache.get
clock_cache_clear = _cache.clear


def connect_signals() -> None:
    """Called from the cases app's `ready()`."""
    from makegood.accounts.models import Holiday, OpeningHours, Team

    _cache.clear_when_saved(ResponseTarget, Team, OpeningHours, Holiday)


def response_target(channel: str) -> timedelta:
    return clock_config().target(channel)


def clock_add(channel: str, start: datetime, span: timedelta, team_id: int | None) -> datetime:
    """`start` plus `span`, counted as the channel's clock counts at the team's location."""
    schedule = clock_config().schedule_for(channel, team_id)
    if schedule is None:
        return start + span
    return add_open_time(start, span, schedule)


def first_response_due(channel: str, received_at: datetime, team: Team | None = None) -> datetime:
    """When a person must first have answered: the channel's target after `received_at`, in the
    team's opening hours for business-hours targets (e-mail, web, social), else in real time."""
    return clock_add(channel, received_at, response_target(channel), team.pk if team is not None else None)
