"""The queue's order is what the customers need: high priority first, then the least time left,
long-breached cases below the fresh ones (still shown), answered ones last."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Priority
from makegood.cases.queue import RECENT_BREACH, queue_for
from makegood.cases.services import case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def opened(at: str, channel: str, email: str, **fields: object) -> Case:
    with time_machine.travel(at, tick=False):
        case = make_case(channel=channel, customer_email=email)
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
    return Case.objects.get(pk=case.pk)


def order(alice, north, now: str) -> list[int]:
    with time_machine.travel(now, tick=False):
        return [row.pk for row in queue_for(alice, team=north, now=timezone.now()).rows]


def test_the_issues_queue_high_priority_then_time_left_then_old_breaches_then_answered(alice, bob, north):
    month_old = opened("2026-10-01 09:00+00:00", "web", "old@example.com")  # breached a month ago
    reopened = opened(
        "2026-11-01 09:00+00:00", "web", "re@example.com", priority=Priority.HIGH, reopen_count=1
    )  # high priority, its new target tomorrow
    Case.objects.filter(pk=reopened.pk).update(first_response_due_at=reopened.received_at + timedelta(days=1))
    chat_just_missed = opened("2026-11-02 11:58+00:00", "chat", "chat@example.com")  # due 11:59: 1 min late
    web_fresh = opened("2026-11-02 11:30+00:00", "web", "web@example.com")  # due 12:30
    web_later = opened("2026-11-02 11:50+00:00", "web", "later@example.com")  # due 12:50
    two_hours_late = opened("2026-11-02 09:00+00:00", "web", "two@example.com")  # due 10:00
    answered = opened("2026-11-02 11:40+00:00", "phone", "ans@example.com")
    with time_machine.travel("2026-11-02 11:41+00:00", tick=False):
        case_take_ownership(case=answered, user=bob)
        case_record_response(case=answered, user=bob, kind=EventKind.CONTACT, body="Called.")
    assert order(alice, north, "2026-11-02 12:00+00:00") == [
        reopened.pk,
        chat_just_missed.pk,
        web_fresh.pk,
        web_later.pk,
        two_hours_late.pk,  # breached longer ago: below the fresh ones, the most recent first
        month_old.pk,
        answered.pk,
    ]


def test_a_second_failure_counts_as_high_priority(alice, north):
    fresh = opened("2026-11-02 11:50+00:00", "web", "f@example.com")
    repeat = opened("2026-11-02 11:55+00:00", "web", "r@example.com", is_repeat_failure=True)
    assert order(alice, north, "2026-11-02 12:00+00:00") == [repeat.pk, fresh.pk]


def test_a_case_breached_within_the_grace_keeps_its_place_by_due_time(alice, north):
    late = opened("2026-11-02 10:30+00:00", "web", "l@example.com")  # due 11:30
    fresh = opened("2026-11-02 11:00+00:00", "web", "f@example.com")  # due 12:00
    at = (late.first_response_due_at + RECENT_BREACH - timedelta(minutes=1)).isoformat()
    assert order(alice, north, at) == [late.pk, fresh.pk]
    at = (late.first_response_due_at + RECENT_BREACH + timedelta(minutes=1)).isoformat()
    assert order(alice, north, at) == [fresh.pk, late.pk]


def test_the_order_holds_when_the_page_is_full(alice, north, monkeypatch):
    old = [opened(f"2026-10-0{day} 09:00+00:00", "web", f"o{day}@example.com") for day in range(1, 4)]
    fresh = opened("2026-11-02 11:50+00:00", "web", "f@example.com")
    high = opened("2026-10-05 09:00+00:00", "web", "h@example.com", priority=Priority.HIGH)
    with time_machine.travel("2026-11-02 12:00+00:00", tick=False):
        queue = queue_for(alice, team=north, now=timezone.now(), limit=3)
    assert [row.pk for row in queue.rows] == [high.pk, fresh.pk, old[-1].pk]
    assert queue.total == 5
