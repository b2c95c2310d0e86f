"""The demo's remedy data: what each kind of complaint cost the customer, and two open cases that
show the remedy side at its clearest.

The owner records the loss when they take a case (`remedies.loss.case_loss_record`), so that the
options are matched to the kind of loss and sized to its amount, and restitution (redo the
service, repair or replace, reverse the charge, deliver again) is offered before anything extra.
Amounts are fixed, or the `{amount}` the customer's story names ("" when no money was lost).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from makegood.cases.models import LossKind, Severity

MONEY, FAULTY, SERVICE, IGNORED, TIME = (
    LossKind.MONEY,
    LossKind.FAULTY_PRODUCT,
    LossKind.FAILED_SERVICE,
    LossKind.IGNORED,
    LossKind.TIME,
)
MINOR, MODERATE, SEVERE = Severity.MINOR, Severity.MODERATE, Severity.SEVERE
STORY_AMOUNT = "{amount}"


@dataclass(frozen=True)
class Loss:
    kind: str
    severity: str
    at_fault: bool
    amount: str = ""  # "89.00", STORY_AMOUNT, or "" (no money lost)

    def amount_for(self, slots: dict[str, str]) -> Decimal | None:
        """The amount lost, reading the story's `{amount}` ("$1,299.00") when it says so."""
        text = slots.get("amount", "") if self.amount == STORY_AMOUNT else self.amount
        digits = re.sub(r"[^0-9.]", "", text)
        return Decimal(digits) if digits else None


# What each complaint cost the customer (by `content.Complaint.key`).
LOSSES: dict[str, Loss] = {
    "parcel_missing": Loss(TIME, MODERATE, True, "59.00"),
    "wrong_frame_size": Loss(FAULTY, MODERATE, True, "899.00"),
    "ebike_battery": Loss(FAULTY, MODERATE, False, "449.00"),
    "repair_overdue": Loss(SERVICE, MODERATE, True, "89.00"),
    "charged_twice": Loss(MONEY, MODERATE, True, STORY_AMOUNT),
    "refund_missing": Loss(MONEY, MODERATE, True, STORY_AMOUNT),
    "rude_staff": Loss(IGNORED, MODERATE, True),
    "click_collect": Loss(TIME, MINOR, True, "45.00"),
    "damaged_delivery": Loss(FAULTY, SEVERE, True, STORY_AMOUNT),
    "brake_after_service": Loss(SERVICE, SEVERE, True, "89.00"),
    "quote_exceeded": Loss(MONEY, MODERATE, True, STORY_AMOUNT),
    "missing_accessories": Loss(FAULTY, MODERATE, True, "64.00"),
    "scratched_frame": Loss(FAULTY, MODERATE, True, "120.00"),
    "appointment_cancelled": Loss(SERVICE, MODERATE, True, "150.00"),
    "on_hold": Loss(IGNORED, MINOR, True),
    "emails_unanswered": Loss(IGNORED, MODERATE, True),
    "price_match": Loss(MONEY, MINOR, True, "15.00"),
    "gift_card": Loss(MONEY, MODERATE, True, STORY_AMOUNT),
    "warranty_rejected": Loss(FAULTY, SEVERE, False, "280.00"),
    "kids_bike_parts": Loss(FAULTY, MODERATE, True, "30.00"),
    "wrong_colour": Loss(FAULTY, MINOR, True, "899.00"),
    "sold_out_after_payment": Loss(MONEY, MODERATE, True, STORY_AMOUNT),
    "motor_noise": Loss(FAULTY, MODERATE, False, "180.00"),
    "loyalty_points": Loss(MONEY, MINOR, True, "12.00"),
    "cycle_to_work": Loss(IGNORED, MODERATE, True),
    "return_refused": Loss(MONEY, MINOR, False, STORY_AMOUNT),
    "left_outside": Loss(FAULTY, MODERATE, True, "60.00"),
    "no_callback": Loss(IGNORED, MINOR, True),
    "store_closed": Loss(TIME, MINOR, True),
    "checkout_error": Loss(MONEY, MODERATE, True, STORY_AMOUNT),
    "tubeless_leak": Loss(SERVICE, MODERATE, True, STORY_AMOUNT),
    "trade_in": Loss(MONEY, MODERATE, True, "100.00"),
    "rental_flat": Loss(SERVICE, MINOR, True, "40.00"),
    "wrong_part": Loss(SERVICE, MODERATE, True, "55.00"),
    "assembly_poor": Loss(SERVICE, SEVERE, True, "60.00"),
    "missed_delivery_slot": Loss(TIME, MODERATE, True),
    "unsubscribe_ignored": Loss(IGNORED, MINOR, True),
    "social_reply": Loss(IGNORED, MODERATE, True),
    "access_blocked": Loss(IGNORED, SEVERE, True),
    "recall_not_told": Loss(IGNORED, SEVERE, True),
    "invoice_wrong": Loss(TIME, MINOR, True),
    "long_queue": Loss(TIME, MINOR, True),
    "upsell": Loss(MONEY, MODERATE, True, "85.00"),
    "assembly_fee": Loss(SERVICE, MODERATE, True, STORY_AMOUNT),
    "chat_disconnect": Loss(IGNORED, MINOR, True),
    "sizing_advice": Loss(FAULTY, MODERATE, False, "120.00"),
}


@dataclass(frozen=True)
class Showcase:
    """An open case kept for the demo's remedy story, with its customer and what they ask."""

    complaint: str
    team_slug: str
    channel: str
    owner: str
    customer_name: str
    customer_email: str
    customer_phone: str
    story: str
    expectation: str
    external_id: str
    loss: Loss


# The two most recent cases taken before the demo was loaded (replacing two from the plan, so the
# demo keeps its size): the brake that failed after a service, where the workshop redoes the
# service today first and adds something extra after it; and the double charge, reversed without
# touching Priya's compensation cap.
SHOWCASES: tuple[Showcase, ...] = (
    Showcase(
        complaint="brake_after_service",
        team_slug="riverside-store",
        channel="phone",
        owner="sam",
        customer_name="Marta Quinlan",
        customer_email="marta.quinlan@example.com",
        customer_phone="+1 503-555-0142",
        story=(
            "Two days after your Riverside workshop serviced my Aero SL road bike, the front brake lever went to "
            "the bar on a descent. I stopped with my feet and nearly went into a car. I paid $89.00 for that service."
        ),
        expectation="Fix it properly today and refund the $89.",
        external_id="WS-20417",
        loss=Loss(SERVICE, SEVERE, True, "89.00"),
    ),
    Showcase(
        complaint="charged_twice",
        team_slug="online-desk",
        channel="email",
        owner="priya",
        customer_name="Hiro Walsh",
        customer_email="hiro.walsh@example.org",
        customer_phone="",
        story=(
            "My card was charged $349.00 twice for one order (RC-488105). My bank shows both payments as settled, "
            "not pending. I need that money for rent."
        ),
        expectation="Refund the duplicate payment today.",
        external_id="RC-488105",
        loss=Loss(MONEY, MODERATE, True, "349.00"),
    ),
)
