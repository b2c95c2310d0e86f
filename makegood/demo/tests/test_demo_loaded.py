"""The demo as `demo_load` leaves it (300 cases, seed 7): loaded once for these tests, each of
which reads it in a savepoint that is rolled back (`module_transaction` in conftest.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db.models import F

from makegood.accounts.models import ApiToken, Role, Team
from makegood.accounts.roles import role_of
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, CaseEvent, Channel, Status
from makegood.demo import content
from makegood.demo.builders import demo_plan
from makegood.demo.services import DemoLoaded, demo_load

NOW = datetime(2026, 3, 15, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def loaded(module_transaction) -> DemoLoaded:
    return demo_load(seed=7, cases=300, now=NOW)


@pytest.mark.django_db
def test_seeding_loads_the_plan_through_the_services_with_consistent_timelines(loaded):
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
def test_the_newest_cases_are_fresh_and_unowned_so_the_queue_has_clocks_running(loaded):
    fresh = Case.objects.filter(received_at__gt=NOW - timedelta(hours=1))
    assert fresh.count() >= 5
    assert set(fresh.values_list("status", flat=True)) == {Status.NEW}
    assert not fresh.filter(owner__isnull=False).exists()
    assert fresh.filter(first_response_due_at__gt=NOW).exists()


@pytest.mark.django_db
def test_web_and_email_cases_go_to_the_team_for_unrouted_complaints_and_store_visits_to_stores(loaded):
    online = Team.objects.get(receives_unrouted=True)
    assert online.name == "Online Desk"
    # Unless the desk handed a complaint about a store's workshop or counter on to that store.
    handed_on = CaseEvent.objects.filter(kind=EventKind.TRANSFER_ASKED).values("case")
    written = Case.objects.filter(channel__in=[Channel.WEB, Channel.EMAIL]).exclude(pk__in=handed_on)
    assert written.exists() and not written.exclude(team=online).exists()
    assert not Case.objects.filter(channel=Channel.IN_PERSON, team=online).exists()


@pytest.mark.django_db
def test_staff_of_every_role_can_log_in_with_the_demo_password(loaded, client):
    roles = {role_of(User.objects.get(username=s.username)) for s in content.STAFF}
    assert roles == set(Role)
    assert len(content.STAFF) == 12
    assert client.login(username="priya", password=content.DEMO_PASSWORD)
    assert not client.login(username=content.INTEGRATION_USERNAME, password=content.DEMO_PASSWORD)


@pytest.mark.django_db
def test_the_integration_gets_a_working_api_token(loaded):
    token = ApiToken.find_active(loaded.api_token)
    assert token is not None and token.user.username == content.INTEGRATION_USERNAME
