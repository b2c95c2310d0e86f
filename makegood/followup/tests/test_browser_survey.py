"""The survey page in a real browser, on a phone-sized screen, answered with the keyboard.

Set MAKEGOOD_SCREENSHOTS=<directory> to keep screenshots of each page.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from makegood.accounts.models import Role
from makegood.cases.models import Priority, Status
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.cases.tests.test_browser_flow import snap
from makegood.followup.models import FollowUp
from makegood.followup.tasks import sweep_followups
from makegood.followup.tests.helpers import LINK_RE, resolved_case

PHONE_SCREEN: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_customer_answers_the_survey_on_a_phone_with_the_keyboard(page: Page, live_server):
    team = TeamFactory.create(name="Front Desk", receives_unrouted=True)
    erin = make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    case = resolved_case(erin, customer_name="Dana Whitfield", subject="Torn sofa cushion")
    FollowUp.objects.filter(case=case).update(due_at=timezone.now())
    sweep_followups.call()  # the worker's sweep: the survey is e-mailed on commit
    [survey] = [m for m in mail.outbox if m.subject.endswith("Is your issue resolved?")]
    token = LINK_RE.search(str(survey.body)).group(1)
    link = f"{live_server.url}/survey/{token}/"
    page.set_default_timeout(10_000)
    page.set_viewport_size(PHONE_SCREEN)

    # A tampered link gets a clear page, not an error.
    response = page.goto(f"{live_server.url}/survey/{token[:-2]}xx/")
    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()

    response = page.goto(link)
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Is your issue resolved?")).to_be_visible()
    expect(page.get_by_text(case.reference)).to_be_visible()
    # Radio groups are fieldsets named by their legends; the page fits the phone's width.
    resolved_group = page.get_by_role("group", name="Is your issue resolved?")
    score_group = page.get_by_role("group", name="How satisfied are you with how we handled it?")
    expect(resolved_group).to_be_visible()
    expect(score_group).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "survey-phone")

    # Sent without answers: the form comes back with the problems listed.
    page.get_by_role("button", name="Send my answer").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Choose yes or no.")
    expect(summary).to_contain_text("Choose a score from 1 to 5.")

    # Answered with the keyboard only: arrows move within a radio group, Tab moves on.
    resolved_group.get_by_role("radio", name="Yes").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(resolved_group.get_by_role("radio", name="No")).to_be_checked()
    page.keyboard.press("Tab")
    expect(score_group.get_by_role("radio", name="5: Very satisfied")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(score_group.get_by_role("radio", name="2: Dissatisfied")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Anything you would like to add?")).to_be_focused()
    page.keyboard.type("The new cushion is torn as well.")
    page.keyboard.press("Tab")
    page.keyboard.type("Check cushions before loading the van.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send my answer")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    expect(page.get_by_test_id("survey-outcome")).to_contain_text("reopened")
    expect(page.get_by_test_id("recorded-answer")).to_contain_text("2 of 5")
    snap(page, "survey-answered-phone")

    # The same link again shows the recorded answer; it takes no second one.
    page.goto(link)
    expect(page.get_by_test_id("recorded-answer")).to_contain_text("The new cushion is torn as well.")
    expect(page.get_by_role("button", name="Send my answer")).to_have_count(0)

    case.refresh_from_db()
    assert (case.status, case.priority, case.reopen_count) == (Status.OPEN, Priority.HIGH, 1)

    # The owner sees the answer on the case page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("erin")
    page.get_by_label("Password").fill("pw-erin")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    card = page.get_by_test_id("case-followups")
    expect(card).to_contain_text("Not satisfied: case reopened")
    expect(card).to_contain_text(re.compile(r"2 of 5"))
