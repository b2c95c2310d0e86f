"""In a real browser: the owner resolves a case with the cause the suggester put first."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from makegood.accounts.models import Role
from makegood.cases.models import Status
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import TeamFactory, make_case, make_staff
from makegood.causes.models import CaseCause, Choice, Failure
from makegood.causes.services import taxonomy_load_defaults


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_owner_resolves_a_case_with_the_suggested_cause(page: Page, live_server):
    cache.clear()
    taxonomy_load_defaults()  # a transactional test starts from empty tables, without the data migration's rows
    team = TeamFactory.create(name="Front Desk", receives_unrouted=True)
    erin = make_staff("erin", Role.FRONTLINE, team, first_name="Erin", last_name="Frost")
    case = make_case(story="The courier says my parcel was delivered, tracking shows it, but it never arrived.")
    case_take_ownership(case=case, user=erin)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/cases/{case.reference}/")
    page.get_by_label("User name").fill("erin")
    page.get_by_label("Password").fill("pw-erin")
    page.get_by_role("button", name="Log in").click()

    panel = page.get_by_test_id("cause-panel")
    expect(panel.get_by_test_id("cause-source")).to_have_text("(keyword rules)")
    first = panel.get_by_test_id("cause-choice").first
    expect(first).to_contain_text("Courier lost or damaged the delivery")
    first.get_by_role("radio").check()
    panel.get_by_label("The system or a process").check()
    panel.get_by_role("button", name="Save the cause").click()
    chosen_label = "Partner or vendor / Courier lost or damaged the delivery"
    expect(page.get_by_test_id("case-cause")).to_contain_text(chosen_label)

    page.get_by_label("How was it resolved?").fill("Sent a replacement by express.")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".status").first).to_have_text("Resolved")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    chosen = CaseCause.objects.get(case=case)
    assert (chosen.choice, chosen.failure) == (Choice.FIRST, Failure.SYSTEM)
