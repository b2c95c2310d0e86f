"""Notifications at the top of the queue (reopened cases, clock alerts and breaches, calls due),
marking them read, and the priority, reopen and breach marks on the rows and the case page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from makegood.cases.breaches import clock_sweep
from makegood.cases.models import Notification
from makegood.cases.services import case_reopen, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def notice_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-notification="(\d+)"', html)]


def notify(case, *, user=None, team=None, kind=Notification.Kind.CLOCK_ALERT, message="", **extra):
    return Notification.objects.create(
        case=case, kind=kind, user=user, team=team, message=message or f"{case.reference}: look", **extra
    )


def test_the_queue_shows_my_and_my_teams_unread_notifications_each_linking_to_its_case(client, alice, bob, north):
    case = make_case()
    mine = notify(case, user=alice, kind=Notification.Kind.REOPENED, message="Reopened: the refund never came")
    teams = notify(case, team=north, kind=Notification.Kind.CLOCK_BREACHED)
    notify(case, user=bob, message="Bob's own")
    notify(case, user=alice, read_at=timezone.now(), message="Already read")
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert set(notice_ids(html)) == {mine.pk, teams.pk}
    assert "Reopened: the refund never came" in html
    assert "Bob&#x27;s own" not in html and "Already read" not in html
    assert f'href="/cases/{case.reference}/"' in html
    assert "Case reopened" in html and "Clock ran out" in html
    assert "To the team" in html


def test_notifications_come_newest_first_and_only_a_few_of_them(client, alice):
    case = make_case()
    created = [notify(case, user=alice, created_at=T0 + timedelta(minutes=i)) for i in range(12)]
    client.force_login(alice)
    shown = notice_ids(client.get("/queue/rows/").content.decode())
    assert shown == [n.pk for n in reversed(created)][:8]


def test_new_notifications_appear_at_the_next_poll(client, alice, north):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
    client.force_login(alice)
    assert notice_ids(client.get("/queue/rows/").content.decode()) == []
    clock_sweep(now=T0 + timedelta(seconds=40))
    html = client.get("/queue/rows/").content.decode()
    assert notice_ids(html) == [Notification.objects.get().pk]
    assert f"{case.reference}: 0:20 left" in html


def test_marking_a_notification_read_with_htmx_answers_with_the_refreshed_queue(client, alice):
    case = make_case()
    notification = notify(case, user=alice)
    client.force_login(alice)
    response = client.post(
        f"/notifications/{notification.pk}/read/", {"from": "queue", "team": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section")
    assert notice_ids(html) == []
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_a_notification_read_without_javascript_returns_to_the_same_queue(client, north, south):
    from makegood.accounts.models import Role

    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    notification = notify(make_case(), user=admin)
    client.force_login(admin)
    response = client.post(f"/notifications/{notification.pk}/read/", {"from": "queue", "team": "south"})
    assert response.status_code == 302
    assert response["Location"] == "/queue/?team=south"


def test_a_team_notification_read_by_one_member_is_read_for_the_team(client, alice, bob, north):
    notification = notify(make_case(), team=north)
    client.force_login(bob)
    client.post(f"/notifications/{notification.pk}/read/")
    client.force_login(alice)
    assert notice_ids(client.get("/queue/").content.decode()) == []


def test_reading_a_notification_twice_keeps_the_first_time(client, alice):
    notification = notify(make_case(), user=alice)
    client.force_login(alice)
    with time_machine.travel(T0, tick=False):
        client.post(f"/notifications/{notification.pk}/read/")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert client.post(f"/notifications/{notification.pk}/read/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at == T0


def test_mark_all_as_read_marks_only_mine_and_my_teams(client, alice, bob, north, south):
    case = make_case()
    mine, teams = notify(case, user=alice), notify(case, team=north)
    bobs, souths = notify(case, user=bob), notify(case, team=south)
    client.force_login(alice)
    assert client.post("/notifications/read/").status_code == 302
    read = set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    assert read == {mine.pk, teams.pk}
    assert bobs.pk not in read and souths.pk not in read


def test_marking_read_needs_a_post_with_a_csrf_token(client, alice):
    notification = notify(make_case(), user=alice)
    client.force_login(alice)
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(f"/notifications/{notification.pk}/read/").status_code == 403
    assert strict.post("/notifications/read/").status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_charlie_neither_sees_nor_marks_norths_or_alices_notifications(client, alice, charlie, north):
    case = make_case(story="North's private trouble")
    teams = notify(case, team=north, message=f"{case.reference}: North's secret")
    alices = notify(case, user=alice, message=f"{case.reference}: Alice's secret")
    client.force_login(charlie)
    for url in ("/queue/", "/queue/rows/", "/queue/?team=north"):
        html = client.get(url).content.decode()
        assert notice_ids(html) == []
        assert "secret" not in html
    for notification in (teams, alices):
        assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    client.post("/notifications/read/")
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_the_queue_costs_the_same_queries_with_one_notification_or_many(client, alice, north):
    case = make_case()
    notify(case, user=alice)
    client.force_login(alice)
    client.get("/queue/rows/")
    with CaptureQueriesContext(connection) as few:
        client.get("/queue/rows/")
    for i in range(30):
        notify(case, user=alice if i % 2 else None, team=None if i % 2 else north)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/queue/rows/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(notice_ids(html)) == 8
    notification_sql = [q["sql"] for q in many.captured_queries if 'FROM "cases_notification"' in q["sql"]]
    assert len(notification_sql) == 2  # the person's, the team's
    assert all(sql.endswith("LIMIT 8") for sql in notification_sql)


# Marks on the rows and the case page -----------------------------------------------------------


def _reopened_twice(owner):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="phone")
        case_take_ownership(case=case, user=owner)
        for reason in ("Still broken.", "Broken again."):
            case_resolve(case=case, user=owner, resolution="Fixed.")
            case = case_reopen(case=case, reason=reason)
    return case


def test_a_reopened_case_is_marked_high_priority_and_reopened_in_the_queue(client, alice):
    reopened = _reopened_twice(alice)
    plain = make_case(customer_email="plain@example.com")
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    rows = {
        ref: classes for classes, ref in re.findall(r'<tr class="queue__row([^"]*)"[^>]*data-reference="([^"]+)"', html)
    }
    assert "is-high-priority" in rows[reopened.reference]
    assert "is-high-priority" not in rows[plain.reference]
    assert html.count("High priority") == 1
    assert "Reopened \N{MULTIPLICATION SIGN}2" in html
    # The reopens themselves reached the owner's notices.
    assert "was reopened (second time): Broken again." in html


def test_a_row_whose_breach_is_recorded_is_marked(client, alice):
    with time_machine.travel(T0, tick=False):
        late = make_case(channel="phone", customer_email="late@example.com")
        make_case(channel="web", customer_email="fine@example.com")
    clock_sweep(now=T0 + timedelta(minutes=2))
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        client.force_login(alice)
        html = client.get("/queue/").content.decode()
    marked = re.findall(r'<tr class="queue__row[^"]*is-breach-recorded[^"]*"[^>]*data-reference="([^"]+)"', html)
    assert marked == [late.reference]
    assert html.count(">target missed<") == 1


def test_the_case_page_shows_the_recorded_breach_and_the_priority(client, alice):
    case = _reopened_twice(alice)
    clock_sweep(now=T0 + timedelta(minutes=5))
    client.force_login(alice)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="case-breach"' in html and "breach recorded" in html
    assert 'data-testid="case-priority"' in html and "Reopened \N{MULTIPLICATION SIGN}2" in html
    assert "First-response target missed" in html  # on the timeline
    calm = make_case(customer_email="calm@example.com")
    other = client.get(f"/cases/{calm.reference}/").content.decode()
    assert 'data-testid="case-breach"' not in other and 'data-testid="case-priority"' not in other


def test_the_newest_unread_notifications_are_read_off_their_indexes_without_sorting(alice, north):
    from django.db import transaction

    unread = Notification.objects.filter(read_at__isnull=True).order_by("-created_at", "-pk")
    for queryset, index in (
        (unread.filter(user_id=alice.pk)[:8], "notification_user_unread_idx"),
        (unread.filter(team_id=north.pk)[:8], "notification_team_unread_idx"),
    ):
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny
                plan = queryset.explain()
            assert "Sort" not in plan
        else:
            plan = queryset.explain()
            assert "TEMP B-TREE" not in plan
        assert index in plan
