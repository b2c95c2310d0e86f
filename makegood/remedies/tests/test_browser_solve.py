"""The guided recovery's Solve step is the remedy panel, in a real browser: the brake that failed
after a service is put right first (the service redone today, granted from the step, outside the
caps), then something extra is suggested and added, and the Solve step is recorded.

Set MAKEGOOD_SCREENSHOTS=<directory> to keep screenshots.
"""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.recovery.models import StepKind
from makegood.recovery.services import recovery_step_record
from makegood.remedies.catalogs import catalog_load
from makegood.remedies.models import Grant, Purpose
from makegood.remedies.selectors import catalog_changed
from makegood.remedies.tests.factories import case_with_loss
from makegood.remedies.tests.test_browser_remedies import log_in, shot


@pytest.fixture
def brake(transactional_db):
    """Sam (frontline: $50 of compensation per case) owns the brake case ($89 service, severe, our
    fault) and has listened, repeated back (confirmed), apologized and named the feeling."""
    cache.clear()
    catalog_changed()
    catalog_load(name="online_shop")
    team = TeamFactory.create(name="Riverside Store", receives_unrouted=True)
    sam = make_staff("sam", Role.FRONTLINE, team, first_name="Sam", last_name="Rivera")
    case = case_with_loss(
        loss_kind="failed_service",
        loss_amount="89.00",
        severity="severe",
        business_at_fault=True,
        customer_name="Marta Quinlan",
        customer_email="marta@example.com",
        expectation="Fix it properly today and refund the $89.",
        channel="phone",
    )
    case_take_ownership(case=case, user=sam)
    recovery_step_record(case=case, user=sam, kind=StepKind.LISTEN, text="The front brake failed on a descent.")
    recovery_step_record(case=case, user=sam, kind=StepKind.REPEAT_BACK, text="Your brake failed.", confirmed=True)
    recovery_step_record(case=case, user=sam, kind=StepKind.APOLOGIZE, text="I am so sorry.")
    recovery_step_record(case=case, user=sam, kind=StepKind.EMPATHY, text="", feeling="scared")
    yield case
    catalog_changed()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_solve_step_puts_it_right_first_then_adds_something_extra(page: Page, live_server, brake):
    case = brake
    base = live_server.url
    page.set_default_timeout(10_000)
    log_in(page, base, "sam")
    page.goto(f"{base}/cases/{case.reference}/recover/?step=solve")

    step = page.get_by_test_id("current-step")
    expect(step).to_have_attribute("data-step", "solve")
    panel = step.get_by_test_id("remedies-panel")
    expect(panel.get_by_test_id("loss")).to_contain_text("Failed service, $89.00, severe, our fault")
    expect(panel.get_by_test_id("authority-left")).to_have_text("$50.00")
    restore = panel.get_by_test_id("restore")
    expect(restore.get_by_test_id("restore-what")).to_have_text(
        "Redo the service today, by the head mechanic of $89.00"
    )
    expect(panel.get_by_test_id("extra")).to_have_count(0)  # nothing extra before it is put right
    shot(page, "solve-restore-first")

    restore.get_by_role("button", name="Grant it: put it right").click()
    # The page reloads on the Solve step: the service redone, outside the caps, then something extra.
    panel = page.get_by_test_id("current-step").get_by_test_id("remedies-panel")
    expect(panel.locator('[data-testid="grant"][data-purpose="restitution"]')).to_contain_text("Redo the service today")
    expect(panel.get_by_test_id("restitution")).to_have_text("$89.00 put right of the $89.00 lost.")
    expect(panel.get_by_test_id("authority-left")).to_have_text("$50.00")
    extra = panel.get_by_test_id("extra")
    expect(extra).to_be_visible()
    shot(page, "solve-something-extra")
    extra.get_by_role("button", name="Add it").click()

    panel = page.get_by_test_id("current-step").get_by_test_id("remedies-panel")
    expect(panel.locator('[data-testid="grant"][data-purpose="compensation"]')).to_have_count(1)
    grants = list(Grant.objects.filter(case=case).order_by("pk").values_list("kind", "purpose"))
    assert grants[0] == ("redo_service", Purpose.RESTITUTION) and grants[1][1] == Purpose.COMPENSATION

    step = page.get_by_test_id("current-step")
    step.get_by_label("The agreed next step").fill(
        "We redo the brake service today with the head mechanic, and add a free accessory."
    )
    step.get_by_label("The customer accepts this as putting it right").check()
    step.get_by_role("button", name="Record: solve").click()
    expect(page.get_by_test_id("stepper").locator('[data-step="solve"]')).to_have_attribute("data-state", "done")
