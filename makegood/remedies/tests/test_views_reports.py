"""/reports/remedies/: per employee and per team, a date filter (default: the last 30 days), each
table as CSV, a manager limited to their team, and a number of queries that does not grow."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.remedies.tests.factories import case_with_loss, ledger_row
from makegood.remedies.tests.test_reports import at, november  # noqa: F401 (a fixture)
from makegood.remedies.views.reports import TABLES

pytestmark = pytest.mark.django_db

URL = "/reports/remedies/"
NOVEMBER = {"first_day": "2026-11-01", "last_day": "2026-11-30"}
# The page: the session, the user and their permissions, the header's role and team, the team list,
# the totals, the payments' paid / pending / failed (one grouped query) and eight tables: a fixed
# number, however many grants, cases or people the period holds.
PAGE_QUERIES = 36


@pytest.fixture
def olivia(north):
    """A process owner: sees every team's cases and reports."""
    return make_staff("olivia", Role.PROCESS_OWNER, north, first_name="Olivia", last_name="Ortiz")


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_frontline_employee_may_not_see_the_reports(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv", "table": "authority"}).status_code == 403


def test_a_manager_sees_every_table_for_their_own_team_only(client, bob, november):  # noqa: F811
    client.force_login(bob)
    response = client.get(URL, NOVEMBER)
    html = response.content.decode()
    assert response.status_code == 200
    for table in TABLES:
        assert f'data-testid="report-{table.name}"' in html and table.title in html
    assert "Alice Adams" in html and "Charlie Clark" not in html and "South" not in html
    assert 'name="team"' not in html  # a manager cannot pick another team
    assert client.get(URL, {**NOVEMBER, "team": "south"}).content.decode().count("Charlie Clark") == 0


def test_a_process_owner_sees_every_team_and_may_pick_one(client, olivia, november):  # noqa: F811
    client.force_login(olivia)
    everyone = client.get(URL, NOVEMBER).content.decode()
    assert "Alice Adams" in everyone and "Charlie Clark" in everyone
    south = client.get(URL, {**NOVEMBER, "team": "south"}).content.decode()
    assert "Charlie Clark" in south and "Alice Adams" not in south


def test_the_totals_and_rates_are_shown(client, olivia, november):  # noqa: F811
    client.force_login(olivia)
    html = client.get(URL, NOVEMBER).content.decode()
    assert 'data-testid="fcr-rate">50.0%<' in html
    assert "<dt>Remedy cost</dt><dd>$154.00</dd>" in html
    assert "$120.00" in html  # Bob's approved refund, charged to his authority


def test_the_default_period_is_the_last_30_days(client, olivia, alice):
    case = case_with_loss()
    now = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("UTC"))
    ledger_row(case=case, user=alice, cost="7.00", at=now - timedelta(days=3))
    ledger_row(case=case, user=alice, cost="500.00", at=now - timedelta(days=45))
    client.force_login(olivia)
    with time_machine.travel(now, tick=False):
        response = client.get(URL)
        rows = csv_rows(client.get(URL, {"format": "csv", "table": "authority"}))
    html = response.content.decode()
    assert "From 22 Oct 2026 to 20 Nov 2026" in html
    alice_row = next(r for r in rows if r["employee"] == "Alice Adams")
    assert (alice_row["used"], alice_row["grants"]) == ("7.00", "1")


def test_bad_dates_are_refused_with_a_message_and_the_default_period(client, olivia):
    client.force_login(olivia)
    response = client.get(URL, {"first_day": "2026-11-30", "last_day": "2026-11-01"})
    assert response.status_code == 400
    assert "The first day must come before the last." in response.content.decode()
    response = client.get(URL, {"first_day": "yesterday"})
    assert response.status_code == 400 and "Enter a valid date." in response.content.decode()
    response = client.get(URL, {"first_day": "2001-01-01", "last_day": "2026-11-30"})
    assert response.status_code == 400 and "Choose at most three years." in response.content.decode()
    csv_file = client.get(
        URL, {"first_day": "2001-01-01", "last_day": "2026-11-30", "format": "csv", "table": "authority"}
    )
    assert csv_file.status_code == 400 and csv_file.content.decode() == "Choose at most three years."


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_each_table_downloads_as_csv_with_exact_money(client, olivia, november, table):  # noqa: F811
    client.force_login(olivia)
    response = client.get(URL, {**NOVEMBER, "format": "csv", "table": table})
    assert response.status_code == 200
    assert f'filename="remedies-{table}-2026-11-01-2026-11-30.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    columns = next(t for t in TABLES if t.name == table).columns
    header = response.content.decode().splitlines()[0].split(",")
    assert header[: len(columns)] == [c.key for c in columns]
    assert rows, "November has data in every table"
    for row in rows:
        for column in columns:
            if column.kind == "money" and row[column.key]:
                assert row[column.key].count(".") == 1 and len(row[column.key].split(".")[1]) == 2


def test_the_csv_is_what_the_page_shows(client, olivia, november):  # noqa: F811
    client.force_login(olivia)
    rows = csv_rows(client.get(URL, {**NOVEMBER, "format": "csv", "table": "grants_by_employee"}))
    alice = {r["remedy"]: r for r in rows if r["employee"] == "Alice Adams"}
    assert (alice["Coupon"]["grants"], alice["Coupon"]["cost"], alice["Coupon"]["currency"]) == ("3", "34.00", "USD")


def test_a_name_that_looks_like_a_formula_is_defused_in_the_csv(client, olivia, north):
    make_staff("mallory", Role.FRONTLINE, north, first_name="=HYPERLINK(1)", last_name="")
    client.force_login(olivia)
    rows = csv_rows(client.get(URL, {"format": "csv", "table": "authority"}))
    assert "'=HYPERLINK(1)" in [r["employee"] for r in rows]


def test_an_unknown_table_is_not_found(client, olivia):
    client.force_login(olivia)
    assert client.get(URL, {"format": "csv", "table": "passwords"}).status_code == 404


def test_the_page_and_a_csv_take_the_same_number_of_queries_however_much_data(
    client,
    olivia,
    alice,
    november,  # noqa: F811
):
    client.force_login(olivia)
    client.get(URL, NOVEMBER)  # warm the session and the permission caches

    def queries(**params: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {**NOVEMBER, **params}).status_code == 200
        return len(captured)

    page, csv_file = queries(), queries(format="csv", table="authority")
    more = case_with_loss(customer_email="more@example.com")
    for day in range(7, 28):
        ledger_row(case=more, user=alice, cost="1.00", at=at(day), remedy=november["coupon"])
        make_staff(f"extra{day}", Role.FRONTLINE, olivia.staff.team)
    assert (queries(), queries(format="csv", table="authority")) == (page, csv_file)
    assert page == PAGE_QUERIES
