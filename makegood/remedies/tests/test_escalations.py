"""Escalation: the customer declined all three; a manager approves (the employee delivers it) or
takes the case over. Nobody says no."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from makegood.accounts.models import Role
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Notification
from makegood.cases.services import CaseActionError, case_take_ownership
from makegood.cases.tests.factories import make_staff
from makegood.remedies import escalations
from makegood.remedies.authority import authority_remaining
from makegood.remedies.escalations import approval_decide, escalation_open
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import Authorization, Escalation, EscalationStatus, Grant, RemedyType
from makegood.remedies.offers import offer_decline
from makegood.remedies.selectors import authorizations_usable, escalations_pending_for
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, offer_make

pytestmark = pytest.mark.django_db


def full_refund() -> RemedyType:
    return RemedyType.objects.get(catalog="online_shop", code="refund-full")


@pytest.fixture
def declined(shop, alice):
    """Alice's case: a $120 faulty blender; the customer wants a full refund and declined the options."""
    case = case_with_loss(loss_kind="faulty_product", loss_amount="120.00", expectation="My money back.")
    case_take_ownership(case=case, user=alice)
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    offer_decline(offer=offer, user=alice)
    return case


@pytest.fixture
def escalated(declined, alice):
    return escalation_open(case=declined, user=alice, note="Second broken blender this year; she wants her money.")


def test_escalating_needs_the_options_to_have_been_offered_and_declined(shop, alice):
    case = case_with_loss()
    with pytest.raises(CaseActionError, match="Offer the customer the options first"):
        escalation_open(case=case, user=alice, demand_kind="refund_full", demand_amount="120")
    offer_make(case=case, user=alice, demand_kind="refund_full")  # offered, not yet answered
    with pytest.raises(CaseActionError, match="Offer the customer the options first"):
        escalation_open(case=case, user=alice)
    assert not Escalation.objects.exists()


def test_an_escalation_carries_the_full_story(escalated, declined, alice):
    assert (escalated.status, escalated.raised_by, escalated.demand_kind, escalated.demand_amount) == (
        EscalationStatus.PENDING,
        alice,
        "refund_full",
        Decimal("120.00"),
    )
    story = escalated.story
    assert story["reference"] == declined.reference
    assert story["story"] == declined.story and story["expectation"] == "My money back."
    assert story["loss"] == {
        "kind": "faulty_product",
        "amount": "120.00",
        "currency": "USD",
        "severity": "moderate",
        "business_at_fault": False,
        "repeat_failure": False,
    }
    assert len(story["offered"]) == 3 and story["note"].startswith("Second broken blender")
    assert [e["kind"] for e in story["timeline"]][:2] == [EventKind.RECEIVED, EventKind.ACKNOWLEDGED]
    assert declined.events.filter(kind=RemedyEventKind.ESCALATED).exists()
    assert AuditEntry.objects.filter(action="remedy.escalated").exists()


def test_a_case_waits_for_one_decision_at_a_time(escalated, declined, alice):
    with pytest.raises(CaseActionError, match="already waiting"):
        escalation_open(case=declined, user=alice)


def test_managers_see_their_teams_escalations_in_the_approvals_queue(escalated, alice, bob, south):
    south_manager = make_staff("sam", Role.MANAGER, south)
    assert list(escalations_pending_for(manager=bob)) == [escalated]
    assert list(escalations_pending_for(manager=south_manager)) == []
    assert list(escalations_pending_for(manager=alice)) == []  # frontline: no approvals queue


def test_an_approval_comes_back_to_the_employee_who_grants_it_under_the_managers_authorization(
    escalated, declined, alice, bob
):
    decided = approval_decide(escalation=escalated, manager=bob, approve=True, note="Refund her in full.")
    assert (decided.status, decided.decided_by) == (EscalationStatus.APPROVED, bob)
    approval = decided.authorization
    assert (approval.employee, approval.approved_by, approval.remedy_kind, approval.max_cost) == (
        alice,
        bob,
        "refund_full",
        Decimal("120.00"),
    )
    assert list(authorizations_usable(user=alice, case=declined)) == [approval]
    assert "tell the customer the good news" in declined.events.get(kind=RemedyEventKind.APPROVED).body
    # Reserved against Bob until used.
    assert authority_remaining(user=bob, case_id=declined.pk).usage.on_case == Decimal("120.00")

    grant = remedy_grant(
        case=declined,
        user=alice,
        remedy_type=full_refund(),
        amount="120.00",
        order_reference="SO-42",
        authorization=approval,
    )
    assert (grant.granted_by, grant.authorized_by, grant.charged_to, grant.cost) == (alice, bob, bob, Decimal("120.00"))
    assert "approved by Bob Brown" in declined.events.get(kind=RemedyEventKind.GRANTED).body
    approval.refresh_from_db()
    assert approval.used_at == grant.granted_at
    # Alice's own authority is untouched; Bob's is charged once (the reservation became the grant).
    assert authority_remaining(user=alice, case_id=declined.pk).usage.on_case == 0
    assert authority_remaining(user=bob, case_id=declined.pk).usage.on_case == Decimal("120.00")
    assert list(authorizations_usable(user=alice, case=declined)) == []


def test_without_the_authorization_the_same_grant_is_beyond_the_employees_authority(declined, alice):
    with pytest.raises(ValidationError, match=r"authority left on this case is \$50\.00"):
        remedy_grant(case=declined, user=alice, remedy_type=full_refund(), amount="120.00", order_reference="SO-42")


def test_an_authorization_is_used_once_by_its_employee_for_what_was_approved(escalated, declined, alice, bob, north):
    approval = approval_decide(escalation=escalated, manager=bob, approve=True).authorization
    dave = make_staff("dave", Role.FRONTLINE, north)
    refund = full_refund()
    with pytest.raises(CaseActionError, match="another employee"):
        remedy_grant(
            case=declined, user=dave, remedy_type=refund, amount="120", order_reference="A", authorization=approval
        )
    with pytest.raises(ValidationError, match=r"approved up to \$120\.00"):
        remedy_grant(
            case=declined, user=alice, remedy_type=refund, amount="150", order_reference="A", authorization=approval
        )
    coupon = RemedyType.objects.get(catalog="online_shop", code="coupon-next-order")
    with pytest.raises(ValidationError, match="approved a Full refund"):
        remedy_grant(case=declined, user=alice, remedy_type=coupon, amount="150", authorization=approval)
    remedy_grant(
        case=declined, user=alice, remedy_type=refund, amount="120", order_reference="A", authorization=approval
    )
    with pytest.raises(CaseActionError, match="already used"):
        remedy_grant(
            case=declined, user=alice, remedy_type=refund, amount="1", order_reference="A", authorization=approval
        )
    assert Grant.objects.count() == 1


def test_an_unused_authorization_expires(escalated, declined, alice, bob):
    approval = approval_decide(escalation=escalated, manager=bob, approve=True).authorization
    with time_machine.travel(timezone.now() + timedelta(days=4)), pytest.raises(CaseActionError, match="expired"):
        remedy_grant(
            case=declined,
            user=alice,
            remedy_type=full_refund(),
            amount="120",
            order_reference="A",
            authorization=approval,
        )
    assert not Grant.objects.exists()


def test_a_manager_can_approve_something_narrower_than_the_demand(escalated, declined, alice, bob):
    partial = RemedyType.objects.get(catalog="online_shop", code="refund-partial")
    approval = approval_decide(
        escalation=escalated, manager=bob, approve=True, remedy_type=partial, amount="90.00"
    ).authorization
    assert (approval.remedy_type, approval.max_amount, approval.max_cost) == (
        partial,
        Decimal("90.00"),
        Decimal("90.00"),
    )


def test_not_approving_hands_the_case_to_the_manager_who_contacts_the_customer(escalated, declined, bob):
    decided = approval_decide(escalation=escalated, manager=bob, approve=False, note="I will call her today.")
    declined.refresh_from_db()
    assert decided.status == EscalationStatus.TAKEN_OVER
    assert declined.owner == bob
    assert declined.events.filter(kind=EventKind.OWNERSHIP_TAKEN, actor=bob).exists()
    note = declined.events.get(kind=RemedyEventKind.TAKEN_OVER)
    assert "will contact the customer personally" in note.body
    assert not Authorization.objects.exists()


def test_the_employee_who_escalated_hears_every_decision(escalated, declined, alice, bob):
    approval_decide(escalation=escalated, manager=bob, approve=False)
    told = Notification.objects.filter(user=alice).values_list("kind", "message")
    assert list(told) == [("taken_over", f"Bob Brown took over {declined.reference} from you.")]


def test_whoever_escalated_hears_a_take_over_even_when_someone_else_owned_the_case_by_then(
    escalated, declined, alice, bob, north
):
    mona = make_staff("mona", Role.MANAGER, north, first_name="Mona", last_name="Marsh")
    case_take_ownership(case=declined, user=mona)
    approval_decide(escalation=escalated, manager=bob, approve=False)
    kinds = set(Notification.objects.filter(user=alice).values_list("kind", flat=True))
    assert "remedy_taken_over" in kinds


def test_frontline_employees_have_no_way_to_decide_on_an_escalation(escalated, alice, north):
    dave = make_staff("dave", Role.FRONTLINE, north)
    for who in (alice, dave):
        for approve in (True, False):
            with pytest.raises(CaseActionError, match="Only a manager"):
                approval_decide(escalation=escalated, manager=who, approve=approve)
    escalated.refresh_from_db()
    assert escalated.status == EscalationStatus.PENDING
    # And there is no "deny" or "reject" anywhere in the module's interface.
    assert not [name for name in dir(escalations) if "deny" in name.lower() or "reject" in name.lower()]


def test_a_manager_cannot_decide_on_their_own_escalation_or_on_another_teams(shop, bob, south):
    case = case_with_loss()
    offer_decline(offer=offer_make(case=case, user=bob, demand_kind="refund_full", demand_amount="900"), user=bob)
    own = escalation_open(case=case, user=bob)
    with pytest.raises(CaseActionError, match="Another manager"):
        approval_decide(escalation=own, manager=bob, approve=True)
    with pytest.raises(CaseActionError, match="another team"):
        approval_decide(escalation=own, manager=make_staff("sam", Role.MANAGER, south), approve=True)


def test_an_escalation_is_decided_once(escalated, bob, north):
    approval_decide(escalation=escalated, manager=bob, approve=True)
    other = make_staff("mia", Role.MANAGER, north)
    with pytest.raises(CaseActionError, match="already decided"):
        approval_decide(escalation=escalated, manager=other, approve=False)


def test_a_manager_cannot_approve_beyond_their_own_authority(shop, alice, bob, north):
    # A failed service: money back for it is compensation (restitution would be redoing it).
    case = case_with_loss(loss_kind="failed_service", loss_amount="900.00")
    offer_decline(offer=offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="900"), user=alice)
    escalation = escalation_open(case=case, user=alice)
    with pytest.raises(ValidationError, match="beyond your own authority"):
        approval_decide(escalation=escalation, manager=bob, approve=True)  # Bob: 500 per case
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    assert approval_decide(escalation=escalation, manager=admin, approve=True).status == EscalationStatus.APPROVED
