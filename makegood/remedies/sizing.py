"""How much compensation a loss calls for: near 100% of it, more only for aggravating circumstances."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from makegood.remedies.entries import round_down

# Sizing: the target is the loss times a factor; 1.25 / 1.40 / 1.50 with one, two or three
# aggravating circumstances (severe, business at fault, repeat failure), else 1.00. The cap is
# 10 points above the target (never above 150%): "near 100%" tolerates a fixed remedy a little over.
GENEROSITY = (Decimal("1.00"), Decimal("1.25"), Decimal("1.40"), Decimal("1.50"))
CAP_MARGIN = Decimal("0.10")
MAX_FACTOR = Decimal("1.50")
# Once the loss is put right, something for the trouble aims at no less than a tenth of the loss
# (a minor failure: the loss times 1.00 is restored already) and may reach a fifth.
EXTRA_TARGET, EXTRA_CAP = Decimal("0.10"), Decimal("0.20")


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
    restored: Decimal = Decimal(0),
) -> Sizing:
    """Target near 100% of the loss; up to 150% only for severe, at-fault or repeat failures.

    `restored`: the restitution already granted on the case. Compensation then makes up the rest
    of what the loss calls for (a $89 service redone on a severe failure: $124.60 - $89), so target
    and cap drop by it, to no less than a tenth and a fifth of the loss (`EXTRA_TARGET`, `EXTRA_CAP`).
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
        if restored > 0:
            target = max(target - restored, round_down(loss * EXTRA_TARGET, currency))
            cap = max(cap - restored, round_down(loss * EXTRA_CAP, currency))
    if minimum is not None:
        target = max(target, minimum) if target is not None else minimum
        cap = max(cap, minimum) if cap is not None else None
    return Sizing(loss=loss, factor=factor, target=target, cap=cap, minimum=minimum, aggravating=aggravating)
