from datetime import timedelta

import pytest
from django.utils import timezone

from makegood.cases import signals
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Notification, Priority, Status
from makegood.cases.services import CaseActionError, case_close, case_reopen, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case


def _resolved_case(owner, at=None):
    case = make_case(channel="phone")
    case_take_ownership(case=case, user=owner)
    return case_resolve(case=case, user=owner, resolution="Replaced the wheel.", at=at)


def test_reopening_puts_the_case_first_with_a_fresh_clock(alice):
    case = _resolved_case(alice)
    later = timezone.now() + timedelta(days=1)
    case = case_reopen(case=case, reason="The new wheel wobbles too.", at=later)
    assert case.status == Status.OPEN
    assert case.priority == Priority.HIGH
    assert case.reopen_count == 1
    assert case.resolved_at is None and case.first_responded_at is None
    assert case.first_response_due_at == later + timedelta(minutes=1)
    assert case.events.filter(kind=EventKind.REOPENED, body="The new wheel wobbles too.").exists()
    assert AuditEntry.objects.filter(action="case.reopened", object_id=str(case.pk)).exists()


def test_the_owner_is_told_and_the_manager_from_the_second_reopen(alice, bob):
    case = _resolved_case(alice)
    case = case_reopen(case=case, reason="Still broken.")
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["alice"]
    case = case_resolve(case=case, user=alice, resolution="Sent a new frame.")
    case_reopen(case=case, reason="Frame is scratched.")
    second = set(Notification.objects.filter(message__contains="second").values_list("user__username", flat=True))
    assert second == {"alice", "bob"}


def test_only_a_resolved_case_can_be_reopened_or_closed(alice):
    case = make_case()
    with pytest.raises(CaseActionError):
        case_reopen(case=case, reason="?")
    with pytest.raises(CaseActionError):
        case_close(case=case, note="?")


def test_closing_records_when_and_announces_it(alice):
    case = _resolved_case(alice)
    heard = []

    def receiver(sender, case, actor, at, **kwargs):
        heard.append((case.pk, at))

    signals.case_closed.connect(receiver)
    try:
        case = case_close(case=case, note="Customer confirmed it is fixed.")
    finally:
        signals.case_closed.disconnect(receiver)
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert heard == [(case.pk, case.closed_at)]
    with pytest.raises(CaseActionError):
        case_reopen(case=case, reason="too late")
