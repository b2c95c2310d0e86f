"""The dashboard, its drill-downs and CSVs, and `GET /api/v1/insights/kpis`: same figures, same scope."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.tests.factories import make_staff
from makegood.insights.rollup import figures_refresh
from makegood.insights.tables import TABLES
from makegood.insights.tests.fixtures import FIRST_DAY, LAST_DAY, build_month

pytestmark = pytest.mark.django_db
PERIOD = {"first_day": FIRST_DAY.isoformat(), "last_day": LAST_DAY.isoformat()}


@pytest.fixture
def month(alice, bob):
    built = build_month(alice, bob)
    figures_refresh(full=True)
    return built


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def test_the_manager_sees_the_dashboard_with_links_to_the_cases_behind_each_figure(month, bob):
    response = signed_in(bob).get("/insights/", PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="fcr-chart"' in body and "<svg" in body and "goal 95%" in body
    assert "figure=one_touch" in body and "figure=within_target" in body and "figure=reopened_30" in body
    assert ">Insights</a>" in body  # in the navigation for managers


def test_the_drill_down_lists_exactly_the_cases_behind_a_figure(month, bob):
    response = signed_in(bob).get("/insights/cases/", {**PERIOD, "figure": "one_touch"})
    body = response.content.decode()
    assert response.status_code == 200
    for case in (month.a, month.e, month.f):
        assert case.reference in body
    for case in (month.b, month.c, month.d):
        assert case.reference not in body


def test_the_drill_down_downloads_as_csv(month, bob):
    response = signed_in(bob).get("/insights/cases.csv", {**PERIOD, "figure": "reopened_30"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "reference" and [r[0] for r in rows[1:]] == [month.b.reference]


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_downloads_as_csv(month, bob, table):
    response = signed_in(bob).get(f"/insights/{table}.csv", PERIOD)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(response.content.decode())))) >= 2


def test_the_summary_csv_holds_the_dashboard_figures(month, bob):
    rows = list(csv.reader(io.StringIO(signed_in(bob).get("/insights/summary.csv", PERIOD).content.decode())))
    by_name = {r[0]: r[1:] for r in rows}
    assert by_name["first-contact resolution: one-touch"] == ["3", "0.6"]


def test_bad_filters_are_a_400_not_a_500(bob):
    client = signed_in(bob)
    assert client.get("/insights/", {"first_day": "2026-13-45"}).status_code == 400
    assert client.get("/insights/", {"first_day": "2020-01-01", "last_day": "2026-01-01"}).status_code == 400
    assert client.get("/insights/cases/", {"figure": "nonsense"}).status_code == 400
    assert client.get("/insights/cases/", {"resolver": "x"}).status_code == 400
    assert client.get("/insights/nonsense.csv").status_code == 404


def test_frontline_staff_see_only_the_cases_they_own(month, alice):
    body = signed_in(alice).get("/insights/cases/", PERIOD).content.decode()
    assert month.a.reference in body and month.c.reference not in body  # C ended up Bob's
    assert ">Insights</a>" not in signed_in(alice).get("/queue/").content.decode()


def test_a_manager_of_another_team_sees_nothing_of_this_one(month, south):
    other = make_staff("olga", Role.MANAGER, south)
    client = signed_in(other)
    body = client.get("/insights/cases/", {**PERIOD, "team": month.a.team.slug}).content.decode()
    assert month.a.reference not in body
    assert api(other).get("/api/v1/insights/kpis", {**PERIOD, "team": month.a.team.slug}).json()["kpis"]["cases"] == 0


def test_someone_without_a_role_gets_nothing(month):
    nobody = User.objects.create_user("nobody", password="x")
    assert signed_in(nobody).get("/insights/").status_code == 403
    assert signed_in(nobody).get("/insights/cases/").status_code == 403
    assert signed_in(nobody).get("/insights/summary.csv").status_code == 403
    assert api(nobody).get("/api/v1/insights/kpis").status_code == 403


def test_the_api_returns_the_same_figures_with_the_same_filters(month, bob):
    response = api(bob).get("/api/v1/insights/kpis", {**PERIOD, "channel": "web"})
    assert response.status_code == 200
    data = response.json()
    assert data["scope"]["level"] == "team"
    kpis = data["kpis"]
    assert kpis["cases"] == 3  # A, B, D
    assert kpis["response_overall"]["within_target"] == 1
    assert kpis["compensation"]["cost"] == "30.00"


def test_the_api_refuses_bad_filters_with_a_422(bob):
    response = api(bob).get("/api/v1/insights/kpis", {"channel": "fax"})
    assert response.status_code == 422


def test_process_owners_see_every_team_and_may_choose_one(month, south):
    owner = make_staff("pat", Role.PROCESS_OWNER, south)
    data = api(owner).get("/api/v1/insights/kpis", PERIOD).json()
    assert (data["scope"]["level"], data["kpis"]["cases"]) == ("all", 6)
    chosen = api(owner).get("/api/v1/insights/kpis", {**PERIOD, "team": south.slug}).json()
    assert chosen["kpis"]["cases"] == 0
