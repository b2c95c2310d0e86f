"""The breach watch: a clock about to run out alerts its owner (or team) once, a clock that ran
out is recorded once, however often and however concurrently the sweep runs."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction

from makegood.accounts.models import OpeningHours
from makegood.cases import tasks
from makegood.cases.breaches import (
    alert_candidates,
    alert_lead,
    breach_candidates,
    clock_sweep,
)
from makegood.cases.clock import clock_config
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, CaseEvent, Notification, ResponseTarget, Status
from makegood.cases.services import (
    case_record_response,
    case_reopen,
    case_resolve,
    case_take_ownership,
)
from makegood.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday


def at(**delta: float) -> datetime:
    return T0 + timedelta(**delta)


def sweep(when: datetime, times: int = 1) -> list[tuple[int, int]]:
    with time_machine.travel(when, tick=False):
        return [(r.alerted, r.breached) for r in (clock_sweep() for _ in range(times))]


def kinds(case: Case) -> list[str]:
    return list(
        case.events.filter(kind__in=[EventKind.CLOCK_ALERT, EventKind.CLOCK_BREACHED]).values_list("kind", flat=True)
    )


def test_the_alert_goes_out_with_a_fifth_of_the_target_left_and_at_least_thirty_seconds():
    assert alert_lead(timedelta(hours=1)) == timedelta(minutes=12)
    assert alert_lead(timedelta(minutes=1)) == timedelta(seconds=30)
    assert alert_lead(timedelta(seconds=20)) == timedelta(seconds=20)


def test_an_unowned_case_alerts_its_team_then_records_the_breach_once_each(north):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")  # due 10:01
    assert sweep(at(seconds=29)) == [(0, 0)]  # 31 seconds left: not yet
    assert sweep(at(seconds=31), times=2) == [(1, 0), (0, 0)]
    case.refresh_from_db()
    assert case.first_response_alerted_at == at(seconds=31)
    assert case.first_response_breached_at is None
    alert = Notification.objects.get()
    assert (alert.kind, alert.team, alert.user) == (Notification.Kind.CLOCK_ALERT, north, None)
    assert case.reference in alert.message and "0:29 left" in alert.message

    assert sweep(at(minutes=1, seconds=5), times=2) == [(0, 1), (0, 0)]
    case.refresh_from_db()
    assert case.first_response_breached_at == at(minutes=1, seconds=5)
    assert kinds(case) == [EventKind.CLOCK_ALERT, EventKind.CLOCK_BREACHED]
    breach = Notification.objects.get(kind=Notification.Kind.CLOCK_BREACHED)
    assert (breach.team, breach.user) == (north, None)
    audit = AuditEntry.objects.get(action="case.first_response_breached")
    assert audit.object_id == str(case.pk) and audit.actor_label == "system"
    assert audit.changes["first_response_due_at"] == case.first_response_due_at.isoformat()
    assert sweep(at(minutes=30)) == [(0, 0)]
    assert Notification.objects.count() == 2


def test_an_owned_case_alerts_its_owner_not_the_team(north, alice):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="chat")
        case_take_ownership(case=case, user=alice)
    sweep(at(seconds=45))
    sweep(at(minutes=2))
    notifications = list(Notification.objects.order_by("created_at"))
    assert [(n.kind, n.user, n.team) for n in notifications] == [
        (Notification.Kind.CLOCK_ALERT, alice, None),
        (Notification.Kind.CLOCK_BREACHED, alice, None),
    ]


def test_an_email_case_is_alerted_twelve_minutes_before_its_hour_is_up(north):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="email")
    assert sweep(at(minutes=47, seconds=59)) == [(0, 0)]
    assert sweep(at(minutes=48)) == [(1, 0)]
    assert sweep(at(minutes=59, seconds=59)) == [(0, 0)]
    assert sweep(at(hours=1)) == [(0, 1)]
    assert kinds(case) == [EventKind.CLOCK_ALERT, EventKind.CLOCK_BREACHED]


def test_a_clock_that_ran_out_unseen_is_recorded_as_a_breach_without_a_late_alert(north):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
    assert sweep(at(minutes=5)) == [(0, 1)]  # say the worker was down until now
    case.refresh_from_db()
    assert case.first_response_alerted_at is None
    assert kinds(case) == [EventKind.CLOCK_BREACHED]


def test_a_case_answered_in_time_is_neither_alerted_nor_breached(north, alice):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
        case_take_ownership(case=case, user=alice)
        case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Called back.")
    assert sweep(at(seconds=45)) == [(0, 0)]
    assert sweep(at(hours=2)) == [(0, 0)]
    assert Notification.objects.count() == 0


def test_a_case_answered_after_the_alert_is_not_breached(north, alice):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
        case_take_ownership(case=case, user=alice)
    sweep(at(seconds=40))
    with time_machine.travel(at(seconds=50), tick=False):
        case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Called back.")
    assert sweep(at(minutes=5)) == [(0, 0)]
    assert kinds(case) == [EventKind.CLOCK_ALERT]


def test_a_case_resolved_without_a_response_is_not_breached(north, alice):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
        case_take_ownership(case=case, user=alice)
        case_resolve(case=case, user=alice, resolution="Sorted at the counter.")
    assert sweep(at(minutes=5)) == [(0, 0)]
    assert Case.objects.get().status == Status.RESOLVED


def test_a_reopened_case_gets_a_fresh_clock_that_is_alerted_and_breached_again(north, alice):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
        case_take_ownership(case=case, user=alice)
    sweep(at(seconds=40))
    sweep(at(minutes=2))
    with time_machine.travel(at(minutes=3), tick=False):
        case_resolve(case=case, user=alice, resolution="Refunded.")
    with time_machine.travel(at(minutes=10), tick=False):
        case = case_reopen(case=case, reason="The refund never came.")
    assert case.first_response_alerted_at is None and case.first_response_breached_at is None
    assert sweep(at(minutes=10, seconds=40)) == [(1, 0)]
    assert sweep(at(minutes=12)) == [(0, 1)]
    assert kinds(case) == [EventKind.CLOCK_ALERT, EventKind.CLOCK_BREACHED] * 2


def test_a_case_with_neither_owner_nor_team_is_recorded_without_a_notification(north):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
    Case.objects.filter(pk=case.pk).update(team=None)
    assert sweep(at(minutes=2)) == [(0, 1)]
    assert Notification.objects.count() == 0
    assert kinds(case) == [EventKind.CLOCK_BREACHED]


def test_a_sweep_working_from_stale_candidates_records_nothing_twice(north):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
    from makegood.cases import breaches

    now = at(minutes=2)
    stale = breaches._breach_candidates(now)  # a second sweep read these before the first wrote
    assert stale == [case.pk]
    assert clock_sweep(now=now).breached == 1
    assert [breaches._record_breach(pk, now=now) for pk in stale] == [0]
    assert CaseEvent.objects.filter(kind=EventKind.CLOCK_BREACHED).count() == 1
    assert AuditEntry.objects.filter(action="case.first_response_breached").count() == 1


def test_the_periodic_task_runs_the_sweep(north):
    with time_machine.travel(T0, tick=False):
        make_case(channel="phone")
        make_case(channel="chat", customer_email="second@example.com")
    with time_machine.travel(at(minutes=5), tick=False):
        result = tasks.sweep_clocks.enqueue()
    assert result.return_value == {"alerted": 0, "breached": 2}
    assert Notification.objects.filter(kind=Notification.Kind.CLOCK_BREACHED).count() == 2


# Business hours ---------------------------------------------------------------------------------


def test_a_business_hours_clock_is_alerted_in_opening_hours_not_over_the_weekend(north):
    north.time_zone = "Europe/London"
    north.save()
    for day in range(5):
        OpeningHours.objects.create(team=north, weekday=day, opens=time(9), closes=time(17))
    email = ResponseTarget.objects.get(channel="email")
    email.business_hours_only = True
    email.save()
    friday = datetime(2026, 2, 27, 16, 30, tzinfo=UTC)
    with time_machine.travel(friday, tick=False):
        case = make_case(channel="email")
    assert case.first_response_due_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    for quiet in (friday + timedelta(minutes=29), datetime(2026, 2, 28, 12, 0, tzinfo=UTC)):
        assert sweep(quiet) == [(0, 0)]
    assert sweep(datetime(2026, 3, 2, 9, 17, 59, tzinfo=UTC)) == [(0, 0)]  # 12:01 of opening time left
    assert sweep(datetime(2026, 3, 2, 9, 18, tzinfo=UTC)) == [(1, 0)]
    assert sweep(datetime(2026, 3, 2, 9, 30, 1, tzinfo=UTC)) == [(0, 1)]


def test_live_channels_of_a_closed_location_are_alerted_in_real_time(north):
    north.time_zone = "Europe/London"
    north.save()
    OpeningHours.objects.create(team=north, weekday=0, opens=time(9), closes=time(17))
    saturday = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    with time_machine.travel(saturday, tick=False):
        make_case(channel="phone")
    assert sweep(saturday + timedelta(seconds=31)) == [(1, 0)]
    assert sweep(saturday + timedelta(seconds=61)) == [(0, 1)]


# Two sweeps at once, and the indexes -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_running_at_the_same_moment_record_each_breach_once(north):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises writers anyway (BEGIN IMMEDIATE)")
    with time_machine.travel(T0, tick=False):
        cases = [make_case(channel="phone", customer_email=f"c{i}@example.com") for i in range(20)]
    start = threading.Barrier(2)
    results: list[tuple[int, int]] = []

    def run() -> None:
        try:
            start.wait()
            result = clock_sweep(now=at(minutes=2))
            results.append((result.alerted, result.breached))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(breached for _alerted, breached in results) == len(cases)
    assert CaseEvent.objects.filter(kind=EventKind.CLOCK_BREACHED).count() == len(cases)
    assert Notification.objects.filter(kind=Notification.Kind.CLOCK_BREACHED).count() == len(cases)


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # A test table is tiny, so PostgreSQL would rightly scan it; ask whether it *can* use the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            return queryset.explain()
    return queryset.explain()


def test_the_sweep_reads_its_candidates_off_the_partial_indexes(north):
    now = at(minutes=5)
    for status in (Status.NEW, Status.OPEN):
        assert "case_clock_breach_idx" in _plan(breach_candidates(status, now).values("pk")[:500])
        assert "case_clock_alert_idx" in _plan(alert_candidates(status, now, clock_config()).values("pk")[:500])


def test_a_sweep_with_nothing_to_do_costs_four_queries_however_many_cases_wait(
    north, django_assert_num_queries, django_assert_max_num_queries
):
    with time_machine.travel(T0, tick=False):
        for i in range(30):
            make_case(channel="web", customer_email=f"w{i}@example.com")
    clock_config()
    with django_assert_num_queries(4):  # breaches and alerts, per open status
        clock_sweep(now=at(minutes=1))
