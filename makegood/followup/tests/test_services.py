"""Scheduling on resolution, cancelling when the case moves on some other way, and the policy."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry
from makegood.cases.services import case_close, case_reopen, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff
from makegood.followup.models import FollowUp, FollowUpEventKind, FollowUpPolicy, Method, State
from makegood.followup.services import followup_schedule, is_dissatisfied, method_for
from makegood.followup.tests.helpers import T0, follow_up_of, resolved_case

pytestmark = pytest.mark.django_db


def test_resolving_a_case_schedules_one_follow_up_a_day_later_and_audits_it(alice):
    with time_machine.travel(T0, tick=False):
        case = resolved_case(alice)
    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.state, follow_up.method) == (State.SCHEDULED, Method.EMAIL)
    assert follow_up.due_at == T0 + timedelta(days=1)
    assert case.events.order_by("at", "pk").last().kind == EventKind.STATUS_CHANGED  # the resolution
    assert AuditEntry.objects.filter(action="followup.scheduled", object_id=str(follow_up.pk)).exists()


def test_a_case_resolved_long_ago_and_recorded_late_gets_no_survey(alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    with time_machine.travel(T0, tick=False):
        case_resolve(case=case, user=alice, resolution="Done.", at=T0 - timedelta(days=7))
        assert not FollowUp.objects.exists()
        other = make_case(customer_email="late@example.com")
        case_take_ownership(case=other, user=alice)
        case_resolve(case=other, user=alice, resolution="Done.", at=T0 - timedelta(days=2))
        assert FollowUp.objects.get(case=other).due_at == T0 - timedelta(days=1)  # still in its window


def test_closing_or_reopening_a_case_some_other_way_cancels_the_pending_follow_up(alice):
    closed = resolved_case(alice)
    case_close(case=closed, note="The customer phoned to say thanks.", actor=alice)
    follow_up = follow_up_of(closed)
    assert follow_up.state == State.CANCELLED and follow_up.cancel_reason == "The case was closed."
    assert closed.events.filter(kind=FollowUpEventKind.FOLLOW_UP, data__step="cancelled", actor=alice).exists()

    reopened = resolved_case(alice, customer_email="again@example.com")
    case_reopen(case=reopened, reason="The customer wrote back: still broken.")
    assert follow_up_of(reopened).state == State.CANCELLED


def test_resolving_again_replaces_nothing_answered_and_keeps_one_pending_follow_up(alice):
    case = resolved_case(alice)
    case = case_reopen(case=case, reason="Still broken.")
    case_resolve(case=case, user=alice, resolution="Fixed for real.")
    states = list(FollowUp.objects.filter(case=case).order_by("pk").values_list("state", flat=True))
    assert states == [State.CANCELLED, State.SCHEDULED]
    with pytest.raises(IntegrityError), transaction.atomic():  # the database's own guard
        FollowUp.objects.create(case=case, method="email", due_at=T0, nonce="x")


def test_who_is_called_and_who_is_emailed(north):
    assert method_for(make_case(channel="phone", customer_phone="+14155550100", customer_email="")) == Method.CALL
    assert method_for(make_case(channel="phone", customer_email="p@example.com")) == Method.EMAIL
    assert method_for(make_case(channel="web", customer_email="w@example.com")) == Method.EMAIL
    chat = make_case(channel="chat", customer_email="", customer_phone="+14155550101")
    assert method_for(chat) == Method.CALL


def test_a_customer_we_cannot_reach_gets_a_timeline_line_instead_of_a_follow_up(alice):
    case = resolved_case(alice, channel="phone", customer_phone="+14155550102", customer_email="")
    case.customer.phone = ""
    case.customer.save()
    FollowUp.objects.all().delete()
    assert followup_schedule(case=case) is None
    assert case.events.filter(kind=FollowUpEventKind.FOLLOW_UP, data__step="not_scheduled").exists()


@pytest.mark.parametrize(
    ("resolved", "score", "dissatisfied"),
    [(False, 5, True), (True, 1, True), (True, 2, True), (True, 3, False), (True, 5, False)],
)
def test_not_resolved_or_a_score_of_one_or_two_counts_as_dissatisfied(resolved, score, dissatisfied):
    assert is_dissatisfied(resolved=resolved, satisfaction=score) is dissatisfied


def test_the_policy_refuses_a_give_up_shorter_than_the_reminder():
    policy = FollowUpPolicy(
        channel="web", delay=timedelta(days=1), remind_after=timedelta(days=3), give_up_after=timedelta(days=2)
    )
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert "give_up_after" in refused.value.message_dict


def test_an_administrator_edits_the_policy_in_the_admin(client, north):
    client.force_login(make_staff("dana", Role.ADMINISTRATOR, north))
    assert client.get("/admin/followup/followup/").status_code == 200
    response = client.post(
        "/admin/followup/followuppolicy/add/",
        {"channel": "phone", "delay": "02:00:00", "remind_after": "1 00:00:00", "give_up_after": "3 00:00:00"},
    )
    assert response.status_code == 302
    assert FollowUpPolicy.objects.get(channel="phone").delay == timedelta(hours=2)
