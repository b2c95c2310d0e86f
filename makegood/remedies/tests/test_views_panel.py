"""The remedies panel on a case: authority, the loss, granting, the customer's demand and the three
options, "none of these" and escalation, delivering an approval, something extra; and every refusal
leaves the ledger untouched."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from makegood.accounts.models import Role
from makegood.cases.models import AuditEntry, Case, Status
from makegood.cases.services import case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.remedies.escalations import approval_decide, escalation_open
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
    RemedyKind,
    RemedyType,
)
from makegood.remedies.offers import offer_decline
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, offer_make, set_role_authority
from makegood.remedies.views.panel import SKIPPED_KEY

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def remedy(code: str) -> RemedyType:
    return RemedyType.objects.get(catalog="online_shop", code=code)


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


@pytest.fixture
def case(shop, alice):
    """A $120 faulty blender, owned by Alice (frontline: 50 per case, 300 a day, 2,500 a month)."""
    made = case_with_loss(loss_kind="faulty_product", loss_amount="120.00", external_id="ORD-1001")
    case_take_ownership(case=made, user=alice)
    return Case.objects.get(pk=made.pk)


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


def panel(client, case: Case) -> str:
    response = client.get(url("remedies_panel", case), headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_loads_the_panel_lazily_and_the_queue_loads_the_authority_strip(as_alice, case):
    page = as_alice.get(reverse("case_detail", kwargs={"reference": case.reference})).content.decode()
    assert f'hx-get="{url("remedies_panel", case)}"' in page and 'hx-trigger="load"' in page
    queue = as_alice.get(reverse("queue")).content.decode()
    assert f'hx-get="{reverse("remedies_authority")}"' in queue


def test_the_panel_shows_the_authority_left_on_the_case_today_and_this_month(as_alice, case, alice):
    remedy_grant(case=case, user=alice, remedy_type=remedy("free-accessory"))  # costs 8.00
    html = panel(as_alice, case)
    assert re.search(r'data-testid="authority-left">\$42\.00<', html)
    assert "$42.00 left" in html and "of $50.00" in html  # on this case
    assert "$292.00 left" in html and "of $300.00" in html  # today
    assert "$2,492.00 left" in html and "of $2,500.00" in html  # this month
    assert "A free accessory of their choice" in html  # granted so far
    assert "Faulty product, $120.00, moderate" in html


def test_without_javascript_the_panel_is_a_page_of_its_own(as_alice, case):
    response = as_alice.get(url("remedies_panel", case))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and "Make it right" in html


def test_a_repeat_failure_is_flagged_on_the_panel(as_alice, shop, alice):
    repeat = case_with_loss(repeat=True)
    case_take_ownership(case=repeat, user=alice)
    assert 'data-testid="repeat-failure"' in panel(as_alice, repeat)


def test_charlie_gets_404_for_the_panel_and_every_action_and_the_ledger_is_untouched(client, charlie, case):
    client.force_login(charlie)
    offer = offer_make(case=case, user=case.owner, demand_kind="refund_full", demand_amount="120.00")
    posts = {
        url("remedies_loss", case): {"loss_kind": "money", "severity": "minor"},
        url("remedies_grant", case): {"remedy_type": remedy("free-accessory").pk},
        url("remedies_demand", case): {"demand_amount": "20.00"},
        url("remedies_choose", case, offer_id=offer.pk): {"index": 0},
        url("remedies_none", case, offer_id=offer.pk): {},
        url("remedies_escalate", case): {"note": "x"},
        url("remedies_extra", case): {"remedy_type": remedy("handwritten-note").pk},
        url("remedies_extra_skip", case): {},
    }
    assert client.get(url("remedies_panel", case), headers=HTMX).status_code == 404
    for path, data in posts.items():
        assert client.post(path, data, headers=HTMX).status_code == 404, path
    assert not Grant.objects.exists()
    assert Offer.objects.get().status == OfferStatus.OPEN and not Escalation.objects.exists()
    assert Case.objects.get(pk=case.pk).loss_kind == "faulty_product"


def test_a_grant_within_authority_is_granted_at_once_and_its_code_emailed(
    as_alice, case, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            url("remedies_grant", case),
            {"remedy_type": remedy("coupon-next-order").pk, "amount": "40.00", "idempotency_key": "k1"},
            headers=HTMX,
        )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    grant = Grant.objects.get()
    assert (grant.case, grant.granted_by, grant.amount, grant.cost) == (case, alice, Decimal("40.00"), Decimal("14.00"))
    assert grant.code and grant.code in mail.outbox[-1].body
    assert case.events.filter(kind=RemedyEventKind.GRANTED, body__contains=grant.code).exists()
    page = as_alice.get(reverse("case_detail", kwargs={"reference": case.reference})).content.decode()
    assert f"The code {grant.code} is on its way to dana@example.com" in page


def test_without_javascript_a_grant_redirects_back_to_the_case(as_alice, case):
    response = as_alice.post(url("remedies_grant", case), {"remedy_type": remedy("handwritten-note").pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", kwargs={"reference": case.reference}) + "#remedies"
    assert Grant.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "amount", "message"),
    [
        ("coupon-next-order", "-5", "The amount must be more than zero."),
        ("coupon-next-order", "0", "The amount must be more than zero."),
        ("coupon-next-order", "twelve", "'twelve' is not an amount of money."),
        ("coupon-next-order", "NaN", "Enter an amount of money such as 12.50."),
        ("coupon-next-order", "12.345", "Use at most two decimals (cents)."),
        ("coupon-next-order", "1e3", "'1e3' is not an amount of money"),
        ("coupon-next-order", "", "Say how much: Coupon for the next order needs an amount."),
        ("handwritten-note", "5.00", "has a fixed value; leave the amount empty."),
        ("refund-partial", "60.00", "This costs $60.00, but your authority left on this case is $50.00."),
    ],
)
def test_bad_amounts_are_refused_on_the_form_and_nothing_is_granted(as_alice, case, code, amount, message):
    data = {"remedy_type": remedy(code).pk, "amount": amount, "order_reference": "ORD-1001"}
    response = as_alice.post(url("remedies_grant", case), data, headers=HTMX)
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert message in html
    assert 'data-testid="grant-form"' in html
    # The form comes back as it was sent: the remedy still chosen, the amount still typed.
    assert re.search(rf'<option value="{remedy(code).pk}" selected>', html)
    assert not Grant.objects.exists()


def test_without_javascript_a_refusal_shows_the_panel_page_with_the_error(as_alice, case):
    response = as_alice.post(url("remedies_grant", case), {"remedy_type": remedy("coupon-next-order").pk})
    html = response.content.decode()
    assert response.status_code == 400 and "<html" in html
    assert "Coupon for the next order needs an amount" in html
    assert not Grant.objects.exists()


def test_a_remedy_the_role_may_not_grant_is_refused_with_the_reason(as_alice, case):
    set_role_authority(Role.FRONTLINE, kinds=[RemedyKind.HANDWRITTEN_NOTE, RemedyKind.COMPLIMENTARY])
    html = panel(as_alice, case)
    assert "Coupon for the next order" not in html.split('data-testid="grant-form"')[1].split("</form>")[0]
    response = as_alice.post(
        url("remedies_grant", case), {"remedy_type": remedy("coupon-next-order").pk, "amount": "10"}, headers=HTMX
    )
    assert "Your role may not grant a coupon or voucher; escalate." in response.content.decode()
    assert not Grant.objects.exists()


def test_an_unknown_remedy_is_refused(as_alice, case):
    response = as_alice.post(url("remedies_grant", case), {"remedy_type": 999_999}, headers=HTMX)
    assert "Choose a remedy." in response.content.decode()
    assert not Grant.objects.exists()


def test_a_closed_case_offers_no_grant_and_refuses_one(as_alice, case, alice):
    case_resolve(case=case, user=alice, resolution="Replaced.")
    html = panel(as_alice, case)
    assert "remedies need an open case" in html and 'data-testid="grant-form"' not in html
    response = as_alice.post(url("remedies_grant", case), {"remedy_type": remedy("handwritten-note").pk}, headers=HTMX)
    assert "remedies need an open case" in response.content.decode()
    assert not Grant.objects.exists()


def test_a_replayed_form_grants_once(as_alice, case):
    data = {"remedy_type": remedy("handwritten-note").pk, "idempotency_key": "same-form"}
    as_alice.post(url("remedies_grant", case), data, headers=HTMX)
    as_alice.post(url("remedies_grant", case), data, headers=HTMX)
    assert Grant.objects.count() == 1
    page = as_alice.get(reverse("case_detail", kwargs={"reference": case.reference})).content.decode()
    assert "was already granted" in page


def test_a_demand_that_fits_is_granted_at_once(as_alice, case, alice):
    response = as_alice.post(
        url("remedies_demand", case), {"demand_kind": "refund_partial", "demand_amount": "30.00"}, headers=HTMX
    )
    assert response["HX-Refresh"] == "true"
    grant = Grant.objects.get()
    assert (grant.kind, grant.amount, grant.order_reference) == ("refund_partial", Decimal("30.00"), "ORD-1001")
    assert not Offer.objects.exists()


def test_a_demand_beyond_authority_brings_three_options_with_their_value_and_reason(as_alice, case):
    response = as_alice.post(
        url("remedies_demand", case), {"demand_kind": "refund_full", "demand_amount": "120.00"}, headers=HTMX
    )
    assert response["HX-Refresh"] == "true"
    offer = Offer.objects.get()
    assert offer.status == OfferStatus.OPEN and len(offer.options) == 3
    assert len({o["kind"] for o in offer.options}) == 3
    assert all(Decimal(o["cost"]) <= Decimal("50.00") for o in offer.options)
    html = panel(as_alice, case)
    assert html.count('data-testid="option"') == 3
    assert "They asked for <strong>Full refund of $120.00</strong>" in html
    for option in offer.options:
        assert option["name"] in html
        assert f"Worth <strong>${Decimal(option['value']):,.2f}</strong> to the customer" in html
    assert len(re.findall(r'<p class="option__reason">[^<]+\.</p>', html)) == 3
    assert html.count("The customer chose this") == 3 and "None of these" in html
    assert not Grant.objects.exists()


def test_the_customers_choice_is_granted_as_offered(as_alice, case, alice, django_capture_on_commit_callbacks):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    chosen = offer.options[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            url("remedies_choose", case, offer_id=offer.pk), {"index": 1, "idempotency_key": "c1"}, headers=HTMX
        )
    assert response["HX-Refresh"] == "true"
    grant = Grant.objects.get()
    assert (grant.offer, grant.remedy_type_id, str(grant.cost)) == (offer, chosen["remedy_type_id"], chosen["cost"])
    offer.refresh_from_db()
    assert (offer.status, offer.chosen_index) == (OfferStatus.CHOSEN, 1)
    # Answered: the options are gone from the panel; choosing again is refused.
    assert 'data-testid="offer"' not in panel(as_alice, case)
    again = as_alice.post(url("remedies_choose", case, offer_id=offer.pk), {"index": 0}, headers=HTMX)
    assert "already answered this offer" in again.content.decode()
    assert Grant.objects.count() == 1


def test_an_option_index_out_of_range_is_refused(as_alice, case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    response = as_alice.post(url("remedies_choose", case, offer_id=offer.pk), {"index": 5}, headers=HTMX)
    assert "Choose one of the 3 options offered." in response.content.decode()
    assert not Grant.objects.exists()


def test_none_of_these_then_escalate_with_a_note(as_alice, case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    response = as_alice.post(url("remedies_none", case, offer_id=offer.pk), headers=HTMX)
    assert response["HX-Refresh"] == "true"
    html = panel(as_alice, case)
    assert 'data-testid="escalate"' in html and "Escalate to a manager" in html
    response = as_alice.post(url("remedies_escalate", case), {"note": "Her second blender."}, headers=HTMX)
    assert response["HX-Refresh"] == "true"
    escalation = Escalation.objects.get()
    assert (escalation.status, escalation.note, escalation.offer) == (
        EscalationStatus.PENDING,
        "Her second blender.",
        offer,
    )
    assert len(escalation.story["offered"]) == 3
    html = panel(as_alice, case)
    assert 'data-testid="escalation-pending"' in html and 'data-testid="escalate"' not in html


def test_escalating_before_offering_the_options_is_refused(as_alice, case):
    response = as_alice.post(url("remedies_escalate", case), {"note": "Now!"}, headers=HTMX)
    assert "Offer the customer the options first" in response.content.decode()
    assert not Escalation.objects.exists()


def test_an_approval_comes_back_to_the_employee_who_delivers_it_in_one_click(
    as_alice, case, alice, bob, django_capture_on_commit_callbacks
):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    offer_decline(offer=offer, user=alice)
    escalation = escalation_open(case=case, user=alice)
    approval_decide(escalation=escalation, manager=bob, approve=True, note="Look after her.")
    authorization = Authorization.objects.get()
    html = panel(as_alice, case)
    assert 'data-testid="approval"' in html and "Bob Brown approved" in html
    assert "Full refund up to $120.00" in html and "Look after her." in html
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            url("remedies_deliver", case, authorization_id=authorization.pk),
            {"choice": 0, "order_reference": "ORD-1001", "idempotency_key": "d1"},
            headers=HTMX,
        )
    assert response["HX-Refresh"] == "true"
    grant = Grant.objects.get()
    assert (grant.granted_by, grant.charged_to, grant.authorized_by, grant.amount) == (
        alice,
        bob,
        bob,
        Decimal("120.00"),
    )
    assert "it was delivered" in panel(as_alice, case)


def test_another_employee_sees_the_approval_but_cannot_deliver_it(client, case, alice, bob, north):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    offer_decline(offer=offer, user=alice)
    approval_decide(escalation=escalation_open(case=case, user=alice), manager=bob, approve=True)
    erin = make_staff("erin", Role.FRONTLINE, north)
    client.force_login(erin)
    html = panel(client, case)
    assert "for Alice Adams to deliver" in html and 'data-testid="approval"' not in html
    response = client.post(
        url("remedies_deliver", case, authorization_id=Authorization.objects.get().pk), {"choice": 0}, headers=HTMX
    )
    assert "another case or another employee" in response.content.decode()
    assert not Grant.objects.exists()


def test_a_manager_taking_over_is_shown_on_the_case(as_alice, case, alice, bob):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    offer_decline(offer=offer, user=alice)
    approval_decide(escalation=escalation_open(case=case, user=alice), manager=bob, approve=False)
    html = panel(as_alice, case)
    assert "Bob Brown took this case over and is contacting the customer personally." in html


def test_something_extra_is_suggested_and_added_in_one_click(as_alice, case, alice):
    remedy_grant(case=case, user=alice, remedy_type=remedy("refund-partial"), amount="30.00", order_reference="O-1")
    html = panel(as_alice, case)
    assert 'data-testid="extra"' in html
    suggested = re.search(r'data-testid="extra-what">([^<]+)<', html).group(1)
    remedy_id = re.search(r'name="remedy_type" value="(\d+)"', html.split('data-testid="extra"')[1]).group(1)
    response = as_alice.post(
        url("remedies_extra", case), {"remedy_type": remedy_id, "amount": "", "idempotency_key": "x1"}, headers=HTMX
    )
    assert response["HX-Refresh"] == "true"
    extra = Grant.objects.latest("pk")
    assert suggested.startswith(extra.name) and extra.note == "Something extra."


def test_something_extra_can_be_skipped(as_alice, case, alice):
    remedy_grant(case=case, user=alice, remedy_type=remedy("free-accessory"))
    assert 'data-testid="extra"' in panel(as_alice, case)
    response = as_alice.post(url("remedies_extra_skip", case), headers=HTMX)
    assert 'data-testid="extra"' not in response.content.decode()
    assert case.pk in as_alice.session[SKIPPED_KEY]
    assert 'data-testid="extra"' not in panel(as_alice, case)
    assert Grant.objects.count() == 1


def test_the_owner_records_the_loss_with_an_audit_entry(as_alice, shop, alice):
    bare = case_with_loss(loss_kind="", loss_amount=None, severity="")
    case_take_ownership(case=bare, user=alice)
    html = panel(as_alice, bare)
    assert "Not recorded yet" in html and 'data-testid="loss-form"' in html
    response = as_alice.post(
        url("remedies_loss", bare),
        {"loss_kind": "money", "loss_amount": "80.00", "loss_currency": "usd", "severity": "severe",
         "business_at_fault": "on"},
        headers=HTMX,
    )  # fmt: skip
    assert response["HX-Refresh"] == "true"
    bare.refresh_from_db()
    assert (bare.loss_kind, bare.loss_amount, bare.loss_currency, bare.severity, bare.business_at_fault) == (
        "money",
        Decimal("80.00"),
        "USD",
        "severe",
        True,
    )
    entry = AuditEntry.objects.get(action="case.loss_recorded")
    assert entry.changes["loss_amount"] == [None, "80.00"] and entry.actor_label == "alice"
    assert "Money lost, $80.00, severe, our fault" in panel(as_alice, bare)


def test_a_loss_without_kind_or_with_a_bad_amount_is_refused(as_alice, case):
    response = as_alice.post(
        url("remedies_loss", case), {"loss_kind": "", "severity": "minor", "loss_amount": "-3"}, headers=HTMX
    )
    html = response.content.decode()
    assert "Choose what the customer lost." in html and "The amount must be more than zero." in html
    case.refresh_from_db()
    assert case.loss_kind == "faulty_product" and not AuditEntry.objects.filter(action="case.loss_recorded").exists()


def test_a_process_owner_sees_the_panel_without_any_action(client, case, north):
    olivia = make_staff("olivia", Role.PROCESS_OWNER, north)
    client.force_login(olivia)
    html = panel(client, case)
    assert "Granted on this case" in html
    assert "<form" not in html
    assert client.post(url("remedies_grant", case), {"remedy_type": remedy("handwritten-note").pk}).status_code == 400
    assert not Grant.objects.exists()


def test_frontline_screens_have_no_deny_or_reject_action(as_alice, case, alice):
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    html = panel(as_alice, case)
    offer_decline(offer=offer, user=alice)
    html += panel(as_alice, case)
    buttons = " ".join(re.findall(r"<button[^>]*>([^<]*)</button>", html)).lower()
    assert buttons and not re.search(r"\b(deny|reject|refuse|decline)\b", buttons)
    assert Case.objects.get(pk=case.pk).status == Status.OPEN
