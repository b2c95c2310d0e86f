"""In a real browser: a process owner goes from the Pareto chart to the cause and opens a fix."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_case, make_staff
from makegood.causes.models import Cause, Failure
from makegood.causes.services import case_cause_set, taxonomy_load_defaults
from makegood.improvement.models import ImprovementAction


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_pareto_chart_to_a_new_fix(page: Page, live_server):
    cache.clear()
    taxonomy_load_defaults()  # a transactional test starts from empty tables, without the data migration's rows
    team = TeamFactory.create(name="Front Desk", receives_unrouted=True)
    erin = make_staff("erin", Role.FRONTLINE, team)
    make_staff("olga", Role.PROCESS_OWNER, team, first_name="Olga", last_name="Owens")
    courier = Cause.objects.get(name="Courier lost or damaged the delivery")
    for _ in range(3):
        case = case_take_ownership(case=make_case(story="Parcel lost."), user=erin)
        case_cause_set(case=case, user=erin, cause=courier, failure=Failure.SYSTEM)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/improvement/")
    page.get_by_label("User name").fill("olga")
    page.get_by_label("Password").fill("pw-olga")
    page.get_by_role("button", name="Log in").click()

    chart = page.get_by_test_id("pareto-chart")
    expect(chart.locator("svg")).to_be_visible()
    chart.locator("a.chart__link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Courier lost or damaged the delivery")

    form = page.get_by_test_id("new-fix")
    form.get_by_label("What will change").fill("Photograph every delivery")
    form.get_by_label("Expected fall in complaints of this cause (%)").fill("40")
    form.get_by_text("Link recurring cases (3)").click()
    form.get_by_role("checkbox").first.check()
    form.get_by_role("button", name="Open the fix").click()
    expect(page.get_by_test_id("action-state")).to_have_text("Open")
    action = ImprovementAction.objects.get()
    assert (action.title, action.cause, action.expected_reduction, action.cases.count()) == (
        "Photograph every delivery",
        courier,
        40,
        1,
    )
