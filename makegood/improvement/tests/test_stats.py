"""The statistics against values worked out by hand (no database)."""

import math

import numpy as np
import pytest

from makegood.improvement.effect import verdict_for
from makegood.improvement.stats import cusum, rate_ratio, segmented

Z = 1.959963984540054


def test_the_rate_ratio_and_its_interval_are_katz_s_log_interval():
    # 40 complaints over 10 weeks before, 20 over 10 weeks after: half the rate.
    # ln(0.5) +- 1.96 * sqrt(1/20 + 1/40) = -0.6931 +- 0.5368 -> 0.2923 to 0.8552.
    result = rate_ratio(before_count=40, before_exposure=10, after_count=20, after_exposure=10)
    assert result.ratio == pytest.approx(0.5)
    assert result.low == pytest.approx(math.exp(math.log(0.5) - Z * math.sqrt(1 / 20 + 1 / 40)))
    assert result.low == pytest.approx(0.2923, abs=1e-4)
    assert result.high == pytest.approx(0.8552, abs=1e-4)
    assert result.reduction == pytest.approx(50.0)
    assert result.p_value < 0.05


def test_unequal_exposure_is_a_rate_not_a_count():
    # 30 over 15 weeks (2 a week) before, 12 over 4 weeks (3 a week) after: 1.5 times the rate.
    result = rate_ratio(before_count=30, before_exposure=15, after_count=12, after_exposure=4)
    assert result.ratio == pytest.approx(1.5)
    assert result.low == pytest.approx(1.5 * math.exp(-Z * math.sqrt(1 / 12 + 1 / 30)))
    assert result.high > 1


def test_a_side_with_no_complaints_still_has_a_finite_interval():
    # Haldane's correction: 0.5 added to both counts.
    result = rate_ratio(before_count=9, before_exposure=10, after_count=0, after_exposure=10)
    assert result.ratio == pytest.approx(0.5 / 9.5)
    assert result.high == pytest.approx((0.5 / 9.5) * math.exp(Z * math.sqrt(1 / 0.5 + 1 / 9.5)))
    assert math.isfinite(result.low) and result.low > 0


def test_a_cusum_by_hand():
    # shift 1.5, expected 4 a week: each week adds x*ln(1.5) - 4*0.5 = 0.4055x - 2.
    result = cusum([4, 4, 10, 10, 10], [4.0] * 5, shift=1.5, threshold=5.0)
    step = 10 * math.log(1.5) - 2
    assert result.statistics[:2] == [pytest.approx(max(0, 4 * math.log(1.5) - 2))] * 2 == [0.0, 0.0]
    assert result.statistics[2] == pytest.approx(step)  # 2.0547
    assert result.statistics[3] == pytest.approx(2 * step)  # 4.1093: not yet over 5
    assert result.statistics[4] == pytest.approx(3 * step)  # 6.1640: fires
    assert result.alarms == [4]


def test_the_cusum_fires_soon_after_a_known_step_and_never_on_noise():
    rng = np.random.default_rng(7)
    quiet = list(rng.poisson(4, 104))
    assert cusum(quiet, [4.0] * 104).alarms == []
    stepped = list(rng.poisson(4, 20)) + list(rng.poisson(9, 10))
    alarms = cusum(stepped, [4.0] * 30).alarms
    assert alarms and 20 <= alarms[0] <= 24


def test_the_cusum_restarts_after_an_alarm_and_refuses_a_fall():
    result = cusum([20, 20, 20], [2.0] * 3, shift=2.0, threshold=5.0)
    assert result.alarms == [0, 1, 2]
    with pytest.raises(ValueError):
        cusum([1], [1.0], shift=0.5)


def test_the_segmented_regression_recovers_a_known_step():
    counts = [20] * 10 + [10] * 10
    result = segmented(counts, [1.0] * 20, 10)
    assert result is not None
    assert result.step == pytest.approx(0.5, rel=1e-3)
    assert result.slope_change == pytest.approx(1.0, abs=1e-3)
    assert result.step_low < 0.5 < result.step_high < 1


def test_the_segmented_regression_uses_the_volume_as_exposure():
    # The counts double because the volume doubles: per unit of volume, nothing changed.
    counts = [20] * 10 + [40] * 10
    assert segmented(counts, [100.0] * 10 + [200.0] * 10, 10).step == pytest.approx(1.0, rel=1e-3)


def test_the_segmented_regression_needs_eight_weeks_a_side():
    assert segmented([5] * 15, [1.0] * 15, 7) is None
    assert segmented([5] * 15, [1.0] * 15, 8) is None  # 7 weeks after
    assert segmented([5] * 16, [1.0] * 16, 8) is not None


@pytest.mark.parametrize(
    ("after", "expected", "verdict"),
    [
        (10, 40, "worked"),
        (10, 80, "inconclusive"),
        (36, 20, "inconclusive"),
        (40, 10, "no_effect"),
        (55, 10, "no_effect"),
    ],
    ids=["fell-as-stated", "fell-less-than-stated", "interval-crosses-1", "no-change", "worse"],
)
def test_the_verdict_follows_from_the_numbers(after, expected, verdict):
    ratio = rate_ratio(before_count=40, before_exposure=10, after_count=after, after_exposure=10)
    assert verdict_for(ratio, expected) == verdict
