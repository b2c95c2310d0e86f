"""How good a remedy is for a case: the named components of one score, and the catalog ordered by them.

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
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from makegood.remedies.entries import CatalogEntry
from makegood.remedies.models import Effort, RemedyKind
from makegood.remedies.research import EXPECTATION_RE, FEELING_AFFINITY, PRIMARY_FIT, RESTITUTION_FIT, SECONDARY_FIT

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


def restitution_fits(entry: CatalogEntry, loss_kind: str) -> bool:
    """A restitution remedy that puts this kind of loss right (its own `loss_kinds`, else
    `RESTITUTION_FIT`)."""
    if not entry.restores or not loss_kind:
        return False
    if entry.loss_kinds:
        return loss_kind in entry.loss_kinds
    return entry.kind in RESTITUTION_FIT.get(loss_kind, frozenset())


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


def kind_bonuses(*, expectation: str = "", feeling: str = "", demand_kind: str = "") -> dict[str, dict[str, float]]:
    """The kind-level components: what the customer asked for, and what their feeling calls for."""
    bonuses: dict[str, dict[str, float]] = {}
    for kind in RemedyKind.values:
        asked = kind == demand_kind or bool(expectation and EXPECTATION_RE[kind].search(expectation))
        felt = kind in FEELING_AFFINITY.get(feeling, frozenset())
        bonuses[kind] = {
            "asked_for": WEIGHTS["asked_for"] if asked else 0.0,
            "feeling": WEIGHTS["feeling"] if felt else 0.0,
        }
    return bonuses
