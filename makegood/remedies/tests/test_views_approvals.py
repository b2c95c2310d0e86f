"""Managers' approvals queue (/approvals/) and the queue's authority strip: approve (the employee
delivers it) or "I'll handle this myself" (the case becomes the manager's). Nobody denies."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from makegood.accounts.models import Role
from makegood.cases.models import Case
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.remedies.escalations import escalation_open
from makegood.remedies.models import Authorization, Escalation, EscalationStatus, RemedyType
from makegood.remedies.offers import offer_decline
from makegood.remedies.tests.factories import case_with_loss, offer_make, set_role_authority

pytestmark = pytest.mark.django_db

APPROVALS = "/approvals/"


def decide(escalation: Escalation) -> str:
    return reverse("remedies_decide", kwargs={"escalation_id": escalation.pk})


def field(escalation: Escalation, name: str) -> str:
    return f"e{escalation.pk}-{name}"


@pytest.fixture
def escalated(shop, alice):
    """Alice's $120 faulty blender: the customer wants a full refund and declined the three options."""
    case = case_with_loss(loss_kind="faulty_product", loss_amount="120.00", expectation="My money back.")
    case_take_ownership(case=case, user=alice)
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    offer_decline(offer=offer, user=alice)
    return escalation_open(case=case, user=alice, note="Her second broken blender this year.")


@pytest.fixture
def as_bob(client, bob):
    client.force_login(bob)
    return client


def test_a_frontline_employee_cannot_open_the_approvals_queue_or_decide(client, alice, escalated):
    client.force_login(alice)
    assert client.get(APPROVALS).status_code == 403
    response = client.post(decide(escalated), {field(escalated, "decision"): "approve"})
    assert response.status_code == 403
    assert Escalation.objects.get().status == EscalationStatus.PENDING


def test_the_queue_shows_each_pending_escalation_with_its_story_and_demand(as_bob, escalated):
    html = as_bob.get(APPROVALS).content.decode()
    assert escalated.case.reference in html
    assert 'data-testid="asked">Full refund of $120.00<' in html
    assert "Her second broken blender this year." in html
    assert "Faulty product, $120.00, moderate" in html
    assert "My money back." in html and "Offered, and declined" in html
    for option in escalated.story["offered"]:
        assert option["name"] in html
    assert "Escalated by Alice Adams" in html


def test_the_approvals_page_has_no_deny_or_reject_action(as_bob, escalated):
    html = as_bob.get(APPROVALS).content.decode()
    buttons = re.findall(r"<button[^>]*>([^<]*)</button>", html)
    page_buttons = [b.strip() for b in buttons if b.strip() not in ("Log out", "Search")]  # the top bar's
    assert sorted(page_buttons) == ["Approve", "I'll handle this myself"]
    assert not re.search(r"\b(deny|denied|reject)\b", html, re.IGNORECASE)


def test_approving_sends_an_authorization_back_to_the_employee(as_bob, escalated, alice, bob):
    response = as_bob.post(
        decide(escalated), {field(escalated, "decision"): "approve", field(escalated, "note"): "Yes."}
    )
    assert response.status_code == 302 and response["Location"] == APPROVALS
    authorization = Authorization.objects.get()
    assert (authorization.employee, authorization.approved_by, authorization.max_amount) == (
        alice,
        bob,
        Decimal("120.00"),
    )
    assert Escalation.objects.get().status == EscalationStatus.APPROVED
    page = as_bob.get(APPROVALS).content.decode()
    assert "Approved. Alice Adams will tell the customer the good news" in page
    assert 'data-testid="no-approvals"' in page


def test_a_manager_may_approve_a_different_remedy_and_amount(as_bob, escalated):
    partial = RemedyType.objects.get(catalog="online_shop", code="refund-partial")
    as_bob.post(
        decide(escalated),
        {field(escalated, "decision"): "approve", field(escalated, "remedy_type"): partial.pk,
         field(escalated, "amount"): "90.00"},
    )  # fmt: skip
    authorization = Authorization.objects.get()
    assert (authorization.remedy_type, authorization.max_amount, authorization.max_cost) == (
        partial,
        Decimal("90.00"),
        Decimal("90.00"),
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "The amount must be more than zero."),
        ("lots", "'lots' is not an amount of money."),
        ("900.00", "beyond your own authority"),
    ],
)
def test_a_bad_or_too_large_approval_is_refused_on_the_form(as_bob, escalated, amount, message):
    partial = RemedyType.objects.get(catalog="online_shop", code="refund-partial")
    response = as_bob.post(
        decide(escalated),
        {field(escalated, "decision"): "approve", field(escalated, "remedy_type"): partial.pk,
         field(escalated, "amount"): amount},
    )  # fmt: skip
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Authorization.objects.exists() and Escalation.objects.get().status == EscalationStatus.PENDING


def test_ill_handle_this_myself_gives_the_manager_the_case(as_bob, escalated, bob):
    response = as_bob.post(
        decide(escalated), {field(escalated, "decision"): "take_over", field(escalated, "note"): "Calling her now."}
    )
    case = Case.objects.get(pk=escalated.case_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", kwargs={"reference": case.reference})
    assert case.owner == bob and not Authorization.objects.exists()
    escalation = Escalation.objects.get()
    assert (escalation.status, escalation.decision_note) == (EscalationStatus.TAKEN_OVER, "Calling her now.")
    page = as_bob.get(response["Location"]).content.decode()
    assert "is yours now. Contact Dana Customer personally." in page


def test_an_unknown_decision_is_refused(as_bob, escalated):
    response = as_bob.post(decide(escalated), {field(escalated, "decision"): "deny"})
    assert response.status_code == 400
    assert Escalation.objects.get().status == EscalationStatus.PENDING


def test_a_decided_escalation_cannot_be_decided_again(as_bob, escalated):
    as_bob.post(decide(escalated), {field(escalated, "decision"): "approve"})
    response = as_bob.post(decide(escalated), {field(escalated, "decision"): "take_over"}, follow=True)
    assert "already decided (approved)" in response.content.decode()
    assert Authorization.objects.count() == 1 and Escalation.objects.get().status == EscalationStatus.APPROVED


def test_another_teams_manager_sees_nothing_and_cannot_decide(client, south, escalated):
    dave = make_staff("dave", Role.MANAGER, south)
    client.force_login(dave)
    html = client.get(APPROVALS).content.decode()
    assert escalated.case.reference not in html and 'data-testid="no-approvals"' in html
    assert client.post(decide(escalated), {field(escalated, "decision"): "take_over"}).status_code == 404
    assert Escalation.objects.get().status == EscalationStatus.PENDING


def test_the_queue_strip_shows_authority_left_and_a_managers_approvals_waiting(client, as_bob, alice, escalated):
    strip = as_bob.get(reverse("remedies_authority"), headers={"HX-Request": "true"}).content.decode()
    assert "$500.00 per case" in strip and "$2,000.00</strong> left today" in strip
    assert re.search(r'data-testid="approvals-link">Approvals <span class="badge">1</span>', strip)
    client.force_login(alice)
    strip = client.get(reverse("remedies_authority"), headers={"HX-Request": "true"}).content.decode()
    assert "$50.00 per case" in strip and "approvals-link" not in strip


def test_the_strip_is_empty_for_someone_without_authority_or_reports(client, north):
    clerk = make_staff("clerk", Role.FRONTLINE, north)
    clerk.groups.clear()
    client.force_login(clerk)
    assert client.get(reverse("remedies_authority")).content.decode().strip() == ""


def test_the_strip_follows_the_role_policy(client, alice, shop):
    set_role_authority(Role.FRONTLINE, per_day="100.00")
    client.force_login(alice)
    strip = client.get(reverse("remedies_authority")).content.decode()
    assert "$100.00</strong> left today" in strip
