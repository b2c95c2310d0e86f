"""Business-hours clocks: opening hours, holidays and time zones per location, and the cache
that keeps intake from paying a query for them."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from makegood.accounts.models import Holiday, OpeningHours, Role, Team, validate_time_zone
from makegood.accounts.roles import ROLE_PERMISSIONS
from makegood.accounts.services import roles_sync
from makegood.cases import clock
from makegood.cases.business_hours import MAX_DAYS, Schedule, add_open_time, open_time_between
from makegood.cases.clock import first_response_due, response_target
from makegood.cases.models import Case, ResponseTarget
from makegood.cases.services import case_reopen, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(hours=1)


def weekdays_nine_to_five(zone: ZoneInfo = LONDON, **extra: object) -> Schedule:
    return Schedule.build(time_zone=zone, hours=[(day, time(9), time(17)) for day in range(5)], **extra)  # type: ignore[arg-type]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# The arithmetic --------------------------------------------------------------------------------


def test_time_counts_only_inside_opening_hours_and_skips_the_weekend():
    # Friday 16:30 in London (GMT): half an hour on Friday, the other half on Monday morning.
    assert add_open_time(utc(2026, 2, 27, 16, 30), HOUR, weekdays_nine_to_five()) == utc(2026, 3, 2, 9, 30)


def test_a_complaint_received_before_opening_counts_from_the_opening():
    assert add_open_time(utc(2026, 3, 3, 6, 0), HOUR, weekdays_nine_to_five()) == utc(2026, 3, 3, 10, 0)


def test_a_holiday_is_skipped_like_a_weekend():
    schedule = weekdays_nine_to_five(holidays=[date(2026, 3, 2)])  # the Monday
    assert add_open_time(utc(2026, 2, 27, 16, 30), HOUR, schedule) == utc(2026, 3, 3, 9, 30)


def test_several_intervals_a_day_are_counted_and_the_lunch_break_is_not():
    schedule = Schedule.build(time_zone=LONDON, hours=[(1, time(9), time(12)), (1, time(13), time(17))])
    assert add_open_time(utc(2026, 3, 3, 11, 30), HOUR, schedule) == utc(2026, 3, 3, 13, 30)


def test_overlapping_intervals_are_not_counted_twice():
    schedule = Schedule.build(time_zone=LONDON, hours=[(1, time(9), time(12)), (1, time(10), time(11))])
    assert open_time_between(utc(2026, 3, 3, 0, 0), utc(2026, 3, 4, 0, 0), schedule) == 3 * HOUR


def test_a_closing_time_of_midnight_means_the_end_of_the_day():
    schedule = Schedule.build(time_zone=LONDON, hours=[(1, time(20), time(0)), (2, time(0), time(2))])
    assert add_open_time(utc(2026, 3, 3, 23, 30), HOUR, schedule) == utc(2026, 3, 4, 0, 30)


def test_the_hours_are_read_in_the_locations_time_zone():
    # 09:00 in New York is 14:00 UTC in March before the US changes its clocks (8 March 2026).
    assert add_open_time(utc(2026, 3, 3, 12, 0), HOUR, weekdays_nine_to_five(NEW_YORK)) == utc(2026, 3, 3, 15, 0)


def test_opening_hours_follow_the_clocks_when_daylight_saving_time_starts():
    # London goes to BST on Sunday 29 March 2026: Monday's 09:00 is 08:00 UTC.
    due = add_open_time(utc(2026, 3, 27, 16, 30), HOUR, weekdays_nine_to_five())
    assert due == utc(2026, 3, 30, 8, 30)
    assert due.astimezone(LONDON).time() == time(9, 30)


def test_opening_hours_follow_the_clocks_when_daylight_saving_time_ends():
    # Back to GMT on Sunday 25 October 2026: Friday 09:00 was 08:00 UTC, Monday's is 09:00 UTC.
    due = add_open_time(utc(2026, 10, 23, 15, 30), 2 * HOUR, weekdays_nine_to_five())
    assert due == utc(2026, 10, 26, 10, 30)


def test_a_day_on_which_the_clocks_change_has_its_real_length():
    round_the_clock_sunday = Schedule.build(time_zone=LONDON, hours=[(6, time(0), time(0))])
    spring = open_time_between(utc(2026, 3, 28), utc(2026, 3, 30), round_the_clock_sunday)
    autumn = open_time_between(utc(2026, 10, 24), utc(2026, 10, 26, 12), round_the_clock_sunday)
    assert (spring, autumn) == (23 * HOUR, 25 * HOUR)


def test_a_schedule_without_opening_hours_is_open_round_the_clock_except_on_holidays():
    assert add_open_time(utc(2026, 3, 3, 23, 30), HOUR, Schedule(time_zone=LONDON)) == utc(2026, 3, 4, 0, 30)
    with_holiday = Schedule.build(time_zone=LONDON, holidays=[date(2026, 3, 4)])
    assert add_open_time(utc(2026, 3, 3, 23, 30), HOUR, with_holiday) == utc(2026, 3, 5, 0, 30)


def test_a_schedule_that_never_opens_falls_back_to_real_time_instead_of_running_for_ever():
    never = Schedule.build(time_zone=LONDON, hours=[(0, time(9), time(17))], holidays=_all_mondays(2026, 2030))
    assert add_open_time(utc(2026, 3, 3, 10), HOUR, never) == utc(2026, 3, 3, 11)


def _all_mondays(first_year: int, last_year: int) -> list[date]:
    day = date(first_year, 1, 5)
    mondays = []
    while day.year <= last_year:
        mondays.append(day)
        day += timedelta(days=7)
    return mondays


def _is_open(instant: datetime, schedule: Schedule) -> bool:
    """An independent reading: is the wall clock at the location inside an interval today?"""
    local = instant.astimezone(schedule.time_zone)
    if local.date() in schedule.holidays:
        return False
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    return any(opens <= seconds < closes for opens, closes in schedule.weekly.get(local.weekday(), ()))


@pytest.mark.parametrize(
    "start",
    [utc(2026, 3, 27, 16, 21), utc(2026, 10, 23, 15, 7), utc(2026, 12, 24, 16, 45), utc(2026, 3, 7, 22, 0)],
)
def test_counting_minute_by_minute_gives_the_same_due_time(start):
    schedule = Schedule.build(
        time_zone=LONDON,
        hours=[(d, time(8), time(12)) for d in range(6)] + [(d, time(13), time(17, 30)) for d in range(5)],
        holidays=[date(2026, 12, 25), date(2026, 12, 28)],
    )
    due = add_open_time(start, 3 * HOUR, schedule)
    minutes = int((due - start).total_seconds() // 60)
    counted = sum(_is_open(start + timedelta(minutes=m), schedule) for m in range(minutes))
    assert counted == 180
    assert _is_open(due - timedelta(minutes=1), schedule)


ZONES = st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Sydney"), ZoneInfo("UTC")])
MINUTE_OF_DAY = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    hours = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        a, b = sorted(draw(st.lists(MINUTE_OF_DAY, min_size=2, max_size=2, unique=True)))
        closes = time(0) if b == 24 * 60 - 1 else time(b // 60, b % 60)
        hours.append((draw(st.integers(0, 6)), time(a // 60, a % 60), closes))
    holidays = draw(st.lists(st.dates(date(2026, 1, 1), date(2027, 3, 1)), max_size=20))
    return Schedule.build(time_zone=draw(ZONES), hours=hours, holidays=holidays)


STARTS = st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC))
SPANS = st.timedeltas(timedelta(0), timedelta(days=3)).map(lambda d: timedelta(seconds=int(d.total_seconds())))


@examples(max_examples=150, deadline=None)
@given(schedule=schedules(), start=STARTS, span=SPANS)
def test_the_due_time_is_never_earlier_than_in_real_time(schedule, start, span):
    assert add_open_time(start, span, schedule) >= start + span


@examples(max_examples=100, deadline=None)
@given(start=STARTS, span=SPANS, zone=ZONES)
def test_with_always_open_hours_the_due_time_is_real_time(start, span, zone):
    always = Schedule.build(time_zone=zone, hours=[(day, time(0), time(0)) for day in range(7)])
    assert add_open_time(start, span, always) == start + span
    assert add_open_time(start, span, Schedule(time_zone=zone)) == start + span


@examples(max_examples=150, deadline=None)
@given(schedule=schedules(), start=STARTS, span=SPANS)
def test_the_open_time_counted_up_to_the_due_time_is_the_target_and_not_a_second_less(schedule, start, span):
    # (A schedule with too little open time in MAX_DAYS falls back to real time: not this property.)
    assume(open_time_between(start, start + timedelta(days=MAX_DAYS - 1), schedule) >= span)
    due = add_open_time(start, span, schedule)
    assert open_time_between(start, due, schedule) == span
    if span:
        assert open_time_between(start, due - timedelta(seconds=1), schedule) < span


# The clock with the database -----------------------------------------------------------------


def _nine_to_five(team: Team, zone: str = "Europe/London") -> None:
    team.time_zone = zone
    team.save()
    OpeningHours.objects.bulk_create(
        OpeningHours(team=team, weekday=day, opens=time(9), closes=time(17)) for day in range(5)
    )
    clock.clock_cache_clear()  # bulk_create sends no signal


def _business_hours(*channels: str) -> None:
    for target in ResponseTarget.objects.filter(channel__in=channels):
        target.business_hours_only = True
        target.save()


def test_an_email_received_on_friday_evening_is_due_on_monday_morning(north):
    _nine_to_five(north)
    _business_hours("email", "web", "social")
    with time_machine.travel(utc(2026, 2, 27, 16, 30), tick=False):
        case = make_case(channel="email")
    assert case.first_response_due_at == utc(2026, 3, 2, 9, 30)


def test_live_channels_count_real_time_even_at_a_closed_location(north):
    _nine_to_five(north)
    _business_hours("email")
    # Even a flag set behind the model's back (no clean()) does not make a phone clock wait.
    ResponseTarget.objects.filter(channel__in=["phone", "chat", "in_person"]).update(business_hours_only=True)
    clock.clock_cache_clear()
    saturday = utc(2026, 2, 28, 12, 0)
    for channel in ("phone", "chat", "in_person"):
        assert first_response_due(channel, saturday, team=north) == saturday + timedelta(minutes=1)
    assert first_response_due("email", saturday, team=north) == utc(2026, 3, 2, 10, 0)


def test_an_administrator_cannot_set_business_hours_on_a_live_channel(north):
    phone = ResponseTarget.objects.get(channel="phone")
    phone.business_hours_only = True
    with pytest.raises(ValidationError) as raised:
        phone.full_clean()
    assert "business_hours_only" in raised.value.message_dict
    email = ResponseTarget.objects.get(channel="email")
    email.business_hours_only = True
    email.full_clean()


def test_a_target_without_business_hours_counts_real_time_at_a_closed_location(north):
    _nine_to_five(north)
    saturday = utc(2026, 2, 28, 12, 0)
    assert first_response_due("email", saturday, team=north) == saturday + HOUR


def test_a_team_without_opening_hours_is_always_open(north, south):
    _nine_to_five(north)
    _business_hours("email")
    saturday = utc(2026, 2, 28, 12, 0)
    assert first_response_due("email", saturday, team=south) == saturday + HOUR
    assert first_response_due("email", saturday, team=None) == saturday + HOUR


def test_a_team_holiday_is_skipped(north):
    _nine_to_five(north)
    _business_hours("email")
    Holiday.objects.create(team=north, date=date(2026, 3, 2), name="Founders' day")
    assert first_response_due("email", utc(2026, 2, 27, 16, 30), team=north) == utc(2026, 3, 3, 9, 30)


def test_a_blank_time_zone_means_the_sites(north, settings):
    _nine_to_five(north, zone="")
    _business_hours("email")
    assert settings.TIME_ZONE == "UTC"
    # In July London is an hour ahead of UTC; the blank zone reads 09:00 as 09:00 UTC.
    assert first_response_due("email", utc(2026, 7, 6, 7, 0), team=north) == utc(2026, 7, 6, 10, 0)


def test_a_reopened_case_gets_a_fresh_clock_in_business_hours(north, alice):
    _nine_to_five(north)
    _business_hours("email")
    with time_machine.travel(utc(2026, 3, 3, 10, 0), tick=False):
        case = make_case(channel="email")
        case_take_ownership(case=case, user=alice)
        case_resolve(case=case, user=alice, resolution="Replaced.")
    with time_machine.travel(utc(2026, 3, 6, 16, 45), tick=False):  # Friday 16:45
        case = case_reopen(case=case, reason="Still broken.")
    assert case.first_response_due_at == utc(2026, 3, 9, 9, 45)


# The cache -------------------------------------------------------------------------------------


def test_intake_pays_no_query_for_the_clock_once_the_cache_is_warm(north, django_assert_num_queries):
    _nine_to_five(north)
    _business_hours("email")
    first_response_due("email", utc(2026, 3, 3, 10), team=north)
    with django_assert_num_queries(0):
        first_response_due("email", utc(2026, 3, 3, 10), team=north)
        first_response_due("phone", utc(2026, 3, 3, 10), team=north)
        response_target("web")


def test_saving_opening_hours_applies_at_once_in_this_process(north):
    _business_hours("email")
    saturday = utc(2026, 2, 28, 12, 0)
    assert first_response_due("email", saturday, team=north) == saturday + HOUR  # cached: always open
    hours = OpeningHours.objects.create(team=north, weekday=0, opens=time(9), closes=time(17))
    assert first_response_due("email", saturday, team=north) == utc(2026, 3, 2, 10, 0)
    hours.closes = time(9, 30)
    hours.save()
    assert first_response_due("email", saturday, team=north) == utc(2026, 3, 9, 9, 30)
    hours.delete()
    assert first_response_due("email", saturday, team=north) == saturday + HOUR


def test_saving_a_target_a_holiday_or_a_team_applies_at_once(north):
    _nine_to_five(north)
    _business_hours("email")
    start = utc(2026, 2, 27, 16, 30)
    assert first_response_due("email", start, team=north) == utc(2026, 3, 2, 9, 30)
    target = ResponseTarget.objects.get(channel="email")
    target.target = timedelta(minutes=90)
    target.save()
    assert first_response_due("email", start, team=north) == utc(2026, 3, 2, 10, 0)
    holiday = Holiday.objects.create(team=north, date=date(2026, 3, 2))
    assert first_response_due("email", start, team=north) == utc(2026, 3, 3, 10, 0)
    holiday.delete()
    north.time_zone = "America/New_York"
    north.save()
    # Friday 16:30 UTC is 11:30 in New York: the ninety minutes fit that afternoon.
    assert first_response_due("email", start, team=north) == utc(2026, 2, 27, 18, 0)


def test_a_change_without_signals_is_seen_once_the_cache_is_thirty_seconds_old(north, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(clock._cache, "_clock", lambda: now[0])
    assert response_target("email") == HOUR
    ResponseTarget.objects.filter(channel="email").update(target=timedelta(minutes=20))
    now[0] += 29
    assert response_target("email") == HOUR
    now[0] += 2
    assert response_target("email") == timedelta(minutes=20)


def test_an_intake_through_the_service_uses_the_cached_hours(north):
    _nine_to_five(north)
    _business_hours("email")
    make_case(channel="email", customer_email="warm@example.com")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(utc(2026, 2, 27, 16, 30), tick=False), CaptureQueriesContext(connection) as ctx:
        case = make_case(channel="email", customer_email="second@example.com")
    assert case.first_response_due_at == utc(2026, 3, 2, 9, 30)
    clock_tables = ("cases_responsetarget", "accounts_openinghours", "accounts_holiday")
    assert not [q for q in ctx.captured_queries if any(table in q["sql"] for table in clock_tables)]
    assert Case.objects.count() == 2


# Administration --------------------------------------------------------------------------------


def test_opening_hours_must_close_after_they_open_unless_they_close_at_midnight(north):
    with pytest.raises(ValidationError):
        OpeningHours(team=north, weekday=0, opens=time(17), closes=time(9)).full_clean()
    OpeningHours(team=north, weekday=0, opens=time(17), closes=time(0)).full_clean()


def test_a_time_zone_must_be_a_real_one():
    validate_time_zone("Europe/London")
    validate_time_zone("")
    with pytest.raises(ValidationError):
        validate_time_zone("Europe/Atlantis")


HOURS_PERMISSIONS = [
    f"accounts.{action}_{model}"
    for model in ("openinghours", "holiday")
    for action in ("view", "add", "change", "delete")
]


def test_administrators_may_edit_opening_hours_and_holidays_and_an_existing_database_gets_them(north):
    assert set(HOURS_PERMISSIONS) <= set(ROLE_PERMISSIONS[Role.ADMINISTRATOR])
    group = Group.objects.get(name=Role.ADMINISTRATOR)
    group.permissions.clear()  # a database from before these models
    roles_sync()  # what every `migrate` runs (post_migrate)
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    assert all(admin.has_perm(perm) for perm in HOURS_PERMISSIONS)
    frontline = make_staff("fred", Role.FRONTLINE, north)
    assert not any(frontline.has_perm(perm) for perm in HOURS_PERMISSIONS)


def test_an_administrator_sets_a_teams_hours_holidays_and_time_zone_in_the_admin(client, north):
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    client.force_login(admin)
    url = f"/admin/accounts/team/{north.pk}/change/"
    page = client.get(url).content.decode()
    assert "opening_hours-TOTAL_FORMS" in page and "holidays-TOTAL_FORMS" in page
    response = client.post(
        url,
        {
            "name": "North",
            "slug": "north",
            "location": "",
            "time_zone": "Europe/London",
            "receives_unrouted": "on",
            "opening_hours-TOTAL_FORMS": "2",
            "opening_hours-INITIAL_FORMS": "0",
            "opening_hours-0-weekday": "0",
            "opening_hours-0-opens": "09:00",
            "opening_hours-0-closes": "17:00",
            "opening_hours-1-weekday": "1",
            "opening_hours-1-opens": "09:00",
            "opening_hours-1-closes": "17:00",
            "holidays-TOTAL_FORMS": "1",
            "holidays-INITIAL_FORMS": "0",
            "holidays-0-date": "2026-12-25",
            "holidays-0-name": "Christmas Day",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    north.refresh_from_db()
    assert north.time_zone == "Europe/London"
    assert north.opening_hours.count() == 2
    assert north.holidays.get().name == "Christmas Day"


def test_the_admin_refuses_a_made_up_time_zone(client, north):
    client.force_login(make_staff("ada", Role.ADMINISTRATOR, north))
    response = client.post(
        f"/admin/accounts/team/{north.pk}/change/",
        {
            "name": "North",
            "slug": "north",
            "time_zone": "Mars/Olympus",
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "holidays-TOTAL_FORMS": "0",
            "holidays-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "is not a time zone name" in response.content.decode()
