# ruff: noqa: E501 (one scenario per line, a table to read across)
"""The options table: for each scenario (the kind of loss, how bad and whose fault, the customer"s
demand, what was already granted), the kinds of the options put to the customer, in order. A `+`
marks restitution (it puts right what failed, outside the caps); the others are compensation.

What the table says, row after row: while the loss is not put right, the first option restores it
(the charge reversed, the item replaced, the service redone, what never came delivered again);
once it is, every option is compensation, sized to what the loss calls for beyond what was
restored; being ignored has nothing to restore and is answered with attention; without a loss
amount nothing can be matched to the loss, so there is no restitution option. Alice is frontline
at the online shop: $50 of compensation per case, restitution up to the loss.
"""

from decimal import Decimal

import pytest

from makegood.remedies.models import Purpose, RemedyType
from makegood.remedies.selectors import options_for_demand
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss

pytestmark = pytest.mark.django_db

# The restitution that puts each kind of loss right, at the loss, when a row says it was granted.
RESTORED = {
    "money": ("reverse-charge", "349.00"),
    "faulty_product": ("replacement", "120.00"),
    "failed_service": ("redo-service", "89.00"),
    "time": ("redeliver", "59.00"),
}

# (loss kind, loss amount, severity, our fault, demand kind, demand amount, minimum, already granted,
#  the options" kinds in order)
# fmt: off
TABLE = [
    ("money", "349.00", "minor", False, "refund_full", "500.00", None, "", ("+reverse_charge", "gift_card", "refund_partial")),
    ("money", "349.00", "minor", False, "refund_full", "500.00", None, "restitution", ("gift_card", "refund_partial", "coupon")),
    ("money", "349.00", "minor", False, "refund_full", "500.00", None, "compensation", ("+reverse_charge", "gift_card", "refund_partial")),
    ("money", "349.00", "moderate", True, "refund_full", "500.00", None, "", ("+reverse_charge", "gift_card", "refund_partial")),
    ("money", "349.00", "moderate", True, "refund_full", "500.00", None, "restitution", ("gift_card", "coupon", "refund_partial")),
    ("money", "349.00", "moderate", True, "refund_full", "500.00", None, "compensation", ("+reverse_charge", "gift_card", "refund_partial")),
    ("money", "349.00", "severe", True, "refund_full", "500.00", None, "", ("+reverse_charge", "gift_card", "refund_partial")),
    ("money", "349.00", "severe", True, "refund_full", "500.00", None, "restitution", ("gift_card", "coupon", "refund_partial")),
    ("money", "349.00", "severe", True, "refund_full", "500.00", None, "compensation", ("+reverse_charge", "gift_card", "refund_partial")),
    ("faulty_product", "120.00", "minor", False, "refund_full", "500.00", None, "", ("+return_exchange", "upgrade", "coupon")),
    ("faulty_product", "120.00", "minor", False, "refund_full", "500.00", None, "restitution", ("upgrade", "coupon", "expedited_shipping")),
    ("faulty_product", "120.00", "minor", False, "refund_full", "500.00", None, "compensation", ("+return_exchange", "upgrade", "coupon")),
    ("faulty_product", "120.00", "moderate", True, "refund_full", "500.00", None, "", ("+return_exchange", "upgrade", "coupon")),
    ("faulty_product", "120.00", "moderate", True, "refund_full", "500.00", None, "restitution", ("upgrade", "coupon", "gift_card")),
    ("faulty_product", "120.00", "moderate", True, "refund_full", "500.00", None, "compensation", ("+return_exchange", "upgrade", "coupon")),
    ("faulty_product", "120.00", "severe", True, "refund_full", "500.00", None, "", ("+return_exchange", "upgrade", "coupon")),
    ("faulty_product", "120.00", "severe", True, "refund_full", "500.00", None, "restitution", ("upgrade", "coupon", "gift_card")),
    ("faulty_product", "120.00", "severe", True, "refund_full", "500.00", None, "compensation", ("+return_exchange", "upgrade", "coupon")),
    ("failed_service", "89.00", "minor", False, "refund_full", "500.00", None, "", ("+redo_service", "complimentary", "coupon")),
    ("failed_service", "89.00", "minor", False, "refund_full", "500.00", None, "restitution", ("complimentary", "handwritten_note", "loyalty_points")),
    ("failed_service", "89.00", "minor", False, "refund_full", "500.00", None, "compensation", ("+redo_service", "complimentary", "coupon")),
    ("failed_service", "89.00", "moderate", True, "refund_full", "500.00", None, "", ("+redo_service", "complimentary", "coupon")),
    ("failed_service", "89.00", "moderate", True, "refund_full", "500.00", None, "restitution", ("complimentary", "refund_partial", "coupon")),
    ("failed_service", "89.00", "moderate", True, "refund_full", "500.00", None, "compensation", ("+redo_service", "complimentary", "coupon")),
    ("failed_service", "89.00", "severe", True, "refund_full", "500.00", None, "", ("+redo_service", "complimentary", "coupon")),
    ("failed_service", "89.00", "severe", True, "refund_full", "500.00", None, "restitution", ("complimentary", "refund_partial", "coupon")),
    ("failed_service", "89.00", "severe", True, "refund_full", "500.00", None, "compensation", ("+redo_service", "complimentary", "coupon")),
    ("time", "59.00", "minor", False, "refund_full", "500.00", None, "", ("+redeliver", "complimentary", "expert_time")),
    ("time", "59.00", "minor", False, "refund_full", "500.00", None, "restitution", ("complimentary", "expedited_shipping", "expert_time")),
    ("time", "59.00", "minor", False, "refund_full", "500.00", None, "compensation", ("+redeliver", "complimentary", "expert_time")),
    ("time", "59.00", "moderate", True, "refund_full", "500.00", None, "", ("+redeliver", "complimentary", "coupon")),
    ("time", "59.00", "moderate", True, "refund_full", "500.00", None, "restitution", ("complimentary", "expedited_shipping", "expert_time")),
    ("time", "59.00", "moderate", True, "refund_full", "500.00", None, "compensation", ("+redeliver", "complimentary", "coupon")),
    ("time", "59.00", "severe", True, "refund_full", "500.00", None, "", ("+redeliver", "complimentary", "coupon")),
    ("time", "59.00", "severe", True, "refund_full", "500.00", None, "restitution", ("complimentary", "expedited_shipping", "expert_time")),
    ("time", "59.00", "severe", True, "refund_full", "500.00", None, "compensation", ("+redeliver", "complimentary", "coupon")),
    ("ignored", None, "minor", False, "refund_full", "500.00", None, "", ("handwritten_note", "expert_time", "complimentary")),
    ("ignored", None, "minor", False, "refund_full", "500.00", None, "compensation", ("expert_time", "complimentary", "loyalty_points")),
    ("ignored", None, "moderate", True, "refund_full", "500.00", None, "", ("handwritten_note", "expert_time", "complimentary")),
    ("ignored", None, "moderate", True, "refund_full", "500.00", None, "compensation", ("expert_time", "complimentary", "loyalty_points")),
    ("ignored", None, "severe", True, "refund_full", "500.00", None, "", ("handwritten_note", "expert_time", "complimentary")),
    ("ignored", None, "severe", True, "refund_full", "500.00", None, "compensation", ("expert_time", "complimentary", "loyalty_points")),
    ("failed_service", "89.00", "severe", True, "coupon", "300.00", None, "", ("+redo_service", "coupon", "complimentary")),
    ("faulty_product", "120.00", "moderate", False, "", "1000.00", None, "", ("+return_exchange", "upgrade", "coupon")),
    ("money", "349.00", "moderate", True, "gift_card", "400.00", "40.00", "", ("+reverse_charge", "gift_card", "refund_partial")),
    ("failed_service", "89.00", "moderate", True, "refund_full", "89.00", None, "partial", ("complimentary", "coupon", "refund_partial")),
    ("faulty_product", None, "moderate", True, "refund_full", "120.00", None, "", ("upgrade", "coupon", "gift_card")),
]
# fmt: on


def _granted(case, user, granted: str, loss_kind: str) -> None:
    if granted == "restitution":
        code, amount = RESTORED[loss_kind]
        grant = remedy_grant(case=case, user=user, remedy_type=RemedyType.objects.get(code=code), amount=amount)
        assert grant.purpose == Purpose.RESTITUTION
    elif granted == "partial":  # part of the loss restored: the service redone for $40 of the $89
        remedy_grant(case=case, user=user, remedy_type=RemedyType.objects.get(code="redo-service"), amount="40.00")
    elif granted == "compensation":
        grant = remedy_grant(case=case, user=user, remedy_type=RemedyType.objects.get(code="handwritten-note"))
        assert grant.purpose == Purpose.COMPENSATION


def test_the_table_covers_every_loss_severity_and_what_was_granted():
    assert len(TABLE) >= 30
    assert {row[0] for row in TABLE} == {"money", "faulty_product", "failed_service", "time", "ignored"}
    assert {row[2] for row in TABLE} == {"minor", "moderate", "severe"}
    assert {row[7] for row in TABLE} >= {"", "restitution", "compensation", "partial"}
    assert len({(row[4], row[5], row[6]) for row in TABLE}) >= 4  # several demands


@pytest.mark.parametrize(
    ("loss_kind", "loss_amount", "severity", "at_fault", "demand_kind", "demand_amount", "minimum", "granted", "kinds"),
    TABLE,
    ids=[f"{r[0]}-{r[2]}-{r[4] or 'money'}-{r[7] or 'nothing'}-{i}" for i, r in enumerate(TABLE)],
)
def test_the_options_restore_first_then_compensate(
    shop, alice, loss_kind, loss_amount, severity, at_fault, demand_kind, demand_amount, minimum, granted, kinds
):
    case = case_with_loss(
        loss_kind=loss_kind, loss_amount=loss_amount, severity=severity, business_at_fault=at_fault, external_id="O-1"
    )
    _granted(case, alice, granted, loss_kind)
    offered = options_for_demand(
        case=case, user=alice, demand_kind=demand_kind or None, demand_amount=demand_amount, minimum_value=minimum
    )
    assert not offered.demand_fits
    shown = tuple(("+" if o.purpose == Purpose.RESTITUTION else "") + o.kind for o in offered.options)
    assert shown == kinds
    for option in offered.options:
        if option.purpose == Purpose.RESTITUTION:
            # Restitution restores what is left of the loss and no more; its cost is outside the caps.
            assert option.value <= Decimal(loss_amount)
        else:
            assert option.cost <= offered.remaining.left
