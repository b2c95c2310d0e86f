"""How the improvement loop hears about suggestions and causes (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from makegood.improvement.suggestions import suggestion_file, suggestions_route


def suggestion_saved(sender: Any, *, instance: Any, created: bool = False, raw: bool = False, **_: Any) -> None:
    """A customer's suggestion was recorded (Thank step or follow-up): into the inbox."""
    if created and not raw:
        suggestion_file(suggestion_id=instance.pk, case_id=instance.case_id, text=instance.text, at=instance.created_at)


def cause_changed(sender: Any, *, case: Any, case_cause: Any, **_: Any) -> None:
    suggestions_route(case_id=case.pk, cause_id=case_cause.cause_id)
