"""Background work for cases: the clocks' sweep. (Its e-mails leave through the outbox: `emails.py`.)"""

from __future__ import annotations

from django_tasks import task

from makegood.cases.emails import reply_subject

__all__ = ["reply_subject", "sweep_clocks"]


@task()
def sweep_clocks() -> dict[str, int]:
    """Every 15 seconds (settings.MAKEGOOD_PERIODIC_TASKS): alert clocks about to run out and
    record the ones that ran out, each once however often the sweep runs."""
    from makegood.cases.breaches import clock_sweep

    result = clock_sweep()
    return {"alerted": result.alerted, "breached": result.breached}
