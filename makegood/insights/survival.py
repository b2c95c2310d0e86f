"""The statistics of the loyalty comparison, on one row per customer (never per purchase).

- a share with its 95% Wilson interval (honest for small groups and shares near 0 or 1);
- a mean with its 95% normal interval;
- Kaplan-Meier curves of the time to the next purchase, with a log-rank test across groups;
- a Cox proportional-hazards model: each group's hazard ratio of buying again, against the
  customers who were not recovered, adjusted for prior purchases and tenure (statsmodels);
- a bootstrap interval of the money a recovery retains.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    p = k / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    n = len(values)
    if n == 0:
        return None, None, None
    data = np.asarray(values, dtype=float)
    mean = float(data.mean())
    if n == 1:
        return mean, None, None
    half = Z95 * float(data.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def kaplan_meier(times: Sequence[float], events: Sequence[int]) -> list[tuple[float, float]]:
    """(day, share not yet bought again) at each day someone bought again; starts at (0, 1)."""
    if not times:
        return []
    from statsmodels.duration.survfunc import SurvfuncRight

    fit = SurvfuncRight(np.asarray(times, dtype=float), np.asarray(events, dtype=int))
    return [(float(t), float(s)) for t, s in zip(fit.surv_times, fit.surv_prob, strict=True)]


def survival_at(curve: Sequence[tuple[float, float]], day: float) -> float:
    value = 1.0
    for t, s in curve:
        if t > day:
            break
        value = s
    return value


@dataclass(frozen=True)
class LogRank:
    chi2: float
    df: int
    p_value: float


def logrank(times: Sequence[float], events: Sequence[int], groups: Sequence[str]) -> LogRank | None:
    """Do the groups' curves differ? None when fewer than two groups have anyone in them."""
    present = sorted(set(groups))
    if len(present) < 2 or not any(events):
        return None
    from statsmodels.duration.survfunc import survdiff

    chi2, p = survdiff(np.asarray(times, dtype=float), np.asarray(events, dtype=int), np.asarray(groups))
    if not (math.isfinite(chi2) and math.isfinite(p)):
        return None
    return LogRank(float(chi2), len(present) - 1, float(p))


@dataclass(frozen=True)
class HazardRatio:
    term: str
    ratio: float
    low: float
    high: float
    p_value: float


# exp() of more overflows a float; a hazard ratio beyond e^700 says only that the fit failed.
MAX_LOG_RATIO = 700.0


def cox(
    times: Sequence[float],
    events: Sequence[int],
    groups: Sequence[str],
    covariates: dict[str, Sequence[float]],
    *,
    reference: str,
) -> list[HazardRatio]:
    """Hazard ratios of buying again: each group against `reference`, and each covariate per unit."""
    present = [g for g in sorted(set(groups)) if g != reference]
    if reference not in groups or not present or sum(events) < 5:
        return []
    from statsmodels.duration.hazard_regression import PHReg

    columns = {f"group:{g}": [1.0 if x == g else 0.0 for x in groups] for g in present}
    columns |= {name: list(values) for name, values in covariates.items() if np.std(values) > 0}
    names = list(columns)
    exog = np.column_stack([np.asarray(columns[n], dtype=float) for n in names])
    try:
        fit = PHReg(np.asarray(times, dtype=float), exog, status=np.asarray(events, dtype=int), ties="efron").fit()
    except (np.linalg.LinAlgError, ValueError):
        return []
    result = []
    for i, name in enumerate(names):
        coef, se = float(fit.params[i]), float(fit.bse[i])
        p_value = float(fit.pvalues[i])
        # A term the fit could not pin down (a group where nobody, or everybody, bought again) has
        # an interval too wide to write down: no ratio rather than an overflow.
        if not all(math.isfinite(v) for v in (coef, se, p_value)) or abs(coef) + Z95 * se > MAX_LOG_RATIO:
            continue
        result.append(HazardRatio(name, math.exp(coef), math.exp(coef - Z95 * se), math.exp(coef + Z95 * se), p_value))
    return result


def bootstrap_interval(
    samples: dict[str, np.ndarray],
    statistic: Callable[[dict[str, np.ndarray]], float],
    *,
    rounds: int = 1000,
    seed: int = 14,
) -> tuple[float, float]:
    """95% percentile interval of `statistic`, resampling each group's rows with replacement."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(rounds):
        drawn = {
            name: rows[rng.integers(0, len(rows), len(rows))] if len(rows) else rows for name, rows in samples.items()
        }
        values.append(statistic(drawn))
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)
