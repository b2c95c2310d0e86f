"""What a person must see at the top of their queue: reopened cases, clocks about to run out or
run out, follow-up calls due. Each notification is for one person, or for a whole team while
nobody owns the case; a person sees their own and their team's, and marks them read.

A team's notification is one row for the whole team: whoever marks it read marks it for all.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from makegood.accounts.roles import team_id_of
from makegood.cases.models import Notification

NOTIFICATIONS_SHOWN = 8


def notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """Every notification addressed to the person or to their team (read or not)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    team_id = team_id_of(user)
    addressed = Q(user_id=user.pk)
    if team_id is not None:
        addressed |= Q(team_id=team_id)
    return Notification.objects.filter(addressed)


def unread_notifications(user: User | AnonymousUser, *, limit: int) -> list[Notification]:
    """The newest unread ones: the person's and their team's, each read newest first straight
    off its own index (`limit` rows at most, however many pile up unread), then merged.

    Two small queries rather than one with `user = %s OR team = %s`, which both databases can
    only answer by sorting every unread notification of the person and the team.
    """
    if not user.is_authenticated:
        return []
    unread = (
        Notification.objects.filter(read_at__isnull=True)
        .select_related("case")
        .only("id", "kind", "message", "created_at", "user_id", "team_id", "case__id", "case__received_at")
        .order_by("-created_at", "-pk")
    )
    addressed = [unread.filter(user_id=user.pk)[:limit]]
    team_id = team_id_of(user)
    if team_id is not None:
        addressed.append(unread.filter(team_id=team_id)[:limit])
    newest_first = heapq.merge(*addressed, key=lambda n: (n.created_at, n.pk), reverse=True)
    return list(islice(newest_first, limit))


@dataclass(frozen=True)
class NotificationRow:
    """One notice as the queue prints it, worked out here (as QueueRow is)."""

    pk: int
    kind: str
    kind_label: str
    message: str
    reference: str
    url: str
    read_url: str
    for_team: bool
    created_at: datetime


def notification_rows(user: User | AnonymousUser, *, limit: int = NOTIFICATIONS_SHOWN) -> list[NotificationRow]:
    notifications = unread_notifications(user, limit=limit)
    if not notifications:
        return []
    placeholder = "MG-0000-000000"
    case_before, case_after = reverse("case_detail", kwargs={"reference": placeholder}).split(placeholder)
    sentinel = "987654321"
    read_before, read_after = reverse("notification_read", kwargs={"notification_id": sentinel}).split(sentinel)
    return [
        NotificationRow(
            pk=n.pk,
            kind=n.kind,
            kind_label=n.get_kind_display(),
            message=n.message,
            reference=n.case.reference,
            url=f"{case_before}{n.case.reference}{case_after}",
            read_url=f"{read_before}{n.pk}{read_after}",
            for_team=n.user_id is None,
            created_at=n.created_at,
        )
        for n in notifications
    ]


def notification_mark_read(*, user: User, notification_id: int, at: datetime | None = None) -> bool:
    """Mark one of the person's own or their team's notifications read; False if it is not one.

    Marking it again keeps the first time it was read.
    """
    now = at or timezone.now()
    return bool(notifications_for(user).filter(pk=notification_id).update(read_at=Coalesce("read_at", Value(now))))


def notifications_mark_all_read(*, user: User, at: datetime | None = None) -> int:
    """Mark every unread notification of the person and their team read; how many there were."""
    return notifications_for(user).filter(read_at__isnull=True).update(read_at=at or timezone.now())
