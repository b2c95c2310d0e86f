"""Background work of the improvement loop: the watch. (Its e-mails leave through the outbox: `outbound.py`.)"""

from __future__ import annotations

from django_tasks import task


@task()
def watch_causes() -> dict[str, int]:
    """Periodic (settings.MAKEGOOD_PERIODIC_TASKS): the CUSUM over every cause and every live fix."""
    from makegood.improvement.monitor import causes_watch

    result = causes_watch()
    return {"rising": result.rising, "relapses": result.relapses}
