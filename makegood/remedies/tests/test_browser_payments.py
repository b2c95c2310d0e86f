"""From the guided recovery's Solve step to money that has moved, in a real browser: the double
charge is put right (the charge reversed, outside the caps); the customer is told the refund has
started, and that it has been paid only once the person paying it marks it paid.

Set MAKEGOOD_SCREENSHOTS=<directory> to keep screenshots.
"""

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_staff
from makegood.remedies.catalogs import catalog_load
from makegood.remedies.models import Payment, PaymentStatus
from makegood.remedies.selectors import catalog_changed
from makegood.remedies.tests.factories import case_with_loss
from makegood.remedies.tests.test_browser_remedies import log_in, shot

STARTED = "We have started your refund of the wrong charge of $349.00; we will confirm when it has been paid."
PAID = "Your refund of the wrong charge of $349.00 has been paid."


@pytest.fixture
def double_charge(transactional_db):
    """Priya (frontline: $50 of compensation per case) owns the $349 double charge."""
    cache.clear()
    catalog_changed()
    catalog_load(name="online_shop")
    team = TeamFactory.create(name="Online Desk", receives_unrouted=True)
    priya = make_staff("priya", Role.FRONTLINE, team, first_name="Priya", last_name="Shah")
    case = case_with_loss(
        loss_kind="money",
        loss_amount="349.00",
        severity="moderate",
        business_at_fault=True,
        customer_name="Hiro Walsh",
        customer_email="hiro@example.org",
        expectation="Refund the duplicate payment today.",
        external_id="RC-488105",
    )
    case_take_ownership(case=case, user=priya)
    yield case
    catalog_changed()


def told(text: str) -> list[list[str]]:
    return [message.to for message in mail.outbox if text in message.body]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_solve_step_the_customer_hears_paid_only_once_it_is_paid(page: Page, live_server, double_charge):
    case = double_charge
    base = live_server.url
    page.set_default_timeout(20_000)
    log_in(page, base, "priya")
    page.goto(f"{base}/cases/{case.reference}/recover/?step=solve")

    panel = page.get_by_test_id("current-step").get_by_test_id("remedies-panel")
    restore = panel.get_by_test_id("restore")
    expect(restore.get_by_test_id("restore-what")).to_contain_text("$349.00")
    restore.get_by_role("button", name="Grant it: put it right").click()

    # The payment's card comes with the panel: to pay, by Priya, and what the customer was told.
    card = page.get_by_test_id("current-step").get_by_test_id("payments-card")
    payment_line = card.get_by_test_id("payment")
    expect(payment_line).to_have_attribute("data-status", "to_pay")
    expect(card.get_by_test_id("payment-told")).to_contain_text(STARTED)
    shot(page, "payment-to-pay")
    assert told(STARTED) == [["hiro@example.org"]]
    assert told(PAID) == []

    # Priya's queue lists it as a payment to make.
    page.goto(f"{base}/queue/")
    expect(page.get_by_test_id("my-payments")).to_contain_text(case.reference)
    assert told(PAID) == []

    page.goto(f"{base}/cases/{case.reference}/recover/?step=solve")
    card = page.get_by_test_id("current-step").get_by_test_id("payments-card")
    card.get_by_label("Reference").fill("BANK-5521")
    card.get_by_role("button", name="Mark paid").click()
    expect(card.get_by_test_id("payment")).to_have_attribute("data-status", "confirmed")
    expect(card.get_by_test_id("payment-told")).to_contain_text(PAID)
    shot(page, "payment-confirmed")
    payment = Payment.objects.get(case=case)
    assert (payment.status, payment.reference) == (PaymentStatus.CONFIRMED, "BANK-5521")
    assert told(PAID) == [["hiro@example.org"]]
