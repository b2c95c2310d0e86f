"""Search in a real browser: the box in the top bar finds a case by a word of its story and by
its reference, and opens it."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role, Team
from makegood.cases.tests.factories import make_case, make_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_top_bar_search_finds_a_case_and_a_reference_opens_it(page: Page, live_server):
    cache.clear()
    team = Team.objects.create(name="Front Desk", slug="front-desk", receives_unrouted=True)
    make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    case = make_case(customer_name="Dana Whitfield", story="The sofa arrived with a torn cushion.", team=team)
    make_case(customer_name="Sam Other", customer_email="sam@example.com", story="A late parcel.", team=team)
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(30_000)  # the live server's first page, on a busy machine
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("erin")
    page.get_by_label("Password").fill("pw-erin")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()

    search_box = page.get_by_role("searchbox", name="Search cases")
    search_box.fill("cushion")
    search_box.press("Enter")
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text(case.reference)
    expect(results).not_to_contain_text("Sam Other")
    results.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=case.reference)).to_be_visible()

    page.get_by_role("searchbox", name="Search cases").fill(case.reference.lower())
    page.get_by_role("searchbox", name="Search cases").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/cases/{case.reference}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_slash_puts_the_cursor_in_the_search_box_and_a_typed_reference_opens_the_case(page: Page, live_server):
    """Two keystrokes to any case: "/" from anywhere, then the reference (and Enter)."""
    cache.clear()
    team = Team.objects.create(name="Front Desk", slug="front-desk", receives_unrouted=True)
    make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    case = make_case(customer_name="Dana Whitfield", story="The sofa arrived with a torn cushion.", team=team)
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(30_000)  # the live server's first page, on a busy machine
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("erin")
    page.get_by_label("Password").fill("pw-erin")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    page.wait_for_load_state()  # the heading shows before the page's scripts (which bind "/") have run

    search_box = page.get_by_role("searchbox", name="Search cases")
    expect(search_box).not_to_be_focused()
    page.keyboard.press("/")
    expect(search_box).to_be_focused()
    expect(search_box).to_have_value("")  # the slash moved the cursor; it typed nothing
    page.keyboard.type(case.reference)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/cases/{case.reference}/")
    page.wait_for_load_state()  # the URL changes before the case page's scripts have run

    # On the case page too, and a slash typed into a text field stays a slash.
    page.keyboard.press("/")
    expect(search_box).to_be_focused()
    page.keyboard.type("a/b")
    expect(search_box).to_have_value("a/b")
