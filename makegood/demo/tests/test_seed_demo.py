from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
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
