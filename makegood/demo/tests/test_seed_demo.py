from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from makegood.accounts.models import ApiToken, Team
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Channel, Status
from makegood.cases.tests.factories import make_case
from makegood.demo import content
from makegood.demo.builders import demo_plan
from makegood.demo.services import demo_load

NOW = datetime(2026, 3, 15, 14, 30, tzinfo=UTC)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def plan():
    return demo_plan(seed=7, cases=300, now=NOW)


def test_the_same_seed_and_time_plan_the_same_demo(plan):
    assert demo_plan(seed=7, cases=300, now=NOW) == plan


def test_another_seed_plans_another_demo(plan):
    other = demo_plan(seed=8, cases=300, now=NOW)
    assert [c.story for c in other] != [c.story for c in plan]


def test_the_plan_spreads_cases_over_every_channel_and_state_in_the_last_90_days(plan):
    assert len(plan) == 300
    assert set(Counter(c.channel for c in plan)) == set(Channel.values)
    statuses = Counter(c.status for c in plan)
    assert statuses[Status.NEW] > 0 and statuses[Status.OPEN] > 0 and statuses[Status.RESOLVED] > 150
    assert all(NOW - timedelta(days=91) < c.received_at < NOW for c in plan)
    assert all(step.at < NOW for c in plan for step in c.steps)
    assert [c.received_at for c in plan] == sorted(c.received_at for c in plan)


def test_the_plan_has_repeat_customers_and_varied_stories(plan):
    customers = Counter(c.customer for c in plan)
    assert any(n > 1 for n in customers.values())
    assert len({c.subject for c in plan}) >= 40
    assert len(content.COMPLAINTS) >= 40


@pytest.mark.django_db(transaction=True)
def test_seeding_sends_no_email_for_back_dated_cases():
    demo_load(seed=7, cases=60, now=timezone.now())  # commits for real, so on-commit tasks would run
    assert Case.objects.filter(channel__in=[Channel.WEB, Channel.EMAIL]).exists()
    assert CaseEvent.objects.filter(kind=EventKind.REPLY_SENT).exists()
    assert mail.outbox == []
    assert not CaseEvent.objects.filter(kind=EventKind.ACK_EMAIL_SENT).exists()


@pytest.mark.django_db
def test_the_command_prints_the_logins_and_the_api_token():
    out = seed("--cases", "30", "--seed", "3")
    assert Case.objects.count() == 30
    for spec in content.STAFF:
        assert spec.username in out
    assert content.DEMO_PASSWORD in out
    token_line = next(line.strip() for line in out.splitlines() if line.strip().startswith("mg_"))
    assert ApiToken.find_active(token_line) is not None


@pytest.mark.django_db
def test_if_empty_loads_an_empty_database():
    seed("--if-empty", "--cases", "10")
    assert Case.objects.count() == 10


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_cases_alone(north):
    make_case()
    out = seed("--if-empty")
    assert Case.objects.count() == 1
    assert "not loaded" in out
    assert not Team.objects.filter(name="Riverside Store").exists()


@pytest.mark.django_db
def test_a_negative_number_of_cases_is_refused():
    with pytest.raises(CommandError):
        seed("--cases", "-1")
    assert not Case.objects.exists()


def test_the_demo_offers_the_online_shops_remedies_and_keeps_the_other_catalogs_inactive(db):
    from makegood.demo.services import demo_load
    from makegood.remedies.models import RemedyType

    demo_load(cases=5)
    active = set(RemedyType.objects.filter(active=True).values_list("catalog", flat=True))
    loaded = set(RemedyType.objects.values_list("catalog", flat=True))
    assert active == {"online_shop"}
    assert loaded == {"online_shop", "restaurant", "hotel"}


@pytest.mark.django_db
def test_on_first_use_every_report_and_queue_view_has_something_true_to_show(client):
    """The default demo, as `./dev demo` loads it: each page a new user opens shows real rows."""
    from django.contrib.auth.models import User

    from makegood.cases.queue_views import queue_view_counts
    from makegood.cases.selectors import incoming_transfers
    from makegood.followup.models import FollowUpAnswer
    from makegood.improvement.models import SuggestionGroup
    from makegood.insights.kpis import kpis_compute
    from makegood.insights.models import CaseFigures
    from makegood.remedies.models import Escalation, EscalationStatus, Grant, Payment, PaymentStatus, Purpose

    seed()
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
