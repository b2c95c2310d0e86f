"""The insights' background work: keeping the figures fresh, and the monthly digest."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_figures() -> dict[str, float]:
    """Periodic (settings.MAKEGOOD_PERIODIC_TASKS): recompute the figures of the cases that changed."""
    from makegood.insights.rollup import figures_refresh

    report = figures_refresh()
    return {"cases": report.cases, "seconds": round(report.seconds, 3)}


@task()
def send_digests() -> dict[str, int]:
    """Periodic, hourly: from the 1st of the month, last month's digest to each manager and process owner."""
    from makegood.insights.digest import digests_due

    return {"queued": digests_due()}
