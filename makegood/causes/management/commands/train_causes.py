"""`makegood train_causes`: train the cause suggester on the labelled cases now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from makegood.causes.training import cause_model_train


class Command(BaseCommand):
    help = "Train the root-cause suggester on the cases in the database and say whether it beats the keyword rules."

    def handle(self, *args: Any, **options: Any) -> None:
        result = cause_model_train()
        if not result.trained or result.model is None:
            self.stdout.write(result.reason)
            return
        model = result.model
        self.stdout.write(self.style.SUCCESS(result.reason))
        self.stdout.write(
            f"  hold-out of the newest {model.holdout} cases: model top-1 {model.model_top1:.1%}, "
            f"top-3 {model.model_top3:.1%}; keyword rules top-1 {model.rules_top1:.1%}, top-3 {model.rules_top3:.1%}"
        )
