"""The statistics of the loyalty comparison, on one row per customer (never per purchase).

- a share with its 95% Wilson interval (honest for small groups and shares near 0 or 1);
- a mean with its 95% normal interval;
- Kaplan-Meier curves of the time to the next purchase, with a log-rank test across groups;
- a Cox proportional-hazards model: each group's hazard ratio of buying again, against the
  customers who were not recovered, adjusted for prior purchases and tenure (`cox_fit`);
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
    group_array = np.asarray(groups)
    columns = {f"group:{g}": (group_array == g).astype(float) for g in present}
    columns |= {name: np.asarray(values, dtype=float) for name, values in covariates.items() if np.std(values) > 0}
    names = list(columns)
    exog = np.column_stack([columns[n] for n in names])
    try:
        coefs, ses = cox_fit(np.asarray(times, dtype=float), np.asarray(events, dtype=float), exog)
    except np.linalg.LinAlgError:
        return []
    result = []
    for name, coef, se in zip(names, coefs, ses, strict=True):
        # A term the fit could not pin down (a group where nobody, or everybody, bought again) has
        # an interval too wide to write down: no ratio rather than an overflow.
        if not (math.isfinite(coef) and math.isfinite(se)) or se <= 0 or abs(coef) + Z95 * se > MAX_LOG_RATIO:
            continue
        p_value = math.erfc(abs(coef / se) / math.sqrt(2))
        result.append(HazardRatio(name, math.exp(coef), math.exp(coef - Z95 * se), math.exp(coef + Z95 * se), p_value))
    return result


def cox_fit(
    times: np.ndarray, events: np.ndarray, exog: np.ndarray, *, iterations: int = 60
) -> tuple[list[float], list[float]]:
    """Cox proportional hazards by Newton's method on Breslow's partial likelihood: coefficients
    and standard errors.

    statsmodels' `PHReg` walks the risk sets in Python and took minutes for the hundreds of
    thousands of customers a year of a large business brings (47 s for 200,000 rows here); here
    every risk set's sums are cumulative sums over the rows sorted by time, latest first, so an
    iteration is a few passes over the rows (`test_loyalty.py` checks it against `PHReg`). With
    times to the second, tied purchase times are rare, where Breslow's and Efron's handling of
    ties differ.
    """
    order = np.argsort(-times, kind="stable")
    t, d = times[order], events[order]
    # Standardised columns: the same fit, better conditioned; undone at the end.
    centre, scale = exog.mean(axis=0), exog.std(axis=0)
    scale[scale == 0] = 1.0
    z = (exog[order] - centre) / scale
    n, k = z.shape
    # Rows sharing a time form a run; a run's risk set is every row up to its last one.
    last = np.r_[np.flatnonzero(t[1:] != t[:-1]), n - 1]
    run_of = np.repeat(np.arange(len(last)), np.diff(np.r_[-1, last]))
    d_run = np.bincount(run_of, weights=d, minlength=len(last))
    has_event = d_run > 0
    d_event = d_run[has_event]
    z_events = d @ z

    def state(beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        eta = z @ beta
        shift = float(eta.max())
        w = np.exp(eta - shift)
        s0 = np.cumsum(w)[last][has_event]
        s1 = np.cumsum(w[:, None] * z, axis=0)[last][has_event]
        mean = s1 / s0[:, None]
        loglik = float(d @ eta - d_event @ (np.log(s0) + shift))
        gradient = z_events - d_event @ mean
        # Each row's weight times the sum of d/S0 over the risk sets it belongs to (its run and
        # every earlier-time run): the first half of the information matrix in one product.
        per_run = np.zeros(len(last))
        per_run[has_event] = d_event / s0
        reach = np.cumsum(per_run[::-1])[::-1][run_of]
        information = (z * (w * reach)[:, None]).T @ z - (mean * d_event[:, None]).T @ mean
        return loglik, gradient, information

    beta = np.zeros(k)
    loglik, gradient, information = state(beta)
    for _ in range(iterations):
        step = np.linalg.solve(information, gradient)
        for _halving in range(30):
            trial = beta + step
            trial_loglik, trial_gradient, trial_information = state(trial)
            if math.isfinite(trial_loglik) and trial_loglik >= loglik - 1e-12:
                break
            step = step / 2
        else:
            break
        converged = abs(trial_loglik - loglik) < 1e-10 and float(np.max(np.abs(step))) < 1e-9
        beta, loglik, gradient, information = trial, trial_loglik, trial_gradient, trial_information
        if converged:
            break
    covariance = np.linalg.inv(information)
    ses = np.sqrt(np.clip(np.diag(covariance), 0.0, None)) / scale
    return [float(b) for b in beta / scale], [float(v) for v in ses]


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
