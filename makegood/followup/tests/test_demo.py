"""The demo shows the loop running: a few follow-ups fall due in the first minutes after loading."""

from datetime import timedelta

import pytest
from django.utils import timezone

from makegood.demo.services import _follow_ups_due_soon, demo_load
from makegood.followup.models import FollowUp, Method, State
from makegood.followup.tests.helpers import resolved_case

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_follow_ups_due_one_by_one_in_the_first_minutes_and_none_overdue():
    now = timezone.now()
    demo_load(seed=2026, cases=300, now=now)
    scheduled = FollowUp.objects.filter(state=State.SCHEDULED)
    soon = scheduled.filter(due_at__lte=now + timedelta(minutes=15))
    assert soon.count() >= 3
    assert not scheduled.filter(due_at__lt=now + timedelta(minutes=1)).exists()
    assert len(set(soon.values_list("due_at", flat=True))) == soon.count()  # one at a time
    assert {Method.EMAIL, Method.CALL} <= set(soon.values_list("method", flat=True))
    # Only recent resolutions are asked about: nothing for the cases resolved weeks ago.
    assert FollowUp.objects.count() < 40


def test_when_nothing_is_due_yet_the_three_nearest_follow_ups_are_brought_forward(alice):
    now = timezone.now()
    for i in range(5):
        resolved_case(alice, customer_email=f"c{i}@example.com")
    FollowUp.objects.update(due_at=now + timedelta(hours=5))
    _follow_ups_due_soon(now)
    soon = FollowUp.objects.filter(due_at__lte=now + timedelta(minutes=3))
    assert soon.count() == 3
