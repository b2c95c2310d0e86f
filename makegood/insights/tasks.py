"""The insights' background work: keeping the figures fresh, and the monthly digest."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_figures() -> dict[str, float]:
    """Periodic (settings.MAKEGOOD_PERIODIC_TASKS): recompute the figures of the cases that changed."""
    from makegood.insights.rollup import figures_refresh

    report = figures_refresh()
    return {"cases": report.cases, "seconds": round(report.seconds, 3)}
