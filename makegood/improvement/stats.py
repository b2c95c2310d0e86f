"""The statistics behind "did it work?": pure functions of weekly counts, no database.

- `rate_ratio`: complaints per unit of exposure after the fix over before, with a 95% interval
  (Katz's log interval, statsmodels' `confint_poisson_2indep(method="wald-log")`; 0.5 is added
  to both counts when either is zero, so that an empty side still gives a finite interval).
- `segmented`: an interrupted time series, a negative binomial regression of the weekly counts
  on time, a step at the fix and a change of slope after it, with log exposure as the offset
  (statsmodels' discrete `NegativeBinomial`, falling back to Poisson when the counts show no
  over-dispersion to estimate). Only with at least 8 weeks on each side.
- `cusum`: a Poisson CUSUM on the log-likelihood ratio of a rate `shift` times the expected one,
  restarting after each alarm.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson
from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep
from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning

MIN_WEEKS_EACH_SIDE = 8
CUSUM_SHIFT = 1.5
CUSUM_THRESHOLD = 5.0


@dataclass(frozen=True)
class RateRatio:
    before_count: int
    before_exposure: float
    after_count: int
    after_exposure: float
    ratio: float
    low: float
    high: float
    p_value: float

    @property
    def reduction(self) -> float:
        """The fall in the rate, in percent (negative: a rise)."""
        return (1.0 - self.ratio) * 100.0


def rate_ratio(*, before_count: int, before_exposure: float, after_count: int, after_exposure: float) -> RateRatio:
    if before_exposure <= 0 or after_exposure <= 0:
        raise ValueError("Both sides need some exposure (weeks or volume).")
    after, before = float(after_count), float(before_count)
    if after == 0 or before == 0:
        after, before = after + 0.5, before + 0.5
    ratio = (after / after_exposure) / (before / before_exposure)
    low, high = confint_poisson_2indep(
        after, after_exposure, before, before_exposure, method="wald-log", compare="ratio"
    )
    test = test_poisson_2indep(after_count, after_exposure, before_count, before_exposure, method="score")
    return RateRatio(
        before_count=before_count,
        before_exposure=before_exposure,
        after_count=after_count,
        after_exposure=after_exposure,
        ratio=ratio,
        low=float(low),
        high=float(high),
        p_value=float(test.pvalue),
    )


@dataclass(frozen=True)
class Segmented:
    """Multiplicative effects: the step at the fix, and the change of the weekly trend after it."""

    model: str  # "negative binomial" or "Poisson"
    step: float
    step_low: float
    step_high: float
    slope_change: float
    slope_low: float
    slope_high: float
    weeks_before: int
    weeks_after: int


def segmented(counts: Sequence[int], exposure: Sequence[float], change_at: int) -> Segmented | None:
    """Weeks `[0, change_at)` are before the fix, `[change_at, n)` after; None below 8 weeks a side."""
    n = len(counts)
    if change_at < MIN_WEEKS_EACH_SIDE or n - change_at < MIN_WEEKS_EACH_SIDE or sum(counts) == 0:
        return None
    t = np.arange(n, dtype=float)
    after = (t >= change_at).astype(float)
    since = np.where(after > 0, t - change_at, 0.0)
    exog = np.column_stack([np.ones(n), t, after, since])
    y = np.asarray(counts, dtype=float)
    expo = np.asarray(exposure, dtype=float)
    with warnings.catch_warnings():
        for quiet in (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning, RuntimeWarning):
            # A flat or perfectly stepped series fits exactly; the fallback below handles what fails.
            warnings.simplefilter("ignore", category=quiet)
        name = "negative binomial"
        try:
            result = NegativeBinomial(y, exog, exposure=expo).fit(disp=0, maxiter=200)
            params, ci = result.params[:4], result.conf_int()[:4]
            usable = bool(result.mle_retvals.get("converged", False)) and np.all(np.isfinite(ci))
        except (np.linalg.LinAlgError, ValueError):
            usable = False
        if not usable:
            name = "Poisson"
            result = Poisson(y, exog, exposure=expo).fit(disp=0, maxiter=200)
            params, ci = result.params, result.conf_int()
    return Segmented(
        model=name,
        step=math.exp(params[2]),
        step_low=math.exp(ci[2][0]),
        step_high=math.exp(ci[2][1]),
        slope_change=math.exp(params[3]),
        slope_low=math.exp(ci[3][0]),
        slope_high=math.exp(ci[3][1]),
        weeks_before=change_at,
        weeks_after=n - change_at,
    )


@dataclass(frozen=True)
class Cusum:
    statistics: list[float]
    alarms: list[int]  # indexes of the weeks where it fired


def cusum(
    counts: Sequence[int], expected: Sequence[float], *, shift: float = CUSUM_SHIFT, threshold: float = CUSUM_THRESHOLD
) -> Cusum:
    """S_t = max(0, S_t-1 + x_t ln(shift) - mu_t (shift - 1)); an alarm when S_t > threshold, then S restarts.

    `expected` is the in-control count of each week (the baseline rate times that week's exposure).
    """
    if shift <= 1:
        raise ValueError("The CUSUM watches for a rise: shift must be above 1.")
    log_shift = math.log(shift)
    s, statistics, alarms = 0.0, [], []
    for i, (x, mu) in enumerate(zip(counts, expected, strict=True)):
        s = max(0.0, s + x * log_shift - mu * (shift - 1.0))
        statistics.append(s)
        if s > threshold:
            alarms.append(i)
            s = 0.0
    return Cusum(statistics=statistics, alarms=alarms)
