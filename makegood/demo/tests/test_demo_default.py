"""The default demo, as `./dev demo` loads it (`seed_demo`): every page a new user opens has
something true to show."""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Status


@pytest.fixture(scope="module")
def default_demo(module_transaction) -> str:
    """`seed_demo`'s output."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_on_first_use_every_report_and_queue_view_has_something_true_to_show(default_demo, client):
    """The default demo, as `./dev demo` loads it: each page a new user opens shows real rows."""
    from makegood.cases.queue_views import queue_view_counts
    from makegood.cases.selectors import incoming_transfers
    from makegood.followup.models import FollowUpAnswer
    from makegood.improvement.models import SuggestionGroup
    from makegood.insights.kpis import kpis_compute
    from makegood.insights.models import CaseFigures
    from makegood.remedies.models import Escalation, EscalationStatus, Grant, Payment, PaymentStatus, Purpose

    now = timezone.now()
    managers = {u.username: u for u in User.objects.filter(username__in=["grace", "omar", "anya", "hannah"])}
    client.force_login(User.objects.get(username="ellen"))

    # The remedy report: restitution and compensation, some granted on a manager's approval.
    page = client.get("/reports/remedies/")
    assert page.status_code == 200
    totals = page.context["totals"]
    assert totals["grants"] > 100 and totals["restitution_cost"] > 0 and totals["compensation_cost"] > 0
    resolved_with_grants = Case.objects.filter(grants__isnull=False, status__in=[Status.RESOLVED, Status.CLOSED])
    assert resolved_with_grants.distinct().count() > 150
    assert {Purpose.RESTITUTION, Purpose.COMPENSATION} <= set(Grant.objects.values_list("purpose", flat=True))
    assert len(set(Grant.objects.values_list("kind", flat=True))) >= 5
    approved = Grant.objects.filter(authorized_by__isnull=False)
    assert approved.exists() and not approved.filter(authorized_by=F("granted_by")).exists()

    # Payments: paid before their cases were resolved, and some still to make on open cases.
    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).exists()
    waiting = Payment.objects.filter(status=PaymentStatus.TO_PAY)
    assert waiting.exists() and not waiting.exclude(case__status__in=[Status.NEW, Status.OPEN]).exists()
    to_pay = waiting.select_related("case__team").first()
    assert to_pay is not None
    client.force_login(next(m for m in managers.values() if m.staff.team == to_pay.case.team))
    page = client.get("/payments/")
    assert page.status_code == 200 and to_pay.case.reference in page.content.decode()

    # Approvals: decided ones behind the approved grants, and some waiting on a manager now.
    assert Escalation.objects.filter(status=EscalationStatus.APPROVED).count() == approved.count()
    pending = Escalation.objects.filter(status=EscalationStatus.PENDING)
    assert pending.exists() and not pending.exclude(case__status=Status.OPEN).exists()
    deciders = [m for m in managers.values() if pending.filter(case__team=m.staff.team).exists()]
    assert deciders
    client.force_login(deciders[0])
    page = client.get("/approvals/")
    assert page.status_code == 200 and pending.filter(case__team=deciders[0].staff.team)[0].case.reference in (
        page.content.decode()
    )

    # The follow-up report: satisfied customers and some who said it was not put right.
    client.force_login(User.objects.get(username="ellen"))
    page = client.get("/reports/follow-ups/")
    outcomes = page.context["outcomes"]
    assert outcomes.satisfied > 50 and outcomes.dissatisfied > 0
    resolved_before = Case.objects.filter(resolved_at__lt=now - timedelta(days=2)).exclude(
        external_id__startswith="RC-HIST-"
    )
    answered = FollowUpAnswer.objects.filter(follow_up__case__in=resolved_before).count()
    assert answered >= 0.6 * resolved_before.count()

    # Suggestions from customers' follow-up answers, in the cause owners' inbox.
    from_follow_ups = FollowUpAnswer.objects.exclude(suggestion="")
    assert from_follow_ups.count() >= 5
    page = client.get("/improvement/suggestions/")
    assert page.status_code == 200
    assert SuggestionGroup.objects.filter(items__suggestion__text=from_follow_ups[0].suggestion).exists()

    # Insights: compensation, authority used and satisfaction over the last 90 days.
    assert client.get("/insights/").status_code == 200
    kpis = kpis_compute(CaseFigures.objects.filter(received_at__gte=now - timedelta(days=91)), months=3)
    assert kpis.cases > 200 and kpis.satisfaction["satisfied"] > 50
    assert any(row.cost > 0 for row in kpis.by_employee) and any(row.cost > 0 for row in kpis.by_cause)

    # Transfers: done ones on the timelines, and one waiting that both teams see.
    assert CaseEvent.objects.filter(kind=EventKind.TRANSFER_ASKED).count() >= 5
    moved = Case.objects.filter(events__kind=EventKind.TRANSFER_ASKED, transfer_team__isnull=True)
    assert moved.exclude(team__name="Online Desk").exists()
    waiting_transfer = Case.objects.filter(transfer_team__isnull=False).select_related("team", "transfer_team").first()
    assert waiting_transfer is not None and waiting_transfer.team != waiting_transfer.transfer_team
    store_manager = next(m for m in managers.values() if m.staff.team == waiting_transfer.transfer_team)
    assert waiting_transfer in incoming_transfers(store_manager, team=waiting_transfer.transfer_team)

    # The worker sends only what happened in the last hour (the newest cases' acknowledgements),
    # not hundreds of e-mails about complaints of weeks ago.
    from makegood.outbox.models import MessageState, OutboxMessage

    unsent = OutboxMessage.objects.filter(state=MessageState.PENDING)
    assert unsent.exists() and unsent.count() < 20
    fresh = set(Case.objects.filter(received_at__gt=now - timedelta(hours=2)).values_list("pk", flat=True))
    assert all(m.purpose != "cases.acknowledgement" or m.payload["case_id"] in fresh for m in unsent)
    assert OutboxMessage.objects.filter(state=MessageState.DELIVERED).count() > 300

    # The queue's views: reopened, waiting on a manager and by feeling, each with cases in some team.
    counts: Counter[str] = Counter()
    feelings: Counter[str] = Counter()
    for manager in managers.values():
        views = queue_view_counts(manager, team=manager.staff.team, now=now, current="")
        counts.update({link.slug: link.count for link in views.views})
        feelings.update({link.slug: link.count for link in views.feelings})
    assert counts["reopened"] > 0 and counts["waiting"] > 0 and counts["breached"] > 0 and counts["unassigned"] > 0
    assert len(feelings) >= 2
    client.force_login(managers["grace"])
    for view in ("reopened", "waiting", next(iter(feelings))):
        assert client.get("/queue/", {"view": view}).status_code == 200
