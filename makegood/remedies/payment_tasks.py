"""The periodic sweep of payments not confirmed in time (thin: the service decides)."""

from __future__ import annotations

from django_tasks import task

from makegood.remedies.payments import payments_alert_late


@task()
def sweep_payments() -> int:
    """Every minute (`MAKEGOOD_PERIODIC_TASKS`): alert about late payments, once each."""
    return payments_alert_late()
