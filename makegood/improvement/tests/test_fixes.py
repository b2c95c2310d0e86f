"""Process fixes: opening one, moving it to live, its measured effect and verdict, the CUSUM's
watch, and who may do any of it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from makegood.causes.models import Cause
from makegood.improvement.effect import action_effect
from makegood.improvement.models import ActionState, AlarmKind, CauseAlarm, OwnerNotice, Verdict, VolumeWeek
from makegood.improvement.monitor import causes_watch
from makegood.improvement.selectors import owner_queue
from makegood.improvement.series import week_of
from makegood.improvement.services import action_advance, action_open, action_review, volumes_record
from makegood.improvement.tests.helpers import TODAY, weekly

pytestmark = pytest.mark.django_db
COURIER = "Partner or vendor / Courier lost or damaged the delivery"


@pytest.fixture
def courier(db):
    return Cause.objects.get(name="Courier lost or damaged the delivery")


def open_fix(cause, user, **extra):
    fields = {
        "title": "Photograph every delivery",
        "owner": user,
        "due_on": TODAY - timedelta(weeks=12),
        "expected_reduction": 40,
        "review_on": TODAY,
    }
    fields.update(extra)
    return action_open(cause=cause, user=user, **fields)


def go_live(action, user, weeks_ago: int):
    """Live `weeks_ago` weeks before TODAY: that week is left out, `weeks_ago - 1` whole weeks follow."""
    live_on = TODAY - timedelta(weeks=weeks_ago)
    action = action_advance(action=action, user=user)
    return action_advance(action=action, user=user, went_live_on=live_on)


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_a_fix_that_halved_complaints_is_measured_and_reviewed_as_worked(olga, courier):
    weekly(COURIER, [8] * 10 + [0] + [4] * 10)  # 10 weeks before, the live week, 10 weeks after
    action = go_live(open_fix(courier, olga), olga, weeks_ago=11)
    effect = action_effect(action, today=TODAY)
    assert (effect.weeks_before, effect.weeks_after) == (10, 10)
    assert effect.ratio.ratio == pytest.approx(0.5)
    assert effect.ratio.high < 1
    assert effect.regression is not None and effect.regression.step == pytest.approx(0.5, rel=1e-3)
    assert effect.verdict == Verdict.WORKED
    reviewed = action_review(action=action, user=olga)
    assert (reviewed.state, reviewed.verdict) == (ActionState.REVIEWED, Verdict.WORKED)


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_a_fix_after_which_nothing_changed_has_no_effect(olga, courier):
    weekly(COURIER, [5] * 9 + [5] + [5] * 9)
    action = go_live(open_fix(courier, olga), olga, weeks_ago=10)
    assert action_review(action=action, user=olga).verdict == Verdict.NO_EFFECT


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_with_a_volume_every_week_the_rate_is_per_volume(olga, courier):
    # Complaints doubled, but so did the orders: per 1,000 orders nothing changed.
    weekly(COURIER, [5] * 9 + [0] + [10] * 9)
    last = week_of(TODAY) - timedelta(weeks=1)
    volumes_record(weeks={last - timedelta(weeks=i): (2000 if i < 9 else 1000) for i in range(30)}, user=olga)
    action = go_live(open_fix(courier, olga), olga, weeks_ago=10)
    effect = action_effect(action, today=TODAY)
    assert effect.series.normalised
    assert effect.ratio.ratio == pytest.approx(1.0)
    assert effect.unit == "per 1,000 of volume"
    assert VolumeWeek.objects.count() == 30


def test_the_expected_reduction_and_review_date_are_required_before_going_live(olga, courier):
    with pytest.raises(ValidationError) as refused:
        open_fix(courier, olga, expected_reduction=0, review_on=TODAY - timedelta(weeks=20))
    assert set(refused.value.message_dict) == {"expected_reduction", "review_on"}


def test_the_states_go_forward_one_at_a_time_and_live_is_not_in_the_future(olga, courier):
    action = open_fix(courier, olga)
    action = action_advance(action=action, user=olga)
    assert action.state == ActionState.IN_PROGRESS
    with pytest.raises(ValidationError):
        action_advance(action=action, user=olga, went_live_on=TODAY + timedelta(days=400))


def test_only_the_cause_s_owner_or_a_process_owner_opens_and_runs_fixes(olga, alice, charlie, courier):
    with pytest.raises(PermissionDenied):
        open_fix(courier, alice)
    courier.owner = alice
    courier.save()
    action = open_fix(courier, alice)  # she owns the cause now
    with pytest.raises(PermissionDenied):
        action_advance(action=action, user=charlie)


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_an_overdue_fix_shows_in_its_owner_s_queue(client, olga, alice, courier):
    action = open_fix(courier, olga, owner=alice, due_on=TODAY - timedelta(days=3))
    assert owner_queue(alice).overdue == [action]
    assert OwnerNotice.objects.filter(user=alice).exists()  # told she owns it
    client.force_login(alice)
    html = client.get("/improvement/mine/").content.decode()
    assert "Overdue" in html and action.title in html


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_a_cause_rising_with_nobody_fixing_it_warns_its_owner_once(olga, courier):
    courier.category.owner = olga
    courier.category.save()
    weekly(COURIER, [2] * 26 + [2] * 8 + [9, 10, 11, 12])
    first = causes_watch(today=TODAY)
    assert first.rising >= 1
    assert CauseAlarm.objects.filter(cause=courier, kind=AlarmKind.RISING).exists()
    notices = OwnerNotice.objects.filter(user=olga, message__contains="is rising")
    assert notices.count() == first.rising
    assert causes_watch(today=TODAY).rising == 0  # the same weeks do not fire twice


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_a_steady_cause_raises_no_alarm(olga, courier):
    weekly(COURIER, [3, 4, 2, 3, 5, 3, 2, 4, 3, 3] * 4)
    assert causes_watch(today=TODAY).rising == 0


@time_machine.travel("2026-06-17 12:00:00+00:00", tick=False)
def test_complaints_climbing_back_after_a_fix_reopen_it_and_tell_its_owner(olga, alice, courier):
    weekly(COURIER, [10] * 12 + [0] + [2] * 8 + [9, 10, 11])
    action = go_live(open_fix(courier, olga, owner=alice), olga, weeks_ago=12)
    result = causes_watch(today=TODAY)
    assert result.relapses >= 1
    action.refresh_from_db()
    assert action.state == ActionState.IN_PROGRESS
    assert action.reopen_count == 1
    assert OwnerNotice.objects.filter(user=alice, message__startswith="Reopened").exists()
