"""Three options: alternatives the employee can grant right now when the customer asks for more.

How each is scored is `scores.py` (`WEIGHTS`: every option carries its components, so the screen
can say why it was chosen); how much the loss calls for is `sizing.py`.

Restore first: when the case's loss is not yet put right, the first option is the restitution
that fits it (`research.RESTITUTION_FIT`: redo the failed service, repair or replace the faulty
item, reverse the wrong charge, deliver again), sized to the loss still to restore and granted
within the case's restitution limit, not the caps; the others are compensation for the trouble,
sized to what the loss calls for beyond what was restored. Restitution is never offered as
compensation (a second replacement is not a gesture).

Hard rules, not scores: an option is within the employee's remaining authority (cost ≤ what is
left on the case, today and this month), allowed for their role, active, allowed on the case's
channel, under its most-per-case, never worth less than the customer's stated minimum, and, for
money remedies and every variable one, never worth more than the sizing cap. The three options
are of different kinds: the best remedy of each kind competes, and the top three kinds win.

Scores are unitless floats used only for ordering; money stays Decimal throughout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from makegood import money
from makegood.remedies.entries import CatalogEntry, cost_and_value, round_down, round_up
from makegood.remedies.models import Purpose, RemedyKind
from makegood.remedies.research import (
    MONEY_KINDS,
)
from makegood.remedies.scores import WEIGHTS, Catalog, loss_fit, restitution_fits, static_components
from makegood.remedies.sizing import Sizing

K = RemedyKind
OPTION_COUNT = 3


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
    # What restitution may still restore on the case without touching the caps (0: nothing to
    # restore, the loss is restored, or it has no amount to match).
    restitution_left: Decimal = Decimal(0)

    @property
    def restore_first(self) -> bool:
        return self.restitution_left > 0


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
    purpose: str = Purpose.COMPENSATION

    @property
    def restores(self) -> bool:
        """Granted as restitution: within the case's loss, not charged to the caps."""
        return self.purpose == Purpose.RESTITUTION

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
            "purpose": str(self.purpose),
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
    entry: CatalogEntry,
    ctx: Context,
    amount: Decimal | None,
    cost: Decimal,
    value: Decimal,
    catalog: Catalog | None,
    *,
    purpose: str = Purpose.COMPENSATION,
) -> Option:
    components = dict(catalog.static(entry) if catalog is not None else static_components(entry))
    components["loss_fit"] = WEIGHTS["loss_fit"] * loss_fit(entry, ctx.loss_kind)
    # Restitution is measured against what is left to restore; compensation against the sizing.
    target = ctx.restitution_left if purpose == Purpose.RESTITUTION else ctx.sizing.target
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
        purpose=purpose,
    )


def evaluate_restitution(entry: CatalogEntry, ctx: Context, catalog: Catalog | None = None) -> Option | str:
    """This restitution remedy, sized to the loss still to restore, or why it cannot restore it.

    A variable one aims at exactly what is left (never more: restitution is not generosity); a
    full refund is the whole loss or nothing. Its cost is not checked against the caps.
    """
    refused = _gate(entry, ctx)
    if refused:
        return refused
    if not restitution_fits(entry, ctx.loss_kind):
        return "not_restitution"
    left = ctx.restitution_left
    if left <= 0:
        return "restored"
    amount: Decimal | None = None
    if entry.is_variable:
        assert entry.min_amount is not None and entry.max_amount is not None
        if entry.value_per_unit <= 0:
            return "range"
        amount = min(entry.max_amount, round_down(left / entry.value_per_unit, entry.currency))
        if entry.kind == K.REFUND_FULL and ctx.sizing.loss is not None and amount != ctx.sizing.loss:
            return "restored"  # part of the loss is restored already: a full refund would pay twice
        if amount < entry.min_amount:
            return "range"
        cost, value = cost_and_value(entry, amount)
    else:
        cost, value = entry.cost, entry.value
        if value > left:
            return "beyond_loss"
    return _option(entry, ctx, amount, cost, value, catalog, purpose=Purpose.RESTITUTION)


def evaluate(entry: CatalogEntry, ctx: Context, catalog: Catalog | None = None) -> Option | str:
    """The compensation option this remedy makes for this case and employee, or why it makes none
    (a restitution remedy is offered only as restitution: `evaluate_restitution`)."""
    if entry.restores:
        return "restitution"
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
    """This remedy at exactly `amount` (what the customer demanded): can it be granted now?

    As restitution when it fits the loss and what is left to restore (the caps untouched), else
    as compensation within the caps, as `remedy_grant` will decide.
    """
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
    if restitution_fits(entry, ctx.loss_kind) and 0 <= value <= ctx.restitution_left:
        return _option(entry, ctx, amount, cost, value, None, purpose=Purpose.RESTITUTION)
    if cost > ctx.max_cost:
        return "authority"
    return _option(entry, ctx, amount, cost, value, None)


@dataclass
class Ranking:
    options: list[Option]
    best_per_kind: dict[str, Option]  # compensation
    exclusions: dict[str, Counter[str]]  # kind -> reason -> how many remedies
    restitution: Option | None = None


def best_restitution(entries: Iterable[CatalogEntry], ctx: Context, catalog: Catalog | None = None) -> Option | None:
    """The restitution that best restores what is left of the loss, or None (nothing to restore,
    or no restitution fits it)."""
    if not ctx.restore_first:
        return None
    best: Option | None = None
    for entry in entries:
        if not entry.restores:
            continue
        result = evaluate_restitution(entry, ctx, catalog)
        if isinstance(result, Option) and (best is None or result.sort_key < best.sort_key):
            best = result
    return best


def _restore_first(restitution: Option | None, compensation: list[Option]) -> list[Option]:
    """The restitution first (when there is one), then compensation of other kinds, best first."""
    if restitution is None:
        return compensation[:OPTION_COUNT]
    others = [o for o in compensation if o.kind != restitution.kind]
    return [restitution, *others[: OPTION_COUNT - 1]]


def best_per_kind(catalog: Catalog, ctx: Context) -> Ranking:
    """The options: restitution first when the loss is not restored yet, then the best
    compensation of every kind, searched best-bound first with an early stop (exact)."""
    best: dict[str, Option] = {}
    exclusions: dict[str, Counter[str]] = {}
    for kind in catalog.by_kind:
        compensating = sum(1 for e in catalog.by_kind[kind] if not e.restores)
        if not compensating:
            continue  # restitution only: `best_restitution`
        if kind not in ctx.allowed_kinds:
            exclusions[kind] = Counter({"not_allowed": compensating})
            continue
        bonus = sum(ctx.bonuses.get(kind, {}).values())
        found: Option | None = None
        reasons: Counter[str] = Counter()
        for bound, entry in catalog.ordered(kind, ctx.loss_kind):
            # Strictly below: an entry that could tie still runs, for the tie-break.
            if found is not None and bound + bonus + 1e-9 < found.score:
                break
            result = evaluate(entry, ctx, catalog)
            if result == "restitution":
                continue
            if isinstance(result, str):
                reasons[result] += 1
            elif found is None or result.sort_key < found.sort_key:
                found = result
        if found is not None:
            best[kind] = found
        else:
            exclusions[kind] = reasons
    ranked = sorted(best.values(), key=lambda o: o.sort_key)
    restitution = best_restitution(catalog.entries, ctx, catalog)
    return Ranking(
        options=_restore_first(restitution, ranked),
        best_per_kind=best,
        exclusions=exclusions,
        restitution=restitution,
    )


def rank_exhaustively(entries: Iterable[CatalogEntry], ctx: Context) -> list[Option]:
    """The same ranking by brute force (every remedy evaluated); the tests check they agree."""
    entries = list(entries)
    best: dict[str, Option] = {}
    for entry in entries:
        result = evaluate(entry, ctx)
        if isinstance(result, Option) and (entry.kind not in best or result.sort_key < best[entry.kind].sort_key):
            best[entry.kind] = result
    ranked = sorted(best.values(), key=lambda o: o.sort_key)
    return _restore_first(best_restitution(entries, ctx), ranked)
