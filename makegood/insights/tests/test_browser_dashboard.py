"""In a real browser: a manager opens the insights from the navigation, reads first-contact
resolution on the chart, and follows a figure to the cases behind it."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.insights.rollup import figures_refresh
from makegood.insights.tests.fixtures import build_month


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_dashboard_to_the_cases_behind_a_figure(page: Page, live_server, alice, bob):
    cache.clear()
    month = build_month(alice, bob)
    figures_refresh(full=True)
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/")
    page.get_by_label("User name").fill("bob")
    page.get_by_label("Password").fill("pw-bob")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Insights")

    filters = page.get_by_test_id("insights-filters")
    filters.get_by_label("From").fill("2026-03-01")
    filters.get_by_label("To").fill("2026-03-31")
    filters.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("fcr-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("fcr-table")).to_contain_text("60%")  # one-touch: 3 of 5

    page.get_by_test_id("fcr-one-touch").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("One-touch")
    cases = page.get_by_test_id("drill-cases")
    for case in (month.a, month.e, month.f):
        expect(cases).to_contain_text(case.reference)
    expect(cases).not_to_contain_text(month.b.reference)
    cases.get_by_role("link", name=month.a.reference).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{month.a.reference}/")
