"""The demo's root causes: each kind of Ridgeway Cycles complaint and what broke behind it.

Called by the demo loader just before it resolves a case, so that the demo resolves cases the way
staff must: with a cause, chosen from the suggester's three (recorded as the first, another, or
the employee's own), and a system/person flag.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from makegood.cases.models import Case
from makegood.causes.models import Cause, Failure
from makegood.causes.selectors import case_story_text
from makegood.causes.services import case_cause_set, taxonomy_load_defaults
from makegood.causes.suggester import causes_suggest

# complaint kind (demo/content.py) -> (cause, failure)
S, P = Failure.SYSTEM, Failure.PERSON
DEMO_CAUSES: dict[str, tuple[str, str]] = {
    "parcel_missing": ("Courier lost or damaged the delivery", S),
    "damaged_delivery": ("Courier lost or damaged the delivery", S),
    "left_outside": ("Courier lost or damaged the delivery", S),
    "missed_delivery_slot": ("Courier lost or damaged the delivery", S),
    "wrong_frame_size": ("Order picked or packed wrongly", S),
    "wrong_colour": ("Order picked or packed wrongly", S),
    "wrong_part": ("Order picked or packed wrongly", P),
    "kids_bike_parts": ("Order picked or packed wrongly", S),
    "ebike_battery": ("Faulty or failed product", S),
    "motor_noise": ("Faulty or failed product", S),
    "tubeless_leak": ("Faulty or failed product", S),
    "rental_flat": ("Faulty or failed product", S),
    "recall_not_told": ("Nobody followed up", S),
    "repair_overdue": ("Delay in our own process", S),
    "appointment_cancelled": ("Delay in our own process", S),
    "long_queue": ("Delay in our own process", S),
    "store_closed": ("Wrong information given", S),
    "charged_twice": ("Billing or payment handled wrongly", S),
    "invoice_wrong": ("Billing or payment handled wrongly", P),
    "gift_card": ("Billing or payment handled wrongly", S),
    "loyalty_points": ("Billing or payment handled wrongly", S),
    "cycle_to_work": ("Billing or payment handled wrongly", S),
    "refund_missing": ("Refund or return stuck", S),
    "return_refused": ("Policy too strict or unclear", S),
    "warranty_rejected": ("Policy too strict or unclear", S),
    "trade_in": ("Policy too strict or unclear", S),
    "price_match": ("Policy too strict or unclear", S),
    "rude_staff": ("Rude or dismissive treatment", P),
    "upsell": ("Rude or dismissive treatment", P),
    "social_reply": ("Rude or dismissive treatment", P),
    "brake_after_service": ("Workmanship below standard", P),
    "assembly_poor": ("Workmanship below standard", P),
    "scratched_frame": ("Workmanship below standard", P),
    "missing_accessories": ("Workmanship below standard", P),
    "quote_exceeded": ("Price or fee unexpected", S),
    "assembly_fee": ("Price or fee unexpected", S),
    "sizing_advice": ("Wrong information given", P),
    "click_collect": ("Notification sent wrongly", S),
    "unsubscribe_ignored": ("Notification sent wrongly", S),
    "sold_out_after_payment": ("Supplier shortage or quality", S),
    "on_hold": ("Nobody followed up", S),
    "emails_unanswered": ("Nobody followed up", S),
    "no_callback": ("Nobody followed up", P),
    "checkout_error": ("Website or app fault", S),
    "chat_disconnect": ("Website or app fault", S),
    "access_blocked": ("Website or app fault", S),
}
DEFAULT = ("Delay in our own process", S)


def demo_cause_set(*, case: Case, kind: str, user: User, at: datetime) -> None:
    """Set the demo case's cause a moment before it is resolved, from the three suggestions shown."""
    name, failure = DEMO_CAUSES.get(kind, DEFAULT)
    cause = Cause.objects.select_related("category").filter(name=name).first()
    if cause is None:  # a database emptied since it was migrated (the default taxonomy is a migration's)
        taxonomy_load_defaults()
        cause = Cause.objects.select_related("category").get(name=name)
    suggestions = causes_suggest(case_story_text(case))
    case_cause_set(
        case=case,
        user=user,
        cause=cause,
        failure=failure,
        suggested=suggestions.as_json(),
        source=suggestions.source,
        at=at - timedelta(seconds=30),
    )
