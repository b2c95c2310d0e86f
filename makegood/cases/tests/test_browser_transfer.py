"""A hand-off in real browsers, seen by both teams: the owner at the Online Desk transfers a case
to the Riverside store with a reason; Riverside sees it above its queue and takes it; the Online
Desk's owner is told, and the timeline says who has it at every step."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from makegood.accounts.models import Role
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_case, make_staff


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/queue/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_transfer_is_seen_by_both_teams_and_the_customer_keeps_one_owner(browser: Browser, live_server):
    cache.clear()
    online = TeamFactory.create(name="Online Desk", receives_unrouted=True)
    riverside = TeamFactory.create(name="Riverside Store")
    priya = make_staff("priya", Role.FRONTLINE, online, first_name="Priya", last_name="Shah")
    make_staff("sam", Role.FRONTLINE, riverside, first_name="Sam", last_name="Reed")
    case = case_take_ownership(case=make_case(customer_name="Dana Whitfield"), user=priya)
    base = live_server.url

    online_page = browser.new_context().new_page()
    river_page = browser.new_context().new_page()
    for page in (online_page, river_page):
        page.set_default_timeout(30_000)

    # Priya (Online Desk) hands the case to Riverside, with the reason.
    log_in(online_page, base, "priya")
    online_page.goto(f"{base}/cases/{case.reference}/")
    online_page.get_by_label("To team").select_option(label="Riverside Store")
    online_page.get_by_label("Why").fill("The brakes were serviced at the Riverside workshop.")
    online_page.get_by_role("button", name="Transfer", exact=True).click()
    expect(online_page.get_by_test_id("transfer-pending")).to_contain_text("Waiting for Riverside Store to take it.")
    expect(online_page.get_by_test_id("transfer-pending")).to_contain_text("You keep the customer until then.")
    expect(online_page.get_by_test_id("case-owner")).to_have_text("You")
    expect(online_page.get_by_test_id("timeline")).to_contain_text(
        "Priya Shah keeps the case until someone there takes it."
    )

    # Sam (Riverside) sees it above his queue, with who has it meanwhile, and takes it.
    log_in(river_page, base, "sam")
    incoming = river_page.get_by_test_id("incoming-transfers")
    expect(incoming).to_contain_text(case.reference)
    expect(incoming).to_contain_text("from Online Desk, with Priya Shah until you take it")
    incoming.get_by_role("link", name=case.reference).click()
    expect(river_page.get_by_test_id("transfer-incoming")).to_contain_text("Online Desk is transferring this case")
    river_page.get_by_role("button", name="Take it for Riverside Store").click()
    expect(river_page.get_by_test_id("case-owner")).to_have_text("You")
    expect(river_page.get_by_test_id("case-team")).to_have_text("Riverside Store")
    expect(river_page.get_by_test_id("timeline")).to_contain_text(
        "Sam Reed (Riverside Store) has the case now, taken over from Priya Shah."
    )

    # Priya is told in her queue; the case is Riverside's now, off her list.
    online_page.goto(f"{base}/queue/")
    online_page.get_by_text("For your attention").click()  # the notifications drawer opens
    expect(
        online_page.get_by_text(re.compile(rf"{case.reference}: Sam Reed of Riverside Store took the case"))
    ).to_be_visible()
    expect(online_page.locator(f'tr[data-reference="{case.reference}"]')).to_have_count(0)
