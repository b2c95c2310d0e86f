"""Three options for a real case and employee, from the shipped catalogs and the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from makegood.accounts.models import Role
from makegood.cases.models import Case, LossKind
from makegood.cases.services import CaseActionError
from makegood.cases.tests.factories import make_staff
from makegood.remedies.catalogs import catalog_load
from makegood.remedies.models import RemedyKind, RemedyType
from makegood.remedies.selectors import extra_gesture_suggest, options_for_demand
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, set_role_authority

pytestmark = pytest.mark.django_db


def kinds(option_set) -> list[str]:
    return [o.kind for o in option_set.options]


def test_a_demand_beyond_authority_gets_three_different_options_the_employee_can_grant(shop, alice):
    case = case_with_loss(loss_kind="faulty_product", loss_amount="120.00")
    offered = options_for_demand(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    assert not offered.demand_fits  # 120 is beyond Alice's 50 per case
    assert len(offered.options) == 3 and len(set(kinds(offered))) == 3
    assert all(o.cost <= Decimal("50.00") for o in offered.options)
    assert [o.score for o in offered.options] == sorted((o.score for o in offered.options), reverse=True)
    # A faulty product is answered first with a replacement (restoring the whole loss).
    best = offered.options[0]
    assert (best.kind, best.amount, best.value) == (RemedyKind.RETURN_EXCHANGE, Decimal("120.00"), Decimal("120.00"))
    assert offered.reason == ""


def test_money_lost_is_answered_with_money_back_first(shop, alice):
    case = case_with_loss(loss_kind="money", loss_amount="30.00", expectation="")
    offered = options_for_demand(case=case, user=alice)
    best = offered.options[0]
    # Restitution first: the money taken goes back (the charge reversed), outside the caps.
    assert (best.kind, best.purpose) == (RemedyKind.REVERSE_CHARGE, "restitution")
    assert Decimal("30.00") <= best.value <= Decimal("33.00")  # the loss restored, near 100%


def test_being_ignored_is_answered_with_attention(shop, alice):
    case = case_with_loss(loss_kind="ignored", loss_amount=None, expectation="")
    offered = options_for_demand(case=case, user=alice)
    assert {RemedyKind.HANDWRITTEN_NOTE, RemedyKind.EXPERT_TIME} <= set(kinds(offered))


def test_money_is_sized_near_the_loss_unless_the_failure_was_aggravated(shop, alice):
    plain = case_with_loss(loss_kind="money", loss_amount="40.00", severity="moderate")
    aggravated = case_with_loss(
        loss_kind="money", loss_amount="40.00", severity="severe", business_at_fault=True, repeat=True
    )
    for case, cap in ((plain, Decimal("44.00")), (aggravated, Decimal("60.00"))):
        offered = options_for_demand(case=case, user=alice)
        money = [o for o in offered.best_per_kind.values() if o.kind in {"refund_partial", "coupon", "gift_card"}]
        assert money and all(o.value <= cap for o in money)
        assert offered.sizing.cap == cap
    coupon = options_for_demand(case=aggravated, user=alice).best_per_kind[RemedyKind.COUPON]
    assert coupon.value > Decimal("40.00")  # above the loss, because it was severe, our fault and a repeat


def test_no_option_is_worth_less_than_the_customers_stated_minimum(shop, alice):
    case = case_with_loss(loss_kind="faulty_product", loss_amount="120.00")
    offered = options_for_demand(case=case, user=alice, demand_kind="refund_full", minimum_value="90.00")
    assert offered.options and all(o.value >= Decimal("90.00") for o in offered.options)


def test_what_the_customer_expects_moves_that_kind_up(shop, alice):
    neutral = options_for_demand(case=case_with_loss(loss_kind="money", loss_amount="20.00"), user=alice)
    asking = options_for_demand(
        case=case_with_loss(loss_kind="money", loss_amount="20.00", expectation="Please send a handwritten apology."),
        user=alice,
    )
    note = RemedyKind.HANDWRITTEN_NOTE
    assert asking.best_per_kind[note].components["asked_for"] > 0
    assert asking.best_per_kind[note].score > neutral.best_per_kind[note].score


def test_fewer_than_three_kinds_come_with_the_reason(shop, alice):
    set_role_authority(Role.FRONTLINE, kinds=["coupon", "handwritten_note"])
    offered = options_for_demand(case=case_with_loss(), user=alice, demand_kind="refund_full")
    assert sorted(kinds(offered)) == ["coupon", "handwritten_note"]
    assert offered.reason.startswith("Only 2 kinds of remedy fit right now.")
    assert "not allowed for your role" in offered.reason
    assert "escalate to a manager" in offered.reason


def test_an_employee_with_their_authority_spent_is_told_what_is_left(shop, alice):
    case = case_with_loss()
    remedy_grant(
        case=case,
        user=alice,
        remedy_type=RemedyType.objects.get(code="refund-partial"),
        amount="49.00",
        order_reference="SO-1",
    )
    offered = options_for_demand(case=case, user=alice, demand_kind="refund_full")
    assert offered.remaining.left == Decimal("1.00")
    assert "beyond your remaining authority ($1.00 left on this case)" in offered.reason


def test_a_demand_within_authority_is_recognised_as_grantable(shop, alice):
    offered = options_for_demand(case=case_with_loss(), user=alice, demand_kind="refund_partial", demand_amount="30.00")
    assert offered.demand_fits
    assert (offered.demand_option.kind, offered.demand_option.amount) == ("refund_partial", Decimal("30.00"))


def test_options_are_refused_to_another_teams_employee(shop, north, charlie):
    with pytest.raises(CaseActionError):
        options_for_demand(case=case_with_loss(), user=charlie)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("demand_amount", {"demand_amount": "-10"}),
        ("demand_amount", {"demand_amount": "ten"}),
        ("minimum_value", {"minimum_value": 5.5}),
        ("demand_kind", {"demand_kind": "pony"}),
        ("currency", {"currency": "EUR"}),
    ],
)
def test_a_bad_demand_is_refused_with_a_field_message(shop, alice, field, values):
    with pytest.raises(ValidationError) as caught:
        options_for_demand(case=case_with_loss(), user=alice, **values)
    assert list(caught.value.message_dict) == [field]


DEMO_CASES = {
    # The channel each business hears most on, and a typical loss of each kind.
    "online_shop": ("web", "60.00"),
    "restaurant": ("in_person", "45.00"),
    "hotel": ("phone", "180.00"),
}


@pytest.mark.parametrize("catalog", sorted(DEMO_CASES))
@pytest.mark.parametrize("loss_kind", LossKind.values)
def test_each_shipped_catalog_gives_a_frontline_employee_three_options_for_every_kind_of_loss(
    db, north, catalog, loss_kind
):
    catalog_load(name=catalog)
    employee = make_staff("erin", Role.FRONTLINE, north)
    channel, loss = DEMO_CASES[catalog]
    case = case_with_loss(
        channel=channel,
        customer_email="dana@example.com",
        loss_kind=loss_kind,
        loss_amount=None if loss_kind in {"ignored", "time"} else loss,
    )
    offered = options_for_demand(case=case, user=employee, demand_kind="refund_full", demand_amount="500.00")
    assert len(offered.options) == 3, offered.reason
    assert len(set(kinds(offered))) == 3


def test_the_extra_gesture_is_the_best_value_for_money_not_yet_given(shop, alice):
    case = case_with_loss()
    first = extra_gesture_suggest(case=case, user=alice)
    # The shop's best ratio: a free accessory, worth 25 for 8.
    assert (first.kind, first.cost, first.value) == (RemedyKind.COMPLIMENTARY, Decimal("8.00"), Decimal("25.00"))
    remedy_grant(case=case, user=alice, remedy_type=RemedyType.objects.get(code="free-accessory"))
    # Then 3 for 1 twice (bonus points, a handwritten note): the immediate one wins the tie.
    second = extra_gesture_suggest(case=case, user=alice)
    assert (second.kind, second.value) == (RemedyKind.LOYALTY_POINTS, Decimal("15.00"))


def test_no_extra_gesture_when_no_authority_is_left(shop, alice):
    set_role_authority(Role.FRONTLINE, per_case="0.00")
    assert extra_gesture_suggest(case=case_with_loss(), user=alice) is None


def test_the_loss_is_ignored_when_recorded_in_another_currency(shop, alice):
    case = case_with_loss(loss_kind="money", loss_amount="40.00")
    Case.objects.filter(pk=case.pk).update(loss_currency="EUR")
    case.refresh_from_db()
    assert options_for_demand(case=case, user=alice).sizing.loss is None
