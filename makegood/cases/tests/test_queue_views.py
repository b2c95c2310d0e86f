"""The queue's views (mine, unassigned, breached, reopened, waiting on a manager, by channel, by
feeling) with their counts, the notification drawer, and bulk assignment."""

import re

import pytest
import time_machine

from makegood.cases.assignment import case_assign
from makegood.cases.models import Case, Notification, Priority
from makegood.cases.services import CaseActionError, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db


def refs_in(html: str) -> list[str]:
    return re.findall(r'data-reference="(MG-\d{4}-\d+)"', html)


def count_of(html: str, view: str) -> int:
    match = re.search(rf'data-view="{view}"[^>]*>[^<]*<span class="count-badge">(\d+)</span>', html)
    assert match, view
    return int(match.group(1))


@pytest.fixture
def board(alice, bob, north, south):
    with time_machine.travel("2026-11-02 09:00+00:00", tick=False):
        old = make_case(channel="web", customer_email="old@example.com")  # breached by 10:00
    with time_machine.travel("2026-11-02 11:50+00:00", tick=False):
        mine = make_case(channel="phone", customer_email="mine@example.com", customer_name="Mo")
        reopened = make_case(channel="web", customer_email="re@example.com")
        fresh = make_case(channel="web", customer_email="fresh@example.com")
        make_case(channel="web", customer_email="south@example.com", team=south)
    case_take_ownership(case=mine, user=alice)
    Case.objects.filter(pk=reopened.pk).update(reopen_count=1, priority=Priority.HIGH)
    Case.objects.filter(pk=fresh.pk).update(detected_feeling="angry")
    return {"old": old, "mine": mine, "reopened": reopened, "fresh": fresh}


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("mine", ["mine"]),
        ("unassigned", ["reopened", "fresh", "old"]),
        ("breached", ["mine", "old"]),  # mine: a phone case unanswered for 9 minutes
        ("reopened", ["reopened"]),
        ("channel-phone", ["mine"]),
        ("feeling-angry", ["fresh"]),
    ],
)
def test_each_view_shows_its_cases_in_the_queues_order_with_its_count(client, alice, board, view, expected):
    client.force_login(alice)
    with time_machine.travel("2026-11-02 12:00+00:00", tick=False):
        html = client.get("/queue/", {"view": view}).content.decode()
        rows = client.get("/queue/rows/", {"view": view}).content.decode()
    assert refs_in(html) == [board[name].reference for name in expected]
    assert refs_in(rows) == refs_in(html)  # the poll keeps the view
    assert count_of(html, view) == len(expected)
    assert f"view={view}" in html


def test_an_unknown_view_shows_the_whole_queue(client, alice, board):
    client.force_login(alice)
    with time_machine.travel("2026-11-02 12:00+00:00", tick=False):
        html = client.get("/queue/", {"view": "nonsense<script>"}).content.decode()
    assert len(refs_in(html)) == 4 and "nonsense<script>" not in html


def test_waiting_on_a_manager_shows_cases_with_an_undecided_escalation(client, alice, bob, board):
    from makegood.remedies.models import Escalation

    client.force_login(alice)
    assert count_of(client.get("/queue/").content.decode(), "waiting") == 0
    # The row as remedies' escalation_open writes it (that service is tested in remedies).
    Escalation.objects.create(case=board["mine"], raised_by=alice, currency="USD", demand_amount="50")
    Escalation.objects.create(case=board["old"], raised_by=alice, currency="USD", status="approved", decided_by=bob)
    html = client.get("/queue/", {"view": "waiting"}).content.decode()
    assert refs_in(html) == [board["mine"].reference] and count_of(html, "waiting") == 1


def test_charlie_sees_no_counts_of_another_team(client, charlie, board, north):
    client.force_login(charlie)
    html = client.get("/queue/", {"team": north.slug, "view": "unassigned"}).content.decode()
    assert refs_in(html) == [] and board["old"].reference not in html


def test_notifications_collapse_into_a_drawer_with_their_count(client, alice, board):
    for n in range(3):
        Notification.objects.create(case=board["mine"], kind="reopened", user=alice, message=f"Notice {n}")
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert '<details class="notices" id="notices"' in html
    assert re.search(r'data-testid="notices-count">3<', html)


def test_a_manager_assigns_ticked_cases_to_a_team_member_who_is_told(client, alice, bob, board):
    client.force_login(bob)
    html = client.get("/queue/").content.decode()
    assert 'id="bulk-assign"' in html and f'value="{alice.pk}"' in html
    response = client.post(
        "/queue/assign/",
        {"case": [board["old"].reference, board["fresh"].reference], "assignee": alice.pk, "view": "unassigned"},
    )
    assert response.status_code == 302 and response["Location"] == "/queue/?view=unassigned"
    for name in ("old", "fresh"):
        case = Case.objects.get(pk=board[name].pk)
        assert case.owner == alice and case.status == "open"
        assert case.events.filter(kind="assigned", actor=bob).exists()
    assert Notification.objects.filter(user=alice, kind="assigned").count() == 2


def test_a_frontline_employee_cannot_bulk_assign(client, alice, bob, board):
    client.force_login(alice)
    assert 'id="bulk-assign"' not in client.get("/queue/").content.decode()
    response = client.post("/queue/assign/", {"case": [board["old"].reference], "assignee": bob.pk})
    assert response.status_code == 403 and Case.objects.get(pk=board["old"].pk).owner is None


def test_charlie_cannot_assign_anothers_teams_cases_even_as_a_manager(client, board, south):
    from makegood.accounts.models import Role

    manager = make_staff("sven", Role.MANAGER, south)
    client.force_login(manager)
    client.post("/queue/assign/", {"case": [board["old"].reference], "assignee": manager.pk})
    assert Case.objects.get(pk=board["old"].pk).owner is None


def test_nobody_is_given_a_case_they_could_not_see(board, bob, charlie):
    with pytest.raises(CaseActionError):
        case_assign(case=board["old"], assignee=charlie, by=bob)
    assert Case.objects.get(pk=board["old"].pk).owner is None


def test_bad_assignees_are_refused_with_a_message_not_an_error(client, bob, board):
    client.force_login(bob)
    for assignee in ("", "x", "99999999", "1" * 30):
        response = client.post("/queue/assign/", {"case": [board["old"].reference], "assignee": assignee})
        assert response.status_code == 302
    assert Case.objects.get(pk=board["old"].pk).owner is None
