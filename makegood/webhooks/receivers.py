"""Turning case and follow-up signals into webhook deliveries (connected in `apps.py`).

Each receiver hands `deliveries_queue` a function that builds the event's data, so nothing is
read or built when no endpoint wants the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from makegood.cases.models import Case
from makegood.webhooks.models import Event
from makegood.webhooks.payloads import actor_name, case_data, follow_up_data
from makegood.webhooks.services import deliveries_queue


def _case_event(event: str, case: Case, *, actor: object, at: datetime | None, **extra: Any) -> None:
    deliveries_queue(
        event=event,
        occurred_at=at,
        data=lambda: {"case": case_data(case), "actor": actor_name(actor), **extra},
    )


def on_case_opened(sender: object, *, case: Case, actor: object = None, at: datetime | None = None, **_: Any) -> None:
    _case_event(Event.CASE_OPENED, case, actor=actor, at=at)


def on_case_resolved(sender: object, *, case: Case, actor: object = None, at: datetime | None = None, **_: Any) -> None:
    _case_event(Event.CASE_RESOLVED, case, actor=actor, at=at)


def on_case_reopened(
    sender: object, *, case: Case, actor: object = None, at: datetime | None = None, reason: str = "", **_: Any
) -> None:
    _case_event(Event.CASE_REOPENED, case, actor=actor, at=at, reason=reason)


def on_case_closed(sender: object, *, case: Case, actor: object = None, at: datetime | None = None, **_: Any) -> None:
    _case_event(Event.CASE_CLOSED, case, actor=actor, at=at)


def on_followup_answered(sender: object, *, follow_up: object, at: datetime | None = None, **_: Any) -> None:
    def data() -> dict[str, Any]:
        # Read afresh: the answer has just reopened or closed the case, through another instance.
        case_id = getattr(follow_up, "case_id", None)
        case = Case.objects.select_related("team", "owner").filter(pk=case_id).first() if case_id else None
        return {
            "case": case_data(case) if case is not None else None,
            "follow_up": follow_up_data(follow_up),
        }

    deliveries_queue(event=Event.FOLLOW_UP_ANSWERED, occurred_at=at, data=data)
