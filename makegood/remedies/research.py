"""What compensation research found, as the tables the ranking reads (`options.py`).

Match the remedy to the loss: money lost wants money back; a faulty product an exchange or a
replacement; a failed service a redo or a comp; being ignored wants attention (an apology in
writing, a person's time). Feelings and the customer's own words say which kind they hope for.

And put it right first: fix the problem (redo or repair the failed service, replace or repair the
faulty item, reverse the wrong charge, deliver what never came), *then* give something extra for
the sense of injustice. `RESTITUTION_FIT` says which restitution puts each kind of loss right;
time lost and being treated badly cannot be given back, so they have none.
"""

from __future__ import annotations

import re

from makegood.cases.models import Feeling, LossKind
from makegood.remedies.models import RemedyKind

K = RemedyKind

# Money (and money-like) remedies are sized to the loss and capped; the others are gestures.
MONEY_KINDS = frozenset({K.REFUND_FULL, K.REFUND_PARTIAL, K.COUPON, K.GIFT_CARD, K.LOYALTY_POINTS, K.REVERSE_CHARGE})

# The restitution that restores each kind of loss (a remedy type's own `loss_kinds` say it instead).
# Money taken wrongly (twice, above the quote, a refund owed) goes back as the charge reversed; what
# never came is delivered again or refunded; for a failed service the customer needs the service
# done right, and money back for it is compensation, as it is for a faulty item that can be
# repaired or replaced.
RESTITUTION_FIT: dict[str, frozenset[str]] = {
    LossKind.MONEY: frozenset({K.REVERSE_CHARGE}),
    LossKind.FAULTY_PRODUCT: frozenset({K.REPAIR, K.RETURN_EXCHANGE}),
    LossKind.FAILED_SERVICE: frozenset({K.REDO_SERVICE, K.REPAIR}),
    LossKind.TIME: frozenset({K.REDELIVER, K.REFUND_FULL}),
    LossKind.IGNORED: frozenset(),
}

PRIMARY_FIT: dict[str, frozenset[str]] = {
    LossKind.MONEY: frozenset({K.REFUND_FULL, K.REFUND_PARTIAL, K.GIFT_CARD, K.REVERSE_CHARGE}),
    LossKind.FAULTY_PRODUCT: frozenset({K.RETURN_EXCHANGE, K.REFUND_FULL, K.REPAIR}),
    LossKind.FAILED_SERVICE: frozenset({K.COMPLIMENTARY, K.REFUND_PARTIAL, K.UPGRADE, K.REDO_SERVICE, K.REPAIR}),
    LossKind.IGNORED: frozenset({K.HANDWRITTEN_NOTE, K.EXPERT_TIME}),
    LossKind.TIME: frozenset({K.EXPEDITED_SHIPPING, K.EXPERT_TIME, K.COMPLIMENTARY, K.REDELIVER}),
}
SECONDARY_FIT: dict[str, frozenset[str]] = {
    LossKind.MONEY: frozenset({K.COUPON, K.LOYALTY_POINTS}),
    LossKind.FAULTY_PRODUCT: frozenset({K.EXPEDITED_SHIPPING, K.REFUND_PARTIAL, K.UPGRADE, K.COUPON, K.GIFT_CARD}),
    LossKind.FAILED_SERVICE: frozenset(
        {K.COUPON, K.REFUND_FULL, K.GIFT_CARD, K.LOYALTY_POINTS, K.HANDWRITTEN_NOTE, K.REDELIVER}
    ),
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
    K.REDO_SERVICE: ("redo", "again", "properly", "fix it", "fixed", "service it", "rebook"),
    K.REPAIR: ("repair", "fix", "mend"),
    K.REVERSE_CHARGE: ("charged twice", "double charge", "duplicate", "overcharg", "second charge", "difference"),
    K.REDELIVER: ("send it again", "resend", "deliver", "re-send", "ship it"),
}
EXPECTATION_RE = {
    kind: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)
    for kind, words in EXPECTATION_WORDS.items()
}
