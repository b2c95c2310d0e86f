"""What compensation research found, as the tables the ranking reads (`options.py`).

Match the remedy to the loss: money lost wants money back; a faulty product an exchange or a
replacement; a failed service a redo or a comp; being ignored wants attention (an apology in
writing, a person's time). Feelings and the customer's own words say which kind they hope for.
"""

from __future__ import annotations

import re

from makegood.cases.models import Feeling, LossKind
from makegood.remedies.models import RemedyKind

K = RemedyKind

# Money (and money-like) remedies are sized to the loss and capped; the others are gestures.
MONEY_KINDS = frozenset({K.REFUND_FULL, K.REFUND_PARTIAL, K.COUPON, K.GIFT_CARD, K.LOYALTY_POINTS})

PRIMARY_FIT: dict[str, frozenset[str]] = {
    LossKind.MONEY: frozenset({K.REFUND_FULL, K.REFUND_PARTIAL, K.GIFT_CARD}),
    LossKind.FAULTY_PRODUCT: frozenset({K.RETURN_EXCHANGE, K.REFUND_FULL}),
    LossKind.FAILED_SERVICE: frozenset({K.COMPLIMENTARY, K.REFUND_PARTIAL, K.UPGRADE}),
    LossKind.IGNORED: frozenset({K.HANDWRITTEN_NOTE, K.EXPERT_TIME}),
    LossKind.TIME: frozenset({K.EXPEDITED_SHIPPING, K.EXPERT_TIME, K.COMPLIMENTARY}),
}
SECONDARY_FIT: dict[str, frozenset[str]] = {
    LossKind.MONEY: frozenset({K.COUPON, K.LOYALTY_POINTS}),
    LossKind.FAULTY_PRODUCT: frozenset({K.EXPEDITED_SHIPPING, K.REFUND_PARTIAL, K.UPGRADE, K.COUPON, K.GIFT_CARD}),
    LossKind.FAILED_SERVICE: frozenset({K.COUPON, K.REFUND_FULL, K.GIFT_CARD, K.LOYALTY_POINTS, K.HANDWRITTEN_NOTE}),
    LossKind.IGNORED: frozenset({K.COMPLIMENTARY, K.UPGRADE, K.LOYALTY_POINTS}),
    LossKind.TIME: frozenset({K.COUPON, K.LOYALTY_POINTS, K.UPGRADE, K.REFUND_PARTIAL}),
}

FEELING_AFFINITY: dict[str, frozenset[str]] = {
    Feeling.ANGRY: frozenset({K.REFUND_FULL, K.REFUND_PARTIAL, K.EXPEDITED_SHIPPING}),
    Feeling.FRUSTRATED: frozenset({K.EXPEDITED_SHIPPING, K.RETURN_EXCHANGE, K.REFUND_PARTIAL}),
    Feeling.DISAPPOINTED: frozenset({K.HANDWRITTEN_NOTE, K.COMPLIMENTARY, K.UPGRADE}),
    Feeling.SAD: frozenset({K.HANDWRITTEN_NOTE, K.COMPLIMENTARY}),
    Feeling.ANXIOUS: frozenset({K.EXPERT_TIME, K.EXPEDITED_SHIPPING, K.REFUND_FULL}),
    Feeling.SCARED: frozenset({K.EXPERT_TIME, K.REFUND_FULL}),
    Feeling.CONFUSED: frozenset({K.EXPERT_TIME}),
}

EXPECTATION_WORDS: dict[str, tuple[str, ...]] = {
    K.REFUND_FULL: ("full refund", "money back", "refund", "reimburse", "my money"),
    K.REFUND_PARTIAL: ("partial refund", "part of", "some money", "discount on", "knock off"),
    K.COUPON: ("coupon", "voucher", "discount", "promo"),
    K.COMPLIMENTARY: ("free", "on the house", "complimentary", "comp", "redo", "again"),
    K.UPGRADE: ("upgrade", "better room", "premium", "suite"),
    K.EXPEDITED_SHIPPING: ("fast", "quick", "asap", "urgent", "express", "tomorrow", "by friday", "overnight"),
    K.RETURN_EXCHANGE: ("replace", "replacement", "exchange", "swap", "new one", "return"),
    K.GIFT_CARD: ("gift card", "store credit", "credit"),
    K.LOYALTY_POINTS: ("points", "miles", "loyalty", "rewards"),
    K.EXPERT_TIME: ("call me", "speak", "talk", "manager", "expert", "someone", "explain", "help me"),
    K.HANDWRITTEN_NOTE: ("apolog", "sorry", "acknowledge", "respect", "admit"),
}
EXPECTATION_RE = {
    kind: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)
    for kind, words in EXPECTATION_WORDS.items()
}
