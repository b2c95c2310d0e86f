"""The catalog as the ranking sees it: immutable entries read once from the database, and the
money rounding every grant uses (cost rounded up, value rounded down, to the currency's smallest
unit: the cent, the yen, the fils)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from makegood import money
from makegood.remedies.models import RemedyType

# Value per unit of cost beyond this counts as this (a free remedy counts as this too).
RATIO_CEILING = 15.0


def round_down(amount: Decimal, currency: str) -> Decimal:
    """Down to the currency's smallest unit (what a customer is promised is never rounded up)."""
    return money.quantize(amount, currency, ROUND_FLOOR)


def round_up(amount: Decimal, currency: str) -> Decimal:
    """Up to the currency's smallest unit (what authority is charged is never rounded down)."""
    return money.quantize(amount, currency, ROUND_CEILING)


def cost_and_value(remedy: RemedyType | CatalogEntry, amount: Decimal | None) -> tuple[Decimal, Decimal]:
    """What a grant costs us (rounded up: authority is never undercounted) and is worth (rounded down)."""
    if not remedy.is_variable or amount is None:
        return Decimal(remedy.cost), Decimal(remedy.value)
    currency = remedy.currency
    return (
        round_up(amount * Decimal(remedy.cost_per_unit), currency),
        round_down(amount * Decimal(remedy.value_per_unit), currency),
    )


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: int
    kind: str
    name: str
    currency: str
    is_variable: bool
    cost: Decimal
    value: Decimal
    cost_per_unit: Decimal
    value_per_unit: Decimal
    min_amount: Decimal | None
    max_amount: Decimal | None
    max_per_case: int | None
    needs_order_reference: bool
    channels: frozenset[str]
    immediate: bool
    effort: str
    loss_kinds: frozenset[str]
    purpose: str = "compensation"

    @property
    def restores(self) -> bool:
        """A restitution remedy (what it is; whether it matches a case's loss is `scores.restitution_fits`)."""
        return self.purpose == "restitution"

    @property
    def ratio(self) -> float:
        """Value to the customer per unit of cost (a free remedy: the ceiling)."""
        cost, value = (self.cost_per_unit, self.value_per_unit) if self.is_variable else (self.cost, self.value)
        if cost <= 0:
            return RATIO_CEILING if value > 0 else 0.0
        return min(RATIO_CEILING, float(value) / float(cost))

    @classmethod
    def from_remedy(cls, remedy: RemedyType) -> CatalogEntry:
        return cls(
            id=remedy.pk,
            kind=remedy.kind,
            name=remedy.name,
            currency=remedy.currency,
            is_variable=remedy.is_variable,
            cost=Decimal(remedy.cost),
            value=Decimal(remedy.value),
            cost_per_unit=Decimal(remedy.cost_per_unit),
            value_per_unit=Decimal(remedy.value_per_unit),
            min_amount=remedy.min_amount,
            max_amount=remedy.max_amount,
            max_per_case=remedy.max_per_case,
            needs_order_reference=remedy.needs_order_reference,
            channels=frozenset(remedy.channels or ()),
            immediate=remedy.immediate,
            effort=remedy.effort,
            loss_kinds=frozenset(remedy.loss_kinds or ()),
            purpose=remedy.purpose,
        )


ENTRY_FIELDS = (
    "id",
    "kind",
    "name",
    "currency",
    "is_variable",
    "cost",
    "value",
    "cost_per_unit",
    "value_per_unit",
    "min_amount",
    "max_amount",
    "max_per_case",
    "needs_order_reference",
    "channels",
    "immediate",
    "effort",
    "loss_kinds",
    "purpose",
)


def entry_from_row(row: Sequence[Any]) -> CatalogEntry:
    """From a `values_list(*ENTRY_FIELDS)` row."""
    values = dict(zip(ENTRY_FIELDS, row, strict=True))
    currency = values["currency"]
    if money.is_currency(currency):
        # The columns hold four decimals; the amounts have their currency's (as RemedyType reads them).
        for key in ("cost", "value", "min_amount", "max_amount"):
            if values[key] is not None:
                values[key] = money.quantize(values[key], currency)
    values["channels"] = frozenset(values["channels"] or ())
    values["loss_kinds"] = frozenset(values["loss_kinds"] or ())
    return CatalogEntry(**values)
