"""The suggester's periodic retraining (settings.MAKEGOOD_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def retrain_causes() -> dict[str, object]:
    """Retrain when enough new labels have accumulated; otherwise nothing (cheap: two counts)."""
    from makegood.causes.training import cause_model_due, cause_model_train

    if not cause_model_due():
        return {"trained": False}
    result = cause_model_train()
    return {"trained": result.trained, "reason": result.reason}
