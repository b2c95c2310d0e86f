"""Three options: alternatives the employee can grant right now when the customer asks for more.

The ranking follows what compensation research found, as named components of one score
(`WEIGHTS`); every option carries its components, so the screen can say why it was chosen.

- `loss_fit` (x3): the remedy matches the kind of loss. Money lost → money back; a faulty product
  → exchange or replacement; a failed service → redo or comp; being ignored → attention (an
  apology in writing, time with an expert). 1 for a primary fit (the remedy's own `loss_kinds`,
  or `research.PRIMARY_FIT`), ½ for a secondary one (`research.SECONDARY_FIT`), 0 otherwise.
- `value_per_cost` (x1): value to the customer per unit of cost, as log2(1 + ratio), the ratio
  capped at `entries.RATIO_CEILING` (a free remedy counts as the ceiling). Doubling the ratio adds about
  one point, so a cheap gesture cannot outrank a fitting remedy by ratio alone.
- `restores_loss` (x2): the share of the sizing target the option restores (0…1). Money remedies
  are sized near 100% of the loss; above it, to at most ~150%, only when the failure was severe,
  clearly the business's fault or a repeat for this customer (`sizing_for`); more buys no extra
  loyalty, so value above the target earns nothing and value above the cap is not offered.
- `immediate` (x1): the customer gets it now rather than in days.
- `no_effort` (x1): it costs the customer no further effort (1), a little (½) or real effort (0).
- `asked_for` (x1.5): the customer asked for this kind, in their demand or their stated
  expectation (`research.EXPECTATION_WORDS`).
- `feeling` (x0.5): the kind answers the feeling named (or detected): anger wants it put right
  now, anxiety wants certainty and a person, disappointment wants a gesture
  (`research.FEELING_AFFINITY`).

Hard rules, not scores: an option is within the employee's remaining authority (cost ≤ what is
left on the case, today and this month), allowed for their role, active, allowed on the case's
channel, under its most-per-case, never worth less than the customer's stated minimum, and, for
money remedies and every variable one, never worth more than the sizing cap. The three options
are of different kinds: the best remedy of each kind competes, and the top three kinds win.

Scores are unitless floats used only for ordering; money stays Decimal throughout.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from makegood import money
from makegood.remedies.entries import CatalogEntry, cost_and_value, round_down, round_up
from makegood.remedies.models import Effort, RemedyKind
from makegood.remedies.research import (
    EXPECTATION_RE,
    FEELING_AFFINITY,
    MONEY_KINDS,
    PRIMARY_FIT,
    SECONDARY_FIT,
)

K = RemedyKind
OPTION_COUNT = 3

WEIGHTS: dict[str, float] = {
    "loss_fit": 3.0,
    "value_per_cost": 1.0,
    "restores_loss": 2.0,
    "immediate": 1.0,
    "no_effort": 1.0,
    "asked_for": 1.5,
    "feeling": 0.5,
}
EFFORT_CREDIT: dict[str, float] = {Effort.NONE: 1.0, Effort.LOW: 0.5, Effort.HIGH: 0.0}

# Sizing: the target is the loss times a factor; 1.25 / 1.40 / 1.50 with one, two or three
# aggravating circumstances (severe, business at fault, repeat failure), else 1.00. The cap is
# 10 points above the target (never above 150%): "near 100%" tolerates a fixed remedy a little over.
GENEROSITY = (Decimal("1.00"), Decimal("1.25"), Decimal("1.40"), Decimal("1.50"))
CAP_MARGIN = Decimal("0.10")
MAX_FACTOR = Decimal("1.50")


def loss_fit(entry: CatalogEntry, loss_kind: str) -> float:
    """1 for a primary fit (the remedy's own `loss_kinds`, else `PRIMARY_FIT`), ½ secondary, else 0."""
    if not loss_kind:
        return 0.0
    if entry.loss_kinds:
        primary = loss_kind in entry.loss_kinds
    else:
        primary = entry.kind in PRIMARY_FIT.get(loss_kind, frozenset())
    if primary:
        return 1.0
    return 0.5 if entry.kind in SECONDARY_FIT.get(loss_kind, frozenset()) else 0.0


def static_components(entry: CatalogEntry) -> dict[str, float]:
    """The components that depend on the remedy alone."""
    return {
        "value_per_cost": WEIGHTS["value_per_cost"] * math.log2(1.0 + entry.ratio),
        "immediate": WEIGHTS["immediate"] * (1.0 if entry.immediate else 0.0),
        "no_effort": WEIGHTS["no_effort"] * EFFORT_CREDIT.get(entry.effort, 0.0),
    }


class Catalog:
    """Entries grouped by kind, each group sorted by the best score it could reach for a loss kind.

    That order lets the search stop early (`best_per_kind`): once an entry's upper bound is below
    the best found in its kind, no later entry can win.
    """

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: list[CatalogEntry] = list(entries)
        self.by_kind: dict[str, list[CatalogEntry]] = {}
        self._static: dict[int, dict[str, float]] = {}
        self._static_total: dict[int, float] = {}
        for entry in self.entries:
            self.by_kind.setdefault(entry.kind, []).append(entry)
            components = static_components(entry)
            self._static[entry.id] = components
            self._static_total[entry.id] = sum(components.values())
        self._ordered: dict[tuple[str, str], list[tuple[float, CatalogEntry]]] = {}

    def static(self, entry: CatalogEntry) -> dict[str, float]:
        return self._static[entry.id]

    def ordered(self, kind: str, loss_kind: str) -> list[tuple[float, CatalogEntry]]:
        """(upper bound without kind-level bonuses, entry), best first."""
        key = (kind, loss_kind)
        if key not in self._ordered:
            bounded = [
                (
                    self._static_total[e.id] + WEIGHTS["loss_fit"] * loss_fit(e, loss_kind) + WEIGHTS["restores_loss"],
                    e,
                )
                for e in self.by_kind.get(kind, [])
            ]
            bounded.sort(key=lambda pair: -pair[0])
            self._ordered[key] = bounded
        return self._ordered[key]


# Sizing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizing:
    """How much compensation the loss calls for: a target, a cap, and the customer's minimum."""

    loss: Decimal | None
    factor: Decimal
    target: Decimal | None
    cap: Decimal | None
    minimum: Decimal | None
    aggravating: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def s(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return {
            "loss": s(self.loss),
            "factor": str(self.factor),
            "target": s(self.target),
            "cap": s(self.cap),
            "minimum": s(self.minimum),
            "aggravating": list(self.aggravating),
        }


def sizing_for(
    *,
    currency: str,
    loss: Decimal | None,
    severe: bool = False,
    at_fault: bool = False,
    repeat: bool = False,
    minimum: Decimal | None = None,
) -> Sizing:
    """Target near 100% of the loss; up to 150% only for severe, at-fault or repeat failures.

    The customer's stated minimum lifts both target and cap: an option is never a worse deal.
    Both are rounded down to the currency's smallest unit.
    """
    aggravating = tuple(
        name
        for name, present in (("severe", severe), ("business at fault", at_fault), ("repeat failure", repeat))
        if present
    )
    factor = GENEROSITY[len(aggravating)]
    target: Decimal | None = None
    cap: Decimal | None = None
    if loss is not None and loss > 0:
        target = round_down(loss * factor, currency)
        cap = round_down(loss * min(MAX_FACTOR, factor + CAP_MARGIN), currency)
    if minimum is not None:
        target = max(target, minimum) if target is not None else minimum
        cap = max(cap, minimum) if cap is not None else None
    return Sizing(loss=loss, factor=factor, target=target, cap=cap, minimum=minimum, aggravating=aggravating)


def kind_bonuses(*, expectation: str = "", feeling: str = "", demand_kind: str = "") -> dict[str, dict[str, float]]:
    """The kind-level components: what the customer asked for, and what their feeling calls for."""
    bonuses: dict[str, dict[str, float]] = {}
    for kind in K.values:
        asked = kind == demand_kind or bool(expectation and EXPECTATION_RE[kind].search(expectation))
        felt = kind in FEELING_AFFINITY.get(feeling, frozenset())
        bonuses[kind] = {
            "asked_for": WEIGHTS["asked_for"] if asked else 0.0,
            "feeling": WEIGHTS["feeling"] if felt else 0.0,
        }
    return bonuses


# Evaluating and ranking -------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Everything about the case, the employee and the demand that the ranking needs."""

    currency: str
    channel: str
    allowed_kinds: frozenset[str]
    max_cost: Decimal
    loss_kind: str
    sizing: Sizing
    granted_counts: Mapping[int, int] = field(default_factory=dict)
    bonuses: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    remedy_type_id: int
    kind: str
    name: str
    amount: Decimal | None
    cost: Decimal
    value: Decimal
    currency: str
    immediate: bool
    effort: str
    needs_order_reference: bool
    score: float
    components: Mapping[str, float]

    @property
    def sort_key(self) -> tuple[float, Decimal, Decimal, int]:
        """Best first: higher score, then cheaper, then worth more, then the older remedy."""
        return (-self.score, self.cost, -self.value, self.remedy_type_id)

    @property
    def kind_label(self) -> str:
        return str(K(self.kind).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "remedy_type_id": self.remedy_type_id,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "name": self.name,
            "amount": money.as_text(self.amount, self.currency),
            "cost": money.as_text(self.cost, self.currency),
            "value": money.as_text(self.value, self.currency),
            "currency": self.currency,
            "immediate": self.immediate,
            "effort": self.effort,
            "needs_order_reference": self.needs_order_reference,
            "score": round(self.score, 4),
            "components": {name: round(v, 4) for name, v in self.components.items()},
        }


def _size_variable(entry: CatalogEntry, ctx: Context) -> tuple[Decimal, Decimal, Decimal] | str:
    """(amount, cost, value) for a variable remedy, or why it cannot be offered.

    The amount aims at the sizing target and is held within the catalog's range, at or above
    the customer's minimum, within the employee's authority and at or below the cap.
    """
    assert entry.min_amount is not None and entry.max_amount is not None
    sizing = ctx.sizing
    currency = entry.currency
    lo, hi = entry.min_amount, entry.max_amount
    vpu, cpu = entry.value_per_unit, entry.cost_per_unit
    if entry.kind == K.REFUND_FULL:
        # A full refund is the loss, no more and no less.
        if sizing.loss is None:
            return "needs_loss"
        if not lo <= sizing.loss <= hi:
            return "range"
        lo = hi = sizing.loss
    if sizing.minimum is not None:
        if vpu <= 0:
            return "minimum"
        lo = max(lo, round_up(sizing.minimum / vpu, currency))
        if lo > hi:
            return "minimum"
    if cpu > 0:
        hi_cost = round_down(ctx.max_cost / cpu, currency)
        if lo > hi_cost:
            return "authority"
        hi = min(hi, hi_cost)
    if sizing.cap is not None and vpu > 0:
        hi_cap = round_down(sizing.cap / vpu, currency)
        if lo > hi_cap:
            return "cap"
        hi = min(hi, hi_cap)
    wanted = round_up(sizing.target / vpu, currency) if sizing.target is not None and vpu > 0 else lo
    amount = _round_for_people(min(max(wanted, lo), hi), lo, hi, currency)
    cost, value = cost_and_value(entry, amount)
    return amount, cost, value


def _round_for_people(amount: Decimal, lo: Decimal, hi: Decimal, currency: str) -> Decimal:
    """A coupon of 32.00, not 31.58: whole units from 10 up, rounded up (restoring the whole
    target) when that stays within [lo, hi], else down. (A currency without decimals is whole
    already.)"""
    if amount < 10 or amount == amount.to_integral_value():
        return amount
    up = money.quantize(amount.to_integral_value(rounding=ROUND_CEILING), currency)
    if up <= hi:
        return up
    down = money.quantize(amount.to_integral_value(rounding=ROUND_FLOOR), currency)
    return down if down >= lo else amount


def _gate(entry: CatalogEntry, ctx: Context) -> str:
    """The checks every grant must pass whatever its amount ("" when it passes)."""
    if entry.currency != ctx.currency:
        return "currency"
    if entry.kind not in ctx.allowed_kinds:
        return "not_allowed"
    if entry.channels and ctx.channel not in entry.channels:
        return "channel"
    if entry.max_per_case is not None and ctx.granted_counts.get(entry.id, 0) >= entry.max_per_case:
        return "max_per_case"
    return ""


def _option(
    entry: CatalogEntry, ctx: Context, amount: Decimal | None, cost: Decimal, value: Decimal, catalog: Catalog | None
) -> Option:
    components = dict(catalog.static(entry) if catalog is not None else static_components(entry))
    components["loss_fit"] = WEIGHTS["loss_fit"] * loss_fit(entry, ctx.loss_kind)
    target = ctx.sizing.target
    restored = float(min(value, target) / target) if target is not None and target > 0 else 0.0
    components["restores_loss"] = WEIGHTS["restores_loss"] * restored
    components.update(ctx.bonuses.get(entry.kind, {}))
    return Option(
        remedy_type_id=entry.id,
        kind=entry.kind,
        name=entry.name,
        amount=amount,
        cost=cost,
        value=value,
        currency=entry.currency,
        immediate=entry.immediate,
        effort=entry.effort,
        needs_order_reference=entry.needs_order_reference,
        score=sum(components.values()),
        components=components,
    )


def evaluate(entry: CatalogEntry, ctx: Context, catalog: Catalog | None = None) -> Option | str:
    """The option this remedy makes for this case and employee, or why it makes none."""
    refused = _gate(entry, ctx)
    if refused:
        return refused
    sizing = ctx.sizing
    amount: Decimal | None = None
    if entry.is_variable:
        sized = _size_variable(entry, ctx)
        if isinstance(sized, str):
            return sized
        amount, cost, value = sized
    else:
        cost, value = entry.cost, entry.value
        if cost > ctx.max_cost:
            return "authority"
        if sizing.minimum is not None and value < sizing.minimum:
            return "minimum"
        if sizing.cap is not None and entry.kind in MONEY_KINDS and value > sizing.cap:
            return "cap"
    return _option(entry, ctx, amount, cost, value, catalog)


def evaluate_at(entry: CatalogEntry, ctx: Context, amount: Decimal | None) -> Option | str:
    """This remedy at exactly `amount` (what the customer demanded): can it be granted now?"""
    refused = _gate(entry, ctx)
    if refused:
        return refused
    if entry.is_variable:
        if amount is None:
            return "needs_loss"
        assert entry.min_amount is not None and entry.max_amount is not None
        if not entry.min_amount <= amount <= entry.max_amount:
            return "range"
    else:
        amount = None
    cost, value = cost_and_value(entry, amount)
    if cost > ctx.max_cost:
        return "authority"
    return _option(entry, ctx, amount, cost, value, None)


@dataclass
class Ranking:
    options: list[Option]
    best_per_kind: dict[str, Option]
    exclusions: dict[str, Counter[str]]  # kind -> reason -> how many remedies


def best_per_kind(catalog: Catalog, ctx: Context) -> Ranking:
    """The best option of every kind, searched best-bound first with an early stop (exact)."""
    best: dict[str, Option] = {}
    exclusions: dict[str, Counter[str]] = {}
    for kind in catalog.by_kind:
        if kind not in ctx.allowed_kinds:
            exclusions[kind] = Counter({"not_allowed": len(catalog.by_kind[kind])})
            continue
        bonus = sum(ctx.bonuses.get(kind, {}).values())
        found: Option | None = None
        reasons: Counter[str] = Counter()
        for bound, entry in catalog.ordered(kind, ctx.loss_kind):
            # Strictly below: an entry that could tie still runs, for the tie-break.
            if found is not None and bound + bonus + 1e-9 < found.score:
                break
            result = evaluate(entry, ctx, catalog)
            if isinstance(result, str):
                reasons[result] += 1
            elif found is None or result.sort_key < found.sort_key:
                found = result
        if found is not None:
            best[kind] = found
        else:
            exclusions[kind] = reasons
    ranked = sorted(best.values(), key=lambda o: o.sort_key)
    return Ranking(options=ranked[:OPTION_COUNT], best_per_kind=best, exclusions=exclusions)


def rank_exhaustively(entries: Iterable[CatalogEntry], ctx: Context) -> list[Option]:
    """The same ranking by brute force (every remedy evaluated); the tests check they agree."""
    best: dict[str, Option] = {}
    for entry in entries:
        result = evaluate(entry, ctx)
        if isinstance(result, Option) and (entry.kind not in best or result.sort_key < best[entry.kind].sort_key):
            best[entry.kind] = result
    return sorted(best.values(), key=lambda o: o.sort_key)[:OPTION_COUNT]
