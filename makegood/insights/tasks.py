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


@task()
def send_digest(user_id: int, month: str) -> None:
    """Thin: render and send one digest (queued once per person and month by `digests_due`)."""
    from datetime import date

    from django.contrib.auth.models import User
    from django.core.mail import EmailMessage

    from makegood.insights.digest import digest_render

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    subject, body = digest_render(user, date.fromisoformat(month))
    EmailMessage(subject=subject, body=body, to=[user.email], headers={"Auto-Submitted": "auto-generated"}).send()
