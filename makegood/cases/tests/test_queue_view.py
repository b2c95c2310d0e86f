"""The queue at /queue/ (and its polled rows at /queue/rows/): order, clocks, ownership, visibility."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Customer
from makegood.cases.queue import format_span
from makegood.cases.services import case_record_response, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db

T0 = "2026-11-02 10:00:00+00:00"


def refs_in(html: str) -> list[str]:
    return re.findall(r'data-reference="(MG-\d{4}-\d+)"', html)


def test_the_home_page_leads_to_the_queue(client, alice):
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/queue/"


def test_the_queue_needs_a_login(client, north):
    make_case()
    for url in ("/queue/", "/queue/rows/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_queue_shows_open_cases_of_the_team_awaiting_first_by_time_left(client, alice, bob, south):
    with time_machine.travel(T0, tick=False):
        web_early = make_case(channel="web", customer_email="w1@example.com")  # due 11:00
    with time_machine.travel("2026-11-02 10:20:00+00:00", tick=False):
        owned_waiting = make_case(channel="phone", customer_email="ow@example.com")  # due 10:21, owned, unanswered
        case_take_ownership(case=owned_waiting, user=bob)
    with time_machine.travel("2026-11-02 10:30:00+00:00", tick=False):
        phone = make_case(channel="phone", customer_email="p@example.com")  # due 10:31
        answered = make_case(channel="phone", customer_email="a@example.com")  # due 10:31, answered
        case_take_ownership(case=answered, user=bob)
        case_record_response(case=answered, user=bob, kind=EventKind.CONTACT, body="Called back.")
        done = make_case(channel="chat", customer_email="d@example.com")
        case_take_ownership(case=done, user=bob)
        case_resolve(case=done, user=bob, resolution="Refunded.")
        elsewhere = make_case(channel="chat", customer_email="s@example.com", team=south)
    with time_machine.travel("2026-11-02 10:40:00+00:00", tick=False):
        web_late = make_case(channel="web", customer_email="w2@example.com")  # due 11:40
    with time_machine.travel("2026-11-02 10:45:00+00:00", tick=False):
        client.force_login(alice)
        response = client.get("/queue/")
    html = response.content.decode()
    assert response.status_code == 200
    assert refs_in(html) == [
        owned_waiting.reference,
        phone.reference,
        web_early.reference,
        web_late.reference,
        answered.reference,
    ]
    assert done.reference not in html and elsewhere.reference not in html
    assert "5 open cases." in html


def test_each_row_shows_reference_channel_customer_story_and_owner(client, alice, bob):
    case = make_case(channel="web", customer_name="Dana Whitfield", story="The sofa arrived " + "torn " * 100)
    owned = make_case(channel="chat", customer_email="o@example.com", customer_name="Owen")
    case_take_ownership(case=owned, user=bob)
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert f'href="/cases/{case.reference}/"' in html
    assert "Web form" in html and "Chat" in html
    assert "Dana Whitfield" in html
    assert "The sofa arrived torn" in html and "torn " * 60 not in html  # only the first words
    assert "Bob Brown" in html
    assert f'action="/cases/{case.reference}/take/"' in html
    assert f'action="/cases/{owned.reference}/take/"' not in html


def test_a_running_clock_carries_its_due_time_and_the_server_time_for_the_browser(client, alice):
    with time_machine.travel(T0, tick=False):
        case = make_case(channel="web")
    with time_machine.travel("2026-11-02 10:55:28+00:00", tick=False):
        client.force_login(alice)
        html = client.get("/queue/").content.decode()
    assert 'data-server-now="2026-11-02T10:55:28+00:00"' in html
    assert f'data-due="{case.first_response_due_at.isoformat()}"' in html
    assert ">4:32 left<" in html
    assert 'role="timer"' in html


def test_breached_cases_are_highlighted_in_colour_and_in_words(client, alice):
    with time_machine.travel(T0, tick=False):
        late = make_case(channel="phone", customer_email="late@example.com")
        make_case(channel="web", customer_email="fine@example.com")
    with time_machine.travel("2026-11-02 10:13:05+00:00", tick=False):
        client.force_login(alice)
        html = client.get("/queue/").content.decode()
    rows = re.findall(r'<tr class="queue__row( is-breached)?"[^>]*data-reference="([^"]+)"', html)
    assert rows[0] == (" is-breached", late.reference)
    assert rows[1][0] == ""
    assert ">12:05 overdue<" in html
    assert "clock--breached" in html


def test_a_responded_case_says_so_instead_of_counting(client, alice):
    case = make_case(channel="phone")
    case_take_ownership(case=case, user=alice)
    case_record_response(case=case, user=alice, kind=EventKind.CONTACT, body="Spoke to them.")
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert ">responded<" in html
    assert "data-due=" not in html


def test_the_clock_text_matches_the_browsers_format():
    assert format_span(timedelta(minutes=4, seconds=32)) == "4:32"
    assert format_span(timedelta(seconds=-725)) == "12:05"
    assert format_span(timedelta(hours=1, minutes=2, seconds=5)) == "1:02:05"
    assert format_span(timedelta(days=3, hours=4, minutes=59)) == "3d 4h"


def test_the_rows_refresh_themselves_through_htmx_polling(client, alice):
    make_case()
    client.force_login(alice)
    page = client.get("/queue/").content.decode()
    assert 'hx-get="/queue/rows/"' in page
    assert 'hx-trigger="every 10s"' in page
    assert "htmx-2.min.js" in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    rows = client.get("/queue/rows/", headers={"HX-Request": "true"})
    html = rows.content.decode()
    assert rows.status_code == 200
    assert html.lstrip().startswith("<section")
    assert "<html" not in html
    assert len(refs_in(html)) == 1


def test_a_new_case_appears_at_the_next_poll(client, alice):
    client.force_login(alice)
    assert refs_in(client.get("/queue/rows/").content.decode()) == []
    case = make_case()
    assert refs_in(client.get("/queue/rows/").content.decode()) == [case.reference]


def test_taking_ownership_from_the_queue_with_htmx_answers_with_the_refreshed_queue(client, alice):
    case = make_case()
    client.force_login(alice)
    response = client.post(
        f"/cases/{case.reference}/take/", {"from": "queue", "team": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section")
    assert f"You own {case.reference} now." in html
    assert "<strong>You</strong>" in html
    case.refresh_from_db()
    assert case.owner == alice
    assert case.events.filter(kind=EventKind.OWNERSHIP_TAKEN, actor=alice, body="I am taking ownership.").exists()


def test_taking_ownership_without_javascript_returns_to_the_queue(client, alice):
    case = make_case()
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/take/", {"from": "queue"})
    assert response.status_code == 302
    assert response["Location"] == "/queue/"
    page = client.get("/queue/").content.decode()
    assert f"You own {case.reference} now." in page
    other = make_case(customer_email="other@example.com")
    response = client.post(f"/cases/{other.reference}/take/", {"from": "queue", "team": "north"})
    assert response["Location"] == "/queue/?team=north"


def test_taking_a_case_someone_else_owns_shows_a_message_not_an_error(client, alice, bob):
    case = make_case()
    case_take_ownership(case=case, user=bob)
    client.force_login(alice)
    response = client.post(f"/cases/{case.reference}/take/", {"from": "queue"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Bob Brown already owns this case." in response.content.decode()
    case.refresh_from_db()
    assert case.owner == bob


def test_taking_ownership_needs_a_post_with_a_csrf_token(client, alice):
    case = make_case()
    client.force_login(alice)
    assert client.get(f"/cases/{case.reference}/take/").status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(f"/cases/{case.reference}/take/").status_code == 403
    case.refresh_from_db()
    assert case.owner is None


def test_charlie_sees_nothing_of_norths_queue_even_when_he_asks_for_it(client, alice, charlie, north):
    case = make_case(story="North's private trouble")
    client.force_login(charlie)
    for url in ("/queue/", "/queue/?team=north", "/queue/rows/?team=north"):
        html = client.get(url).content.decode()
        assert case.reference not in html
        assert "North&#x27;s private trouble" not in html
    assert client.post(f"/cases/{case.reference}/take/", {"from": "queue"}).status_code == 404
    case.refresh_from_db()
    assert case.owner is None


def test_an_administrator_can_switch_to_another_teams_queue(client, north, south):
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    south_case = make_case(team=south, customer_email="s@example.com")
    north_case = make_case(customer_email="n@example.com")
    client.force_login(admin)
    default = client.get("/queue/").content.decode()
    assert refs_in(default) == [north_case.reference]
    assert '<select name="team"' in default
    switched = client.get("/queue/?team=south").content.decode()
    assert refs_in(switched) == [south_case.reference]
    assert 'hx-get="/queue/rows/?team=south"' in switched


def test_a_frontline_employee_gets_no_team_switch(client, alice):
    client.force_login(alice)
    assert '<select name="team"' not in client.get("/queue/").content.decode()


def test_story_text_in_the_queue_is_escaped(client, alice):
    make_case(story="<script>alert('x')</script> broken", customer_name="<b>Bold</b>")
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<b>Bold</b>" not in html


def _bulk_cases(team, count, *, start=None):
    customer, _ = Customer.objects.get_or_create(email="bulk@example.com", defaults={"name": "Bulk Customer"})
    start = start or timezone.now()
    Case.objects.bulk_create(
        Case(
            customer=customer,
            channel="web",
            team=team,
            story=f"Complaint number {i}",
            received_at=start,
            acknowledged_at=start,
            first_response_due_at=start + timedelta(minutes=i),
        )
        for i in range(count)
    )


def test_at_most_a_hundred_rows_are_shown_with_the_total(client, alice, north):
    _bulk_cases(north, 130)
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert len(refs_in(html)) == 100
    assert "Showing the 100 most urgent of 130 open cases." in html


def test_a_huge_backlog_is_counted_only_up_to_a_cap(client, alice, north, monkeypatch):
    monkeypatch.setattr("makegood.cases.queue.COUNT_CAP", 120)
    _bulk_cases(north, 130)
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert "Showing the 100 most urgent of 120 or more open cases." in html


def test_the_queue_takes_the_same_few_queries_for_five_cases_or_a_hundred(
    client, alice, bob, north, django_assert_max_num_queries, django_assert_num_queries
):
    _bulk_cases(north, 5)
    for case in Case.objects.all()[:3]:
        case_take_ownership(case=case, user=bob)
    client.force_login(alice)
    client.get("/queue/")  # warm the session and the permission caches of a normal request

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/queue/rows/")
    _bulk_cases(north, 150)
    # Never more (fewer, once the first steps of the order fill the page).
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/queue/rows/")
    assert len(refs_in(response.content.decode())) == 100
    # Session, user, 2 permission look-ups, profile, team, the order's steps (high priority; time
    # left, new and opened: the page is full), the rows picked and the total, the views' counts (one
    # query for them all), the person's and their team's unread notifications (one query each), role
    # (page header).
    with django_assert_num_queries(15):
        client.get("/queue/")


def test_the_queue_orders_ids_in_a_few_limited_slices_then_reads_the_rows_once(client, alice, bob, north):
    _bulk_cases(north, 20)
    for case in Case.objects.all()[:5]:
        case_take_ownership(case=case, user=bob)
    client.force_login(alice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/queue/rows/")
    case_queries = [
        q["sql"] for q in ctx.captured_queries if 'FROM "cases_case"' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    steps = [sql for sql in case_queries if "ORDER BY" in sql]
    rows = [sql for sql in case_queries if "ORDER BY" not in sql]
    # At most one per step of the order (high priority; time left, new and opened; long
    # breached, new and opened; answered, high priority and all), each a limited slice of ids and
    # due times, with nothing joined.
    assert 1 <= len(steps) <= 7
    for sql in steps:
        assert re.search(r"LIMIT \d+", sql)
        assert sql.split(" FROM ")[0].count('"cases_case".') == 2 and " JOIN " not in sql
    # Then the rows picked, once, with the customer and owner joined and the story only cut short.
    (sql,) = rows
    assert '"cases_customer"' in sql and '"auth_user"' in sql
    columns = sql.split(" FROM ")[0]
    cut = len(re.findall(r'SUBSTR(?:ING)?\("cases_case"\."story"', columns))
    assert columns.count('"cases_case"."story"') == cut == 1


def test_the_login_page_helps_password_managers_and_explains_a_failed_login(client, alice):
    html = client.get("/accounts/login/").content.decode()
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    failed = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert "did not match" in failed.content.decode()
    ok = client.post("/accounts/login/", {"username": "alice", "password": "pw-alice"})
    assert ok["Location"] == "/queue/"


def test_logging_out_is_a_post_form_in_the_header(client, alice):
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"', html)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/queue/").status_code == 302


def test_error_pages_render_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_a_process_owner_sees_the_queue_without_take_buttons(client, north):
    case = make_case()
    client.force_login(make_staff("pat", Role.PROCESS_OWNER, north))
    html = client.get("/queue/").content.decode()
    assert case.reference in html
    assert f'action="/cases/{case.reference}/take/"' not in html


def test_a_customers_second_failure_is_flagged_in_the_queue(client, alice):
    from makegood.cases.tests.factories import make_case

    make_case(customer_email="repeat@example.com")
    make_case(customer_email="repeat@example.com")
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    assert html.count("second failure") == 1
