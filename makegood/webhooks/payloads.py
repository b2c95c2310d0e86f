"""What a webhook says about a case or a follow-up: plain JSON, written when the event happens.

The customer's name and contact details never leave this way: the receiving system gets the
case's reference, state and timing (and its own `external_id`, when the case came from it), and
of a follow-up the answer (with the customer's comment and suggestion as written); it can read
the rest through the API with a token of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from makegood.cases.models import Case


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    # Decimal, UUID, timedelta, choices: their text form.
    return str(value)


def actor_name(actor: object) -> str | None:
    if isinstance(actor, AbstractBaseUser) and not isinstance(actor, AnonymousUser):
        return actor.get_username()
    return None


def case_data(case: Case) -> dict[str, Any]:
    team = case.team if case.team_id is not None else None
    owner = case.owner if case.owner_id is not None else None
    return {
        "reference": case.reference,
        "url": settings.SITE_URL.rstrip("/") + reverse("case_detail", args=[case.reference]),
        "status": case.status,
        "channel": case.channel,
        "priority": case.priority,
        "reopen_count": case.reopen_count,
        "subject": case.subject,
        "external_id": case.external_id,
        "team": team.name if team is not None else None,
        "owner": owner.get_username() if owner is not None else None,
        "received_at": _iso(case.received_at),
        "first_response_due_at": _iso(case.first_response_due_at),
        "first_responded_at": _iso(case.first_responded_at),
        "resolved_at": _iso(case.resolved_at),
        "closed_at": _iso(case.closed_at),
    }


def follow_up_data(follow_up: object) -> dict[str, Any]:
    """The follow-up and the customer's answer (`follow_up.answer`), without contact details.

    Read attribute by attribute with defaults: a webhook must never be the reason a customer's
    answer cannot be recorded.
    """
    answer = getattr(follow_up, "answer", None)
    answer_data = None
    if answer is not None:
        answer_data = {
            "resolved": getattr(answer, "resolved", None),
            "satisfaction": getattr(answer, "satisfaction", None),
            "comment": getattr(answer, "comment", ""),
            "suggestion": getattr(answer, "suggestion", ""),
            "via": getattr(answer, "via", None),
            "outcome": getattr(answer, "outcome", None),
            "answered_at": getattr(answer, "answered_at", None),
            "recorded_by": actor_name(getattr(answer, "recorded_by", None)),
        }
    data = {
        "id": getattr(follow_up, "pk", None),
        "method": getattr(follow_up, "method", None),
        "state": getattr(follow_up, "state", None),
        "sent_at": getattr(follow_up, "sent_at", None),
        "answered_at": getattr(follow_up, "answered_at", None),
        "answer": answer_data,
    }
    return _plain_dict(data)


def _plain_dict(data: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain_dict(value) if isinstance(value, dict) else _plain(value) for key, value in data.items()}
