"""The plumbing every stage uses to change a case: lock it, write a line on its timeline, and tell
whoever has to act.

Each is written once here so that the stages above the core (recovery, remedies, follow-up, ...)
never reach into the case's tables themselves: a stage's services call these inside their own
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from makegood.accounts.models import Role
from makegood.cases.models import Case, CaseEvent, Notification
from makegood.rows import rows_insert

NOTIFICATION_MESSAGE_CHARS = 300


def case_lock(case: Case | int, *, with_customer: bool = True) -> Case:
    """The case, re-read with its row locked until the transaction ends.

    Every service that reads a case's state to decide what to write locks it first, so that two
    requests deciding at once (two grants against one loss, a reopen racing a resolve) take turns.
    Only the case's own row is locked (`of=self`), never its customer's. Needs a transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_lock needs a transaction: the lock would end at once without one.")
    pk = case if isinstance(case, int) else case.pk
    cases = Case.objects.select_for_update(of=("self",))
    if with_customer:
        cases = cases.select_related("customer")
    return cases.get(pk=pk)


def case_event_add(
    case: Case,
    *,
    kind: str,
    at: datetime | None = None,
    actor: User | None = None,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """One line on the case's timeline. `kind` is the core's or a stage's registered kind."""
    return CaseEvent.objects.create(
        case=case, kind=kind, at=at or timezone.now(), actor=actor, body=body, data=data or {}
    )


@dataclass(frozen=True)
class TimelineLine:
    """One line for `case_events_add`: the arguments of `case_event_add`, held for a batch."""

    kind: str
    at: datetime | None = None
    actor: User | None = None
    body: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def case_events_add(case: Case, lines: Sequence[TimelineLine]) -> list[CaseEvent]:
    """Several lines in one statement: intake writes two per complaint, and its write transaction
    is what SQLite's throughput hangs on (see `makegood.intake.opening.Intake`)."""
    now = timezone.now()
    return list(
        rows_insert(
            [
                CaseEvent(
                    case=case, kind=line.kind, at=line.at or now, actor=line.actor, body=line.body, data=line.data
                )
                for line in lines
            ]
        )
    )


def notify_owner_or_team(
    case: Case, *, kind: str, message: str, at: datetime | None = None, also: Iterable[int] = ()
) -> list[Notification]:
    """Tell the case's owner; while nobody owns it, its whole team (nobody, without either).

    `also` adds people by user id (a reopened case's managers, say); the owner is never told twice.
    """
    at = at or timezone.now()
    message = message[:NOTIFICATION_MESSAGE_CHARS]
    notifications: list[Notification] = []
    if case.owner_id is not None:
        notifications.append(Notification(case=case, kind=kind, user_id=case.owner_id))
    elif case.team_id is not None:
        notifications.append(Notification(case=case, kind=kind, team_id=case.team_id))
    told = {case.owner_id}
    for user_id in also:
        if user_id not in told:
            told.add(user_id)
            notifications.append(Notification(case=case, kind=kind, user_id=user_id))
    for notification in notifications:
        notification.message, notification.created_at = message, at
    return Notification.objects.bulk_create(notifications)


def managers_of(case: Case) -> list[int]:
    """The managers of the owner's team (else the case's team), by user id, the owner left out."""
    team_id = getattr(getattr(case.owner, "staff", None), "team_id", None) or case.team_id
    if team_id is None:
        return []
    managers = User.objects.filter(groups__name=Role.MANAGER, staff__team_id=team_id, is_active=True)
    return [pk for pk in managers.values_list("pk", flat=True) if pk != case.owner_id]
