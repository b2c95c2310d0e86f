"""A manager hands cases to someone on the team (from the queue, one or many at once).

Taking a case oneself is `services.case_take_ownership`; this is giving it to another person, who
is told in their queue. Both end the same way: one accountable owner, a line on the timeline, an
audit entry, and a new case opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from makegood.accounts.roles import can_view_case
from makegood.cases.audit import audit_record
from makegood.cases.kinds import register_event_kinds, register_notification_kinds
from makegood.cases.models import Case, Notification, Status
from makegood.cases.services import CaseActionError, _change_status
from makegood.cases.timeline import case_event_add, case_lock

# The most cases one request assigns (the queue shows a hundred).
MAX_BULK_ASSIGN = 100


class AssignmentEventKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"


class AssignmentNotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned to you"


register_event_kinds(AssignmentEventKind)
register_notification_kinds(AssignmentNotificationKind)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def assignees_for(team_id: int | None) -> list[User]:
    """Who a case of this team can be given to: its active members who may respond on cases."""
    if team_id is None:
        return []
    members = User.objects.filter(is_active=True, staff__team_id=team_id).order_by("first_name", "username")
    return [user for user in members.prefetch_related("groups__permissions") if user.has_perm("cases.respond_case")]


@transaction.atomic
def case_assign(*, case: Case, assignee: User, by: User, at: datetime | None = None) -> Case:
    """Give the case to `assignee`: needs the reassign permission, and an assignee who may
    respond on cases and see this one."""
    if not by.has_perm("cases.reassign_case") or not can_view_case(by, case):
        raise CaseActionError("You cannot assign this case.")
    if not assignee.is_active or not assignee.has_perm("cases.respond_case") or not can_view_case(assignee, case):
        raise CaseActionError(f"{_name(assignee)} cannot take cases of this team.")
    case = case_lock(case)
    if not case.is_open:
        raise CaseActionError(f"{case.reference} is no longer open.")
    if case.owner_id == assignee.pk:
        return case
    now = at or timezone.now()
    previous = case.owner_id
    case.owner, case.owned_at = assignee, now
    body = f"Assigned to {_name(assignee)} by {_name(by)}."
    case_event_add(case, kind=AssignmentEventKind.ASSIGNED, at=now, actor=by, body=body, data={"to": assignee.pk})
    audit_record(at=now, actor=by, action="case.assigned", obj=case, changes={"owner": [previous, assignee.pk]})
    if case.status == Status.NEW:
        _change_status(case, to=Status.OPEN, actor=by, at=now)
    case.save()
    if assignee.pk != by.pk:
        Notification.objects.create(
            case=case,
            kind=AssignmentNotificationKind.ASSIGNED,
            user=assignee,
            message=f"{_name(by)} gave you {case.reference}.",
            created_at=now,
        )
    return case


def cases_assign(*, cases: Iterable[Case], assignee: User, by: User) -> tuple[list[Case], list[str]]:
    """Several cases at once, each in its own transaction: (assigned, why the others were not)."""
    assigned, refused = [], []
    for case in list(cases)[:MAX_BULK_ASSIGN]:
        try:
            assigned.append(case_assign(case=case, assignee=assignee, by=by))
        except CaseActionError as exc:
            refused.append(f"{case.reference}: {exc}")
    return assigned, refused
