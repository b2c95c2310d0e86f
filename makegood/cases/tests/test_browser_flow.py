"""The whole first minute in a real browser: a customer complains on the web form, an employee
sees the case in the queue with its clock running, takes ownership and reads the timeline.

Set MAKEGOOD_SCREENSHOTS=<directory> to keep screenshots of each page (desktop and phone).
"""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role
from makegood.cases.tests.factories import TeamFactory, make_case, make_staff

SCREENSHOTS = os.environ.get("MAKEGOOD_SCREENSHOTS", "")


def snap(page: Page, name: str) -> None:
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
    if name.endswith("-desktop"):
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name.removesuffix('-desktop')}-phone.png"), full_page=True)
        if size:
            page.set_viewport_size(size)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_complaint_reaches_the_queue_is_taken_and_shows_its_timeline(page: Page, live_server):
    cache.clear()
    team = TeamFactory.create(name="Front Desk", receives_unrouted=True)
    make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    page.set_default_timeout(10_000)

    # The customer files a complaint and gets a reference at once.
    page.goto(f"{live_server.url}/complain/")
    page.get_by_label("Your name").fill("Dana Whitfield")
    page.get_by_label("E-mail").fill("dana@example.com")
    page.get_by_label("What happened?").fill("The sofa arrived with a torn cushion and nobody called back.")
    page.get_by_label("What would make it right?").fill("A new cushion before the weekend.")
    snap(page, "complaint-form-desktop")
    page.get_by_role("button", name="Send my complaint").click()
    reference_box = page.get_by_test_id("reference")
    expect(reference_box).to_have_text(re.compile(r"^MG-\d{4}-\d{6,}$"))
    reference = reference_box.inner_text()
    expect(page.get_by_text("What happens next")).to_be_visible()
    snap(page, "complaint-thanks-desktop")

    # The employee logs in and lands on the queue, where the case's clock is running.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("erin")
    page.get_by_label("Password").fill("pw-erin")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/queue/")
    row = page.locator(f'tr[data-reference="{reference}"]')
    expect(row).to_be_visible()
    clock = row.locator(".clock")
    expect(clock).to_have_text(re.compile(r"^\d+:\d{2}(:\d{2})? left$"))
    first_reading = clock.inner_text()
    page.wait_for_timeout(2_100)
    expect(clock).not_to_have_text(first_reading)
    expect(clock).to_have_text(re.compile(r"^\d+:\d{2}(:\d{2})? left$"))
    snap(page, "queue-desktop")

    # A complaint that arrives meanwhile appears at the next poll, without a reload.
    newcomer = make_case(channel="phone", customer_name="Sam Ortega", customer_email="sam@example.com")
    expect(page.locator(f'tr[data-reference="{newcomer.reference}"]')).to_be_visible(timeout=15_000)

    # "I am taking ownership" (htmx swaps the refreshed queue in).
    row.get_by_role("button", name=re.compile("Take ownership")).click()
    expect(page.get_by_text(f"You own {reference} now.")).to_be_visible()
    expect(page.locator(f'tr[data-reference="{reference}"] .queue__owner')).to_have_text("You")

    # The case page shows the timeline: received, acknowledged, ownership taken.
    page.get_by_role("link", name=reference).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{reference}/")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator('[data-kind="received"]')).to_contain_text("Complaint received")
    expect(timeline.locator('[data-kind="acknowledged"]')).to_contain_text(f"Acknowledged with reference {reference}")
    expect(timeline.locator('[data-kind="ownership_taken"]')).to_contain_text("I am taking ownership.")
    expect(timeline.locator('[data-kind="ownership_taken"]')).to_contain_text("Erin Frost")
    kinds = timeline.locator("[data-kind]").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds.index("received") < kinds.index("acknowledged") < kinds.index("ownership_taken")
    expect(page.get_by_test_id("case-owner")).to_have_text("You")
    snap(page, "case-desktop")
