"""A whole recovery conversation in a real browser: a frontline employee takes a case, goes through
Listen (with a correction), Repeat back, Apologize, Empathy, Solve and Thank on the guided screen,
replies to the customer while the coach flags a "no" live and holds the Send button, then resolves.

Set MAKEGOOD_SCREENSHOTS=<directory> to keep screenshots of each page (desktop and phone).
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Status
from makegood.cases.tests.factories import TeamFactory, make_case, make_staff
from makegood.cases.tests.test_browser_flow import snap
from makegood.recovery.models import RecoveryStep, Suggestion

STORY = "The sofa arrived with a torn cushion and nobody called me back."


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/queue/")


def record(page: Page, step: str) -> None:
    page.get_by_role("button", name=f"Record: {step}").click()


def current_step(page: Page):
    return page.get_by_test_id("current-step")


def on_step(page: Page, kind: str) -> None:
    """The step's form was swapped in, and htmx has moved the focus to its heading (typing before
    that would lose keystrokes to the heading)."""
    expect(current_step(page)).to_have_attribute("data-step", kind)
    expect(page.locator("#step-title")).to_be_focused()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_frontline_employee_recovers_a_customer_end_to_end_with_the_coach_watching(page: Page, live_server):
    cache.clear()
    team = TeamFactory.create(name="Front Desk", receives_unrouted=True)
    make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    case = make_case(customer_name="Dana Whitfield", customer_email="dana@example.com", story=STORY, expectation="")
    Case.objects.filter(pk=case.pk).update(detected_feeling="frustrated", detected_feeling_confidence=0.81)
    reference = case.reference
    base = live_server.url
    page.set_default_timeout(10_000)

    log_in(page, base, "erin")
    page.goto(f"{base}/cases/{reference}/")
    page.get_by_role("button", name="Take ownership").click()
    expect(page.get_by_test_id("case-owner")).to_have_text("You")
    page.get_by_role("link", name="Recover").click()
    expect(page).to_have_url(f"{base}/cases/{reference}/recover/")
    stepper = page.get_by_test_id("stepper")

    # Thanking before listening: the service's message, and the words typed are still there.
    stepper.get_by_role("link", name=re.compile("Thank")).click()
    on_step(page, "thank")
    page.get_by_label("Your thanks").fill("Thank you so much for telling us.")
    record(page, "thank")
    expect(page.get_by_test_id("step-error")).to_contain_text("before thanking them")
    expect(page.get_by_label("Your thanks")).to_have_value("Thank you so much for telling us.")
    snap(page, "recover-out-of-order-desktop")

    # Listen: the story comes prefilled from the complaint.
    stepper.get_by_role("link", name=re.compile("Listen")).click()
    on_step(page, "listen")
    expect(page.get_by_test_id("script-prompt")).to_contain_text("What would make this right for you?")
    expect(page.get_by_label("The customer's story, in their words")).to_have_value(STORY)
    page.get_by_label("Questions you asked, and their answers").fill("When did it arrive? Tuesday.")
    page.get_by_label("What would make this right for you?").fill("A refund.")
    snap(page, "recover-listen-desktop")
    record(page, "listen")
    expect(page.get_by_text("Listen: recorded.")).to_be_visible()
    expect(stepper.locator('[data-step="listen"]')).to_have_attribute("data-state", "done")

    # Repeat back, corrected: back to listening.
    on_step(page, "repeat_back")
    page.get_by_label("What you heard, in your own words").fill("So you would like your money back.")
    page.get_by_label("The customer corrected me").check()
    page.get_by_label("What the customer corrected").fill("No: a new cushion before the weekend.")
    record(page, "repeat back")
    on_step(page, "listen")
    page.get_by_label("What would make this right for you?").fill("A new cushion before the weekend.")
    record(page, "listen")
    on_step(page, "repeat_back")
    page.get_by_label("What you heard, in your own words").fill("So you need a new cushion before Saturday.")
    page.get_by_label(re.compile("The customer confirmed it")).check()
    record(page, "repeat back")

    # Apologize: the coach reads along and catches the excuse, live.
    on_step(page, "apologize")
    apology = page.get_by_label("Your apology")
    apology.press_sequentially("I'm so sorry, but we were short-staffed that week.", delay=5)
    coach = page.locator("#coach-apologize [data-testid='coach']")
    expect(coach.locator('[data-rule="excuse_after_apology"] mark')).to_have_text("but we were short-staffed that week")
    snap(page, "recover-apologize-coach-desktop")
    apology.fill("")
    apology.press_sequentially("I am so sorry this happened to you.", delay=5)
    expect(coach).to_contain_text("nothing to add")
    record(page, "apologize")

    # Empathy: the detected feeling is pre-selected; the employee names another.
    on_step(page, "empathy")
    expect(page.get_by_test_id("detected-feeling")).to_contain_text("frustrated (81% sure)")
    expect(page.get_by_label("Frustrated")).to_be_checked()
    page.get_by_label("Disappointed").check()
    snap(page, "recover-empathy-desktop")
    record(page, "name the feeling")
    on_step(page, "solve")

    # Solve, then Thank with the customer's suggestion.
    page.get_by_label("The agreed next step").fill("A new cushion goes out by courier today, at our cost.")
    page.get_by_label("The customer accepts this as putting it right").check()
    snap(page, "recover-solve-desktop")
    record(page, "solve")
    on_step(page, "thank")
    page.get_by_label("Your thanks").fill("Thank you for telling us, Dana: it helps us get better.")
    page.get_by_label(re.compile("suggestion for doing better")).fill("Check cushions before loading the van.")
    record(page, "thank")
    expect(page.get_by_test_id("complete")).to_be_visible()
    expect(page.get_by_test_id("resolve-offer")).to_be_visible()
    for step in ("listen", "repeat_back", "apologize", "empathy", "solve", "thank"):
        expect(stepper.locator(f'[data-step="{step}"]')).to_have_attribute("data-state", "done")
    snap(page, "recover-complete-desktop")

    # Every step is in the case's timeline.
    page.get_by_role("link", name="Back to the case").click()
    timeline = page.get_by_test_id("timeline")
    steps = timeline.locator('[data-kind="recovery_step"] .timeline__step')
    expect(steps).to_have_count(8)
    assert steps.evaluate_all("items => items.map(i => i.dataset.step)") == [
        "listen",
        "repeat_back",
        "listen",
        "repeat_back",
        "apologize",
        "empathy",
        "solve",
        "thank",
    ]
    expect(timeline).to_contain_text("The customer corrected it: No: a new cushion before the weekend.")
    expect(timeline).to_contain_text("Feeling named: Disappointed (Makegood detected frustrated, 81% sure)")
    expect(page.get_by_test_id("case-feeling")).to_contain_text("Disappointed")

    # The reply: the coach flags "no" as it is typed and holds Send for a frontline employee.
    send = page.get_by_role("button", name="Send the reply")
    body = page.get_by_label("Your words to the customer")
    body.press_sequentially("Unfortunately we can't refund that. Thank you.", delay=5)
    reply_coach = page.locator("#coach-reply [data-testid='coach']")
    expect(reply_coach.locator('[data-rule="says_no"] mark')).to_have_text("Unfortunately we can't")
    expect(reply_coach).to_contain_text("Blocks sending")
    expect(send).to_be_disabled()
    expect(send).to_have_attribute("aria-describedby", "coach-reply-blocked")
    snap(page, "case-reply-blocked-desktop")
    body.fill("")
    body.press_sequentially(
        "I'm so sorry. What I can do is send a new cushion today. Thank you for telling us.", delay=5
    )
    expect(send).to_be_enabled()
    expect(reply_coach.locator('[data-rule="says_no"]')).to_have_count(0)
    send.click()
    expect(page.get_by_text("Your reply is on its way to the customer.")).to_be_visible()
    reply = page.get_by_test_id("timeline").locator('[data-kind="reply_sent"]')
    expect(reply).to_contain_text("What I can do is send a new cushion today.")
    assert [m.subject for m in mail.outbox if m.to == ["dana@example.com"]][-1].startswith(f"[{reference}]")

    # Back on the guided screen, "Resolve case" closes the loop with what was agreed.
    page.get_by_role("link", name="Continue recovering").click()
    expect(page.get_by_label("How was it resolved?")).to_have_value(
        "A new cushion goes out by courier today, at our cost."
    )
    page.get_by_role("button", name="Resolve case").click()
    expect(page.get_by_text(f"{reference} is resolved.")).to_be_visible()
    snap(page, "case-resolved-desktop")

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert case.feeling == "disappointed" and case.detected_feeling == "frustrated"
    assert case.expectation == "A new cushion before the weekend."
    assert RecoveryStep.objects.filter(case=case).count() == 8
    assert Suggestion.objects.get(case=case).text == "Check cushions before loading the van."
    assert case.events.filter(kind=EventKind.REPLY_SENT).count() == 1
