"""How remedies are put to people: one-line reasons for the options, what an approval can be
delivered as, and report rows as CSV. Shared by the screens and the API; nothing here writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from makegood import money as amounts
from makegood.cases.models import Case, Feeling, LossKind
from makegood.remedies.authority import money
from makegood.remedies.entries import cost_and_value
from makegood.remedies.models import Authorization, RemedyKind, RemedyType
from makegood.remedies.scores import WEIGHTS

# A component counts as a reason when it earns at least this share of its weight.
_STRONG = 0.5


def _share(components: Mapping[str, float], name: str) -> float:
    weight = WEIGHTS.get(name, 0.0)
    return float(components.get(name, 0.0)) / weight if weight else 0.0


def option_reason(option: Mapping[str, Any], *, case: Case) -> str:
    """Why this option, in one line for the employee: "Fits a faulty product; restores all the loss
    calls for; theirs at once, no effort for them." Built from the option's own score components
    (`scores.WEIGHTS`), so it says what the ranking actually weighed: its two strongest reasons,
    then how soon and how easily the customer gets it."""
    components: Mapping[str, float] = option.get("components") or {}
    reasons: list[str] = []
    fit = _share(components, "loss_fit")
    if case.loss_kind and fit >= 1.0:
        reasons.append(f"fits {_loss_words(case.loss_kind)}")
    elif case.loss_kind and fit >= _STRONG:
        reasons.append(f"suits {_loss_words(case.loss_kind)}")
    restored = _share(components, "restores_loss")
    if restored >= 0.995:
        reasons.append("restores all the loss calls for")
    elif restored >= 0.1:
        reasons.append(f"restores {round(restored * 100)}% of what the loss calls for")
    if components.get("asked_for", 0.0) > 0:
        reasons.append("the kind the customer asked for")
    if components.get("feeling", 0.0) > 0:
        feeling = case.feeling or case.detected_feeling
        label = Feeling(feeling).label.lower() if feeling in Feeling.values else "their feeling"
        reasons.append(f"answers how they feel ({label})")
    value, cost = Decimal(str(option.get("value", "0"))), Decimal(str(option.get("cost", "0")))
    if cost > 0 and value >= 2 * cost:
        reasons.append(f"worth {value / cost:.1f}x its cost to them")
    elif cost == 0 and value > 0:
        reasons.append("costs us nothing")
    delivery = "theirs at once" if option.get("immediate") else "takes a few days"
    effort = {"none": "no effort for them", "low": "little effort for them"}.get(str(option.get("effort")), "")
    parts = [*reasons[:2], f"{delivery}, {effort}" if effort else delivery]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _loss_words(loss_kind: str) -> str:
    words: dict[str, str] = {
        LossKind.MONEY: "money lost",
        LossKind.FAULTY_PRODUCT: "a faulty product",
        LossKind.FAILED_SERVICE: "a failed service",
        LossKind.IGNORED: "being ignored",
        LossKind.TIME: "time lost",
    }
    return words.get(loss_kind, "the loss")


def options_shown(options: Sequence[Mapping[str, Any]], *, case: Case) -> list[dict[str, Any]]:
    """An offer's options (its snapshot) with their index, money written out and their reason."""
    shown = []
    for index, option in enumerate(options):
        currency = str(option.get("currency", ""))
        amount = option.get("amount")
        shown.append(
            {
                **option,
                "index": index,
                "amount_text": money(Decimal(str(amount)), currency) if amount is not None else "",
                "value_text": money(Decimal(str(option.get("value", "0"))), currency),
                "cost_text": money(Decimal(str(option.get("cost", "0"))), currency),
                "reason": option_reason(option, case=case),
            }
        )
    return shown


# Delivering a manager's approval ------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryChoice:
    """A remedy that delivers an approval: its type, the amount to grant, and what it costs."""

    remedy_type: RemedyType
    amount: Decimal | None
    cost: Decimal
    value: Decimal

    @property
    def label(self) -> str:
        name = self.remedy_type.name
        if self.amount is not None:
            name += f" of {money(self.amount, self.remedy_type.currency)}"
        return name


def delivery_choices(authorization: Authorization, *, channel: str = "") -> list[DeliveryChoice]:
    """The remedies the employee can grant under this approval, the likeliest first.

    The approved remedy itself when the manager named one; else every active remedy of the
    approved kind (or any money remedy for an amount alone) at the largest amount approved,
    within the approved cost. `remedy_grant` checks all of it again.
    """
    if authorization.remedy_type_id is not None:
        candidates: Iterable[RemedyType] = RemedyType.objects.filter(pk=authorization.remedy_type_id, active=True)
    else:
        candidates = RemedyType.objects.filter(active=True, currency=authorization.currency)
        if authorization.remedy_kind:
            candidates = candidates.filter(kind=authorization.remedy_kind)
        else:
            candidates = candidates.filter(kind__in=[RemedyKind.REFUND_PARTIAL, RemedyKind.REFUND_FULL])
    choices = []
    for remedy in candidates:
        if channel and not remedy.allows_channel(channel):
            continue
        amount: Decimal | None = None
        if remedy.is_variable:
            assert remedy.min_amount is not None and remedy.max_amount is not None
            amount = authorization.max_amount if authorization.max_amount is not None else remedy.max_amount
            amount = min(amount, remedy.max_amount)
            if amount < remedy.min_amount:
                continue
        cost, value = cost_and_value(remedy, amount)
        if cost <= authorization.max_cost:
            choices.append(DeliveryChoice(remedy_type=remedy, amount=amount, cost=cost, value=value))
    # The most valuable to the customer first: the manager approved it, so give all of it.
    return sorted(choices, key=lambda c: (-c.value, c.cost, c.remedy_type.pk))


def authorization_text(authorization: Authorization) -> str:
    """What the manager approved, in words: "Full refund up to USD 120.00"."""
    if authorization.remedy_type is not None:
        what = authorization.remedy_type.name
    elif authorization.remedy_kind:
        what = str(RemedyKind(authorization.remedy_kind).label)
    else:
        what = "Money back"
    if authorization.max_amount is not None:
        what += f" up to {money(authorization.max_amount, authorization.currency)}"
    return what


# CSV --------------------------------------------------------------------------------------------

# Spreadsheets run cells that start with these as formulas (names are typed by people).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def rows_to_csv(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, *, money: Iterable[str] = ()
) -> str:
    """Flat report rows as CSV text: a header row (even when empty), `money` columns as exact
    decimals with their row's currency's decimals (`12.50`, `1200`, `1.250`; SQLite sums come back
    as `12.5`)."""
    columns = list(columns or (rows[0].keys() if rows else []))
    in_cents = set(money)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if column in in_cents and value is not None and value != "":
                value = amounts.as_text(Decimal(value), str(row.get("currency") or ""))
            cells.append(_cell(value))
        writer.writerow(cells)
    return out.getvalue()
