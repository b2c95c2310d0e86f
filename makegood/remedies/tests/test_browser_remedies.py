"""Remedies in a real browser: a demand beyond authority, three options offered, one chosen, granted
and its code e-mailed; and an escalation approved by a manager (in a second browser) and delivered
by the employee.

Set MAKEGOOD_SCREENSHOTS=<directory> to keep screenshots of each page (desktop and phone).
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from makegood.accounts.models import Role
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.cases.tests.test_browser_flow import SCREENSHOTS, snap
from makegood.remedies.catalogs import catalog_load
from makegood.remedies.models import Authorization, Escalation, EscalationStatus, Grant
from makegood.remedies.selectors import catalog_changed
from makegood.remedies.tests.factories import case_with_loss

CODE_RE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def shot(page: Page, name: str) -> None:
    """A screenshot once the lazily loaded fragments and their stylesheet have arrived."""
    if SCREENSHOTS:
        page.wait_for_load_state("networkidle")
        snap(page, name)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/queue/")


@pytest.fixture
def desk(transactional_db):
    """The online shop's catalog; Erin (frontline: 50 per case) and Mia (manager) on one team; a
    $120 faulty blender owned by Erin."""
    cache.clear()
    catalog_changed()
    catalog_load(name="online_shop")
    team = TeamFactory.create(name="Online Desk", receives_unrouted=True)
    erin = make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    make_staff("mia", Role.MANAGER, team, first_name="Mia", last_name="Moreau")
    case = case_with_loss(
        loss_kind="faulty_product",
        loss_amount="120.00",
        customer_name="Dana Whitfield",
        customer_email="dana@example.com",
        external_id="ORD-1001",
        expectation="My money back, all of it.",
    )
    case_take_ownership(case=case, user=erin)
    yield case
    catalog_changed()


def ask_for_a_full_refund(page: Page) -> None:
    form = page.get_by_test_id("demand-form")
    expect(form).to_be_visible()
    form.get_by_label("What they ask for").select_option("refund_full")
    form.get_by_label("Amount they ask for").fill("120.00")
    form.get_by_role("button", name="See what I can do").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_demand_beyond_authority_brings_three_options_and_the_chosen_one_is_granted_and_emailed(
    page: Page, live_server, desk
):
    case = desk
    base = live_server.url
    page.set_default_timeout(10_000)
    log_in(page, base, "erin")

    # The queue shows what Erin can grant on her own.
    strip = page.get_by_test_id("authority-strip")
    expect(strip).to_contain_text("$50.00 per case")
    expect(strip.get_by_test_id("strip-today")).to_contain_text("$300.00 left today")
    shot(page, "remedies-queue-desktop")

    page.goto(f"{base}/cases/{case.reference}/")
    panel = page.get_by_test_id("remedies-panel")
    expect(panel.get_by_test_id("authority-left")).to_have_text("$50.00")
    expect(panel.get_by_test_id("loss")).to_contain_text("Faulty product, $120.00")
    shot(page, "remedies-panel-desktop")

    # The customer wants a full refund of 120: beyond Erin's 50. Three options she can grant now.
    ask_for_a_full_refund(page)
    expect(page.get_by_text("That is beyond your authority")).to_be_visible()
    options = page.get_by_test_id("option")
    expect(options).to_have_count(3)
    kinds = options.evaluate_all("items => items.map(i => i.dataset.kind)")
    assert len(set(kinds)) == 3
    for i in range(3):
        expect(options.nth(i)).to_contain_text("to the customer")
        expect(options.nth(i).locator(".option__reason")).to_have_text(re.compile(r"^\S.+\.$"))
    shot(page, "remedies-options-desktop")

    # The customer takes the option with a code (a coupon or store credit): granted at once.
    with_code = next(kind for kind in kinds if kind in ("coupon", "gift_card"))
    chosen = page.locator(f'[data-testid="option"][data-kind="{with_code}"]')
    chosen.get_by_role("button", name="The customer chose this").click()
    expect(page.get_by_text("The customer's choice is recorded.")).to_be_visible()
    grant = Grant.objects.get()
    assert grant.kind == with_code and grant.offer is not None and grant.cost <= 50
    expect(page.get_by_test_id("grant")).to_contain_text(grant.code)
    expect(page.get_by_test_id("timeline")).to_contain_text(f"Code {grant.code}")

    # The code went to the customer by e-mail (the task runs after the grant commits).
    coded = [m for m in mail.outbox if grant.code in m.body]
    assert len(coded) == 1 and coded[0].to == ["dana@example.com"]
    assert CODE_RE.fullmatch(grant.code) and case.reference in coded[0].subject
    expect(page.get_by_test_id("timeline")).to_contain_text("E-mailed")
    shot(page, "remedies-granted-desktop")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_escalation_is_approved_by_a_manager_and_delivered_by_the_employee(
    page: Page, browser: Browser, live_server, desk
):
    case = desk
    base = live_server.url
    page.set_default_timeout(10_000)
    log_in(page, base, "erin")
    page.goto(f"{base}/cases/{case.reference}/")
    ask_for_a_full_refund(page)
    expect(page.get_by_test_id("option")).to_have_count(3)

    # None of these: the customer wants their money. Erin escalates, with a note.
    page.get_by_role("button", name="None of these").click()
    escalate = page.get_by_test_id("escalate")
    escalate.get_by_label("Note for the manager").fill("Second broken blender this year; she wants her money back.")
    escalate.get_by_role("button", name="Escalate to a manager").click()
    expect(page.get_by_test_id("escalation-pending")).to_be_visible()
    assert Escalation.objects.get().status == EscalationStatus.PENDING

    # Mia, in her own browser, sees it in her approvals queue with the story, and approves.
    manager_context = browser.new_context()
    manager = manager_context.new_page()
    manager.set_default_timeout(10_000)
    log_in(manager, base, "mia")
    expect(manager.get_by_test_id("approvals-link")).to_contain_text("1")
    manager.get_by_test_id("approvals-link").click()
    item = manager.locator(f'[data-testid="pending-escalation"][data-reference="{case.reference}"]')
    expect(item.get_by_test_id("asked")).to_have_text("Full refund of $120.00")
    expect(item).to_contain_text("Second broken blender this year")
    expect(item).to_contain_text("Offered, and declined")
    expect(item).not_to_contain_text("Deny")
    shot(manager, "remedies-approvals-desktop")
    item.get_by_test_id("approve-form").get_by_label("Note").fill("Refund it all, with our apologies.")
    item.get_by_role("button", name="Approve", exact=True).click()
    expect(manager.get_by_text("Approved. Erin Frost will tell the customer the good news")).to_be_visible()
    expect(manager.get_by_test_id("no-approvals")).to_be_visible()
    manager_context.close()

    # Back with Erin: the good news, delivered in one click under Mia's authorization.
    page.reload()
    approval = page.get_by_test_id("approval")
    expect(approval).to_contain_text("Mia Moreau approved")
    expect(approval.get_by_test_id("approval-what")).to_have_text("Full refund up to $120.00")
    shot(page, "remedies-approval-desktop")
    approval.get_by_role("button", name=re.compile("^Grant")).click()
    expect(page.get_by_text("The good news is delivered.")).to_be_visible()
    grant = Grant.objects.get()
    assert (grant.granted_by.username, grant.charged_to.username, grant.authorized_by.username) == (
        "erin",
        "mia",
        "mia",
    )
    assert Authorization.objects.get().used_at is not None
    expect(page.get_by_test_id("grant")).to_contain_text("approved by Mia Moreau")
    expect(page.get_by_test_id("timeline")).to_contain_text("approved by Mia Moreau")
    shot(page, "remedies-delivered-desktop")
