"""Each case event, and a follow-up answer, reaches a subscribed endpoint once, signed, with its data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction

from makegood.cases.models import Status
from makegood.cases.services import case_close, case_reopen, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.followup.models import FollowUp
from makegood.followup.services import followup_answer, followup_call_due
from makegood.followup.signals import followup_answered
from makegood.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the service enqueued on commit, as the real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _resolved_case(owner, on_commit, **fields):
    with on_commit():
        case = make_case(channel="phone", external_id="CRM-77", **fields)
        case_take_ownership(case=case, user=owner)
        return case_resolve(case=case, user=owner, resolution="Replaced the wheel.")


def test_opening_a_case_posts_a_signed_case_opened_event(endpoint, hook_server, north, on_commit):
    with time_machine.travel(AT, tick=False), on_commit():
        case = make_case(channel="web", subject="Broken wheel", external_id="CRM-1")

    [request] = hook_server.received
    assert request.verified
    assert request.path == "/hooks/makegood"
    body = request.json
    assert body["event"] == "case.opened"
    assert body["occurred_at"] == AT.isoformat()
    assert uuid.UUID(body["id"])
    assert request.headers["Makegood-Event"] == "case.opened"
    assert request.headers["Makegood-Delivery"] == body["id"]
    assert request.headers["Content-Type"] == "application/json"
    assert body["data"]["actor"] is None
    sent_case = body["data"]["case"]
    assert sent_case["reference"] == case.reference
    assert sent_case["status"] == Status.NEW
    assert sent_case["channel"] == "web"
    assert sent_case["priority"] == "normal"
    assert sent_case["reopen_count"] == 0
    assert sent_case["subject"] == "Broken wheel"
    assert sent_case["external_id"] == "CRM-1"
    assert sent_case["team"] == "North"
    assert sent_case["url"].endswith(f"/cases/{case.reference}/")
    assert "customer" not in sent_case and "dana@example.com" not in request.body.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.DELIVERED, 1, 200)
    assert str(delivery.event_id) == body["id"]


def test_resolving_a_case_posts_case_resolved_with_its_owner(endpoint, hook_server, alice, on_commit):
    case = _resolved_case(alice, on_commit)
    events = [r.json["event"] for r in hook_server.received]
    assert events == ["case.opened", "case.resolved"]
    resolved = hook_server.received[1].json["data"]
    assert resolved["case"]["status"] == Status.RESOLVED
    assert resolved["case"]["owner"] == "alice"
    assert resolved["case"]["resolved_at"] == case.resolved_at.isoformat()
    assert resolved["actor"] == "alice"
    assert all(r.verified for r in hook_server.received)


def test_reopening_a_case_posts_case_reopened_with_the_reason(endpoint, hook_server, alice, on_commit):
    case = _resolved_case(alice, on_commit)
    with on_commit():
        case_reopen(case=case, reason="The new wheel wobbles too.")
    reopened = hook_server.received[-1].json
    assert reopened["event"] == "case.reopened"
    assert reopened["data"]["reason"] == "The new wheel wobbles too."
    assert reopened["data"]["case"]["priority"] == "high"
    assert reopened["data"]["case"]["reopen_count"] == 1
    assert reopened["data"]["case"]["status"] == Status.OPEN
    assert WebhookDelivery.objects.filter(event="case.reopened").count() == 1


def test_closing_a_case_posts_case_closed(endpoint, hook_server, alice, on_commit):
    case = _resolved_case(alice, on_commit)
    with on_commit():
        case = case_close(case=case, note="The customer is happy.")
    closed = hook_server.received[-1].json
    assert closed["event"] == "case.closed"
    assert closed["data"]["case"]["status"] == Status.CLOSED
    assert closed["data"]["case"]["closed_at"] == case.closed_at.isoformat()


def test_a_follow_up_answer_posts_follow_up_answered_with_the_answer_and_the_case_as_it_now_is(
    endpoint, hook_server, alice, on_commit
):
    case = _resolved_case(alice, on_commit, customer_email="", customer_phone="+1 212 555 0100")
    follow_up = FollowUp.objects.get(case=case)
    with on_commit():
        followup_call_due(follow_up=follow_up)
        followup_answer(
            follow_up=follow_up,
            resolved=False,
            satisfaction=2,
            via="call",
            comment="It still wobbles.",
            suggestion="Test-ride it before handing it back.",
            recorded_by=alice,
            at=AT,
        )
    events = [r.json["event"] for r in hook_server.received]
    assert events == ["case.opened", "case.resolved", "case.reopened", "follow_up.answered"]
    request = hook_server.received[-1]
    assert request.verified
    body = request.json
    assert body["occurred_at"] == AT.isoformat()
    assert body["data"]["case"]["reference"] == case.reference
    assert body["data"]["case"]["status"] == Status.OPEN  # the answer reopened it
    assert body["data"]["case"]["reopen_count"] == 1
    assert body["data"]["follow_up"] == {
        "id": follow_up.pk,
        "method": "call",
        "state": "answered",
        "sent_at": body["data"]["follow_up"]["sent_at"],
        "answered_at": AT.isoformat(),
        "answer": {
            "resolved": False,
            "satisfaction": 2,
            "comment": "It still wobbles.",
            "suggestion": "Test-ride it before handing it back.",
            "via": "call",
            "outcome": "reopened",
            "answered_at": AT.isoformat(),
            "recorded_by": "alice",
        },
    }
    assert body["data"]["follow_up"]["sent_at"] is not None
    sent = request.body.decode()
    assert "555 0100" not in sent and "5550100" not in sent and "Dana" not in sent


def test_a_follow_up_answered_payload_survives_a_follow_up_without_an_answer_or_a_case(
    endpoint, hook_server, north, on_commit
):
    with on_commit():
        followup_answered.send(sender=SimpleNamespace, follow_up=SimpleNamespace(pk=41, state="answered"), at=AT)
    body = hook_server.received[-1].json
    assert body["data"]["case"] is None
    assert body["data"]["follow_up"]["id"] == 41
    assert body["data"]["follow_up"]["answer"] is None


def test_every_endpoint_gets_the_event_under_one_id_and_only_the_events_it_chose(
    endpoint, hook_server, north, on_commit
):
    only_closed = WebhookEndpoint.objects.create(url=hook_server.url + "/closed", events=["case.closed"])
    second = WebhookEndpoint.objects.create(url=hook_server.url + "/second", secret=endpoint.secret)
    with on_commit():
        make_case()
    deliveries = WebhookDelivery.objects.filter(event="case.opened")
    assert {d.endpoint_id for d in deliveries} == {endpoint.pk, second.pk}
    assert len({d.event_id for d in deliveries}) == 1
    assert not WebhookDelivery.objects.filter(endpoint=only_closed).exists()
    assert sorted(r.path for r in hook_server.received) == ["/hooks/makegood", "/hooks/makegood/second"]


def test_an_inactive_endpoint_gets_nothing(endpoint, hook_server, north, on_commit):
    endpoint.active = False
    endpoint.save()
    with on_commit():
        make_case()
    assert not WebhookDelivery.objects.exists()
    assert hook_server.received == []


def test_nothing_is_sent_before_the_change_commits(endpoint, hook_server, north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_case()
    assert WebhookDelivery.objects.count() == 1
    assert callbacks
    assert hook_server.received == []


def test_a_change_that_rolls_back_leaves_no_delivery(endpoint, hook_server, north):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        raise RuntimeError("Intake failed after the case was written.")
    assert not WebhookDelivery.objects.exists()
