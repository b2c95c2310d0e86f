from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from makegood.accounts.models import ApiToken, Role, Team
from makegood.accounts.roles import role_of
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, CaseEvent, Channel, Status
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


@pytest.mark.django_db
def test_seeding_loads_the_plan_through_the_services_with_consistent_timelines():
    loaded = demo_load(seed=7, cases=300, now=NOW)
    plan = demo_plan(seed=7, cases=300, now=NOW)

    cases = list(Case.objects.order_by("pk").select_related("customer"))
    assert len(cases) == 300 == loaded.case_count
    assert [(c.channel, c.status, c.story) for c in cases] == [(p.channel, p.status, p.story) for p in plan]
    assert set(loaded.cases_by_channel) == set(Channel.values)
    assert {Status.NEW, Status.OPEN, Status.RESOLVED} <= set(loaded.cases_by_status)
    # Every case was acknowledged on arrival and audited; nothing happened in the future.
    assert CaseEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 300
    assert AuditEntry.objects.filter(action="case.opened").count() == 300
    assert not CaseEvent.objects.filter(at__gt=NOW).exists()
    assert not AuditEntry.objects.filter(at__gt=NOW).exists()
    # Owned cases have an owner who took them after they arrived; resolved ones were answered first.
    for case in cases:
        if case.status != Status.NEW:
            assert case.owner is not None and case.owned_at >= case.received_at
        if case.status == Status.RESOLVED:
            assert case.first_responded_at is not None and case.resolved_at >= case.first_responded_at
    responded = Case.objects.filter(first_responded_at__isnull=False)
    breached = responded.filter(first_responded_at__gt=F("first_response_due_at")).count()
    assert 0 < breached < responded.count()  # some within target, some not
    assert CaseEvent.objects.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()
    assert Case.objects.values("customer").distinct().count() < 300  # repeat customers were matched


@pytest.mark.django_db
def test_the_newest_cases_are_fresh_and_unowned_so_the_queue_has_clocks_running():
    demo_load(seed=7, cases=150, now=NOW)
    fresh = Case.objects.filter(received_at__gt=NOW - timedelta(hours=1))
    assert fresh.count() >= 5
    assert set(fresh.values_list("status", flat=True)) == {Status.NEW}
    assert not fresh.filter(owner__isnull=False).exists()
    assert fresh.filter(first_response_due_at__gt=NOW).exists()


@pytest.mark.django_db
def test_web_and_email_cases_go_to_the_team_for_unrouted_complaints_and_store_visits_to_stores():
    demo_load(seed=7, cases=80, now=NOW)
    online = Team.objects.get(receives_unrouted=True)
    assert online.name == "Online Desk"
    assert not Case.objects.filter(channel__in=[Channel.WEB, Channel.EMAIL]).exclude(team=online).exists()
    assert not Case.objects.filter(channel=Channel.IN_PERSON, team=online).exists()


@pytest.mark.django_db
def test_staff_of_every_role_can_log_in_with_the_demo_password(client):
    demo_load(seed=7, cases=0, now=NOW)
    from django.contrib.auth.models import User

    roles = {role_of(User.objects.get(username=s.username)) for s in content.STAFF}
    assert roles == set(Role)
    assert len(content.STAFF) == 12
    assert client.login(username="priya", password=content.DEMO_PASSWORD)
    assert not client.login(username=content.INTEGRATION_USERNAME, password=content.DEMO_PASSWORD)


@pytest.mark.django_db
def test_the_integration_gets_a_working_api_token():
    loaded = demo_load(seed=7, cases=0, now=NOW)
    token = ApiToken.find_active(loaded.api_token)
    assert token is not None and token.user.username == content.INTEGRATION_USERNAME


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
