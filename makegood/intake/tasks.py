"""Intake's periodic work."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_raw_mail() -> dict[str, int]:
    """Hourly (settings.MAKEGOOD_PERIODIC_TASKS): forget raw e-mails past their retention."""
    from makegood.intake.mail.ingest import raw_mail_expire

    return {"cleared": raw_mail_expire()}
