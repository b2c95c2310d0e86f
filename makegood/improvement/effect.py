"""The measured effect of a live fix: complaints of its cause per week before and after it went
live, the before/after rate ratio with its interval, the segmented regression when there are
enough weeks, and the verdict that follows from the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from makegood.improvement.models import ImprovementAction, Verdict
from makegood.improvement.series import Series, cause_series, last_complete_week, volumes_for, week_of
from makegood.improvement.stats import RateRatio, Segmented, rate_ratio, segmented

# How far back the "before" side reaches, and how far forward the "after" side may run.
MAX_WEEKS_BEFORE = 26
MAX_WEEKS_AFTER = 52


@dataclass(frozen=True)
class Effect:
    action_id: int
    series: Series
    # Index in `series.weeks` of the first whole week after the fix went live; the week it went
    # live in is left out of both sides (it is part before, part after).
    change_at: int
    live_week: date
    ratio: RateRatio | None
    regression: Segmented | None
    verdict: str  # Verdict value, "" while there is no week after the fix yet
    expected_reduction: int

    @property
    def weeks_before(self) -> int:
        return self.change_at

    @property
    def weeks_after(self) -> int:
        return len(self.series.weeks) - self.change_at

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label) if self.verdict else "Too early to tell"

    @property
    def unit(self) -> str:
        return "per 1,000 of volume" if self.series.normalised else "per week"


def verdict_for(ratio: RateRatio, expected_reduction: int) -> str:
    """Worked: the interval's upper bound is below 1 *and* the fall stated beforehand was reached.
    No effect or worse: complaints did not fall at all (ratio at or above 1). Otherwise inconclusive."""
    if ratio.high < 1.0 and ratio.reduction >= expected_reduction:
        return Verdict.WORKED
    if ratio.ratio >= 1.0:
        return Verdict.NO_EFFECT
    return Verdict.INCONCLUSIVE


def action_effect(action: ImprovementAction, *, today: date) -> Effect | None:
    """None until the fix has gone live."""
    if action.went_live_on is None:
        return None
    live_week = week_of(action.went_live_on)
    last = min(last_complete_week(today), live_week + timedelta(weeks=MAX_WEEKS_AFTER))
    first = live_week - timedelta(weeks=MAX_WEEKS_BEFORE)
    before = [first + timedelta(weeks=i) for i in range(MAX_WEEKS_BEFORE)]
    after_start = live_week + timedelta(weeks=1)
    after = [after_start + timedelta(weeks=i) for i in range(max(0, (last - after_start).days // 7 + 1))]
    series = cause_series(action.cause_id, before + after)
    # The "before" side starts at the first week with a complaint, so that a cause that has only
    # existed for a few weeks is not diluted by empty weeks from before anyone recorded it.
    start = next((i for i, n in enumerate(series.counts[: len(before)]) if n), len(before))
    if start:
        # Volumes are asked of the weeks measured only: a gap before the first complaint does not matter.
        weeks = series.weeks[start:]
        series = Series(weeks=weeks, counts=series.counts[start:], volumes=volumes_for(weeks))
    change_at = len(before) - start
    ratio, regression, verdict = None, None, ""
    if change_at and len(series.weeks) > change_at:
        exposure = series.exposure
        scale = 1000.0 if series.normalised else 1.0
        ratio = rate_ratio(
            before_count=sum(series.counts[:change_at]),
            before_exposure=sum(exposure[:change_at]) / scale,
            after_count=sum(series.counts[change_at:]),
            after_exposure=sum(exposure[change_at:]) / scale,
        )
        regression = segmented(series.counts, exposure, change_at)
        verdict = verdict_for(ratio, action.expected_reduction)
    return Effect(
        action_id=action.pk,
        series=series,
        change_at=change_at,
        live_week=live_week,
        ratio=ratio,
        regression=regression,
        verdict=verdict,
        expected_reduction=action.expected_reduction,
    )
