"""Why fewer than three options: the reasons, in words for the employee."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from makegood.money import money_format
from makegood.remedies.models import RemedyKind
from makegood.remedies.options import OPTION_COUNT, Context, Ranking

K = RemedyKind

# Why a remedy was left out, most useful to the employee first.
EXCLUSION_ORDER = (
    "authority",
    "minimum",
    "cap",
    "max_per_case",
    "channel",
    "needs_loss",
    "range",
    "currency",
    "not_allowed",
)


def _kinds_text(kinds: Iterable[str]) -> str:
    labels = [str(K(k).label).lower() for k in sorted(kinds)]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def explain_shortfall(ranking: Ranking, ctx: Context, *, left_text: str) -> str:
    """Why fewer than three options, in words for the employee (empty when there are three)."""
    count = len(ranking.options)
    if count >= OPTION_COUNT:
        return ""
    by_reason: dict[str, set[str]] = {}
    for kind, reasons in ranking.exclusions.items():
        if not reasons:
            continue
        main = min(reasons, key=lambda r: EXCLUSION_ORDER.index(r) if r in EXCLUSION_ORDER else 99)
        by_reason.setdefault(main, set()).add(kind)
    sizing = ctx.sizing

    def money(amount: Decimal | None) -> str:
        return money_format(amount or Decimal(0), ctx.currency)

    sentences = {
        "authority": lambda ks: f"{_kinds_text(ks)}: beyond your remaining authority ({left_text}).",
        "minimum": lambda ks: (
            f"{_kinds_text(ks)}: cannot reach the customer's minimum of {money(sizing.minimum)} within your authority."
        ),
        "cap": lambda ks: f"{_kinds_text(ks)}: worth more than {money(sizing.cap)}, more than this loss calls for.",
        "max_per_case": lambda ks: f"{_kinds_text(ks)}: already granted on this case as often as allowed.",
        "channel": lambda ks: f"{_kinds_text(ks)}: not available on this channel.",
        "needs_loss": lambda ks: f"{_kinds_text(ks)}: record the loss amount on the case first.",
        "range": lambda ks: f"{_kinds_text(ks)}: outside the amounts the catalog allows.",
        "currency": lambda ks: f"{_kinds_text(ks)}: priced in another currency.",
        "not_allowed": lambda ks: f"{_kinds_text(ks)}: not allowed for your role.",
    }
    parts = [
        "No remedy fits right now."
        if count == 0
        else f"Only {count} kind{'s' if count > 1 else ''} of remedy fit{'s' if count == 1 else ''} right now."
    ]
    for reason in EXCLUSION_ORDER:
        if reason in by_reason:
            text = sentences[reason](by_reason[reason])
            parts.append(text[0].upper() + text[1:])
    available = len(ranking.best_per_kind) + len(ranking.exclusions)
    if available < OPTION_COUNT:
        parts.append(f"The catalog has only {available} kind{'s' if available != 1 else ''} of remedy.")
    parts.append("Offer what fits; if the customer declines, escalate to a manager.")
    return " ".join(parts)
