"""The queue's views: mine, my team's unassigned, breached, reopened, waiting on a manager (a
stage's), by channel and by feeling, each with its count.

A view narrows the queue's cases (`queue_for(narrowed=...)`) and keeps its order. A stage adds
a view of its own from its `AppConfig.ready()` (remedies: waiting on a manager):

    register_queue_view(QueueView(slug="waiting", label="Waiting on a manager", order=50, narrowed=...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q

from makegood.accounts.models import Team
from makegood.cases.models import OPEN_STATUSES, Channel, Feeling
from makegood.cases.selectors import cases_visible_to

Narrowing = Callable[[User | AnonymousUser, datetime], Q]


@dataclass(frozen=True)
class QueueView:
    slug: str
    label: str
    order: int
    narrowed: Narrowing


_views: dict[str, QueueView] = {}


def register_queue_view(view: QueueView) -> None:
    _views[view.slug] = view


def _views_in_order() -> list[QueueView]:
    return sorted(_views.values(), key=lambda v: v.order)


register_queue_view(QueueView("mine", "Mine", 10, lambda user, now: Q(owner_id=user.pk)))
register_queue_view(QueueView("unassigned", "Unassigned", 20, lambda user, now: Q(owner__isnull=True)))
register_queue_view(
    QueueView(
        "breached",
        "Breached",
        30,
        lambda user, now: Q(first_responded_at__isnull=True, first_response_due_at__lt=now),
    )
)
register_queue_view(QueueView("reopened", "Reopened", 40, lambda user, now: Q(reopen_count__gt=0)))

CHANNEL_PREFIX, FEELING_PREFIX = "channel-", "feeling-"


def queue_view_get(slug: str) -> QueueView | None:
    """The view named in the URL (`mine`, `channel-phone`, `feeling-angry`…), None for all or an unknown one."""
    if slug in _views:
        return _views[slug]
    if slug.startswith(CHANNEL_PREFIX) and slug.removeprefix(CHANNEL_PREFIX) in Channel.values:
        channel = Channel(slug.removeprefix(CHANNEL_PREFIX))
        return QueueView(slug, channel.label, 100, lambda user, now: Q(channel=channel.value))
    if slug.startswith(FEELING_PREFIX) and slug.removeprefix(FEELING_PREFIX) in Feeling.values:
        feeling = Feeling(slug.removeprefix(FEELING_PREFIX))
        return QueueView(slug, feeling.label, 200, lambda user, now: Q(detected_feeling=feeling.value))
    return None


@dataclass(frozen=True)
class ViewLink:
    slug: str
    label: str
    count: int
    current: bool


@dataclass(frozen=True)
class QueueViews:
    views: list[ViewLink]
    channels: list[ViewLink]
    feelings: list[ViewLink]
    all_count: int


def queue_view_counts(user: User | AnonymousUser, *, team: Team | None, now: datetime, current: str) -> QueueViews:
    """How many open cases of the team (None: the unrouted ones) each view holds: three queries however many views
    (one conditional count for the named views, one per grouping for channels and feelings)."""
    # No team: the unrouted cases (those in no team), as the queue shows them.
    cases = cases_visible_to(user).filter(team=team, status__in=OPEN_STATUSES).order_by()
    named = _views_in_order()
    counts = cases.aggregate(
        all=Count("pk"), **{f"v_{i}": Count("pk", filter=view.narrowed(user, now)) for i, view in enumerate(named)}
    )
    views = [ViewLink(v.slug, v.label, counts[f"v_{i}"], v.slug == current) for i, v in enumerate(named)]
    by_channel = {row["channel"]: row["n"] for row in cases.values("channel").annotate(n=Count("pk"))}
    channels = [
        ViewLink(f"{CHANNEL_PREFIX}{value}", str(label), by_channel[value], current == f"{CHANNEL_PREFIX}{value}")
        for value, label in Channel.choices
        if by_channel.get(value)
    ]
    feeling_rows = cases.exclude(detected_feeling="").values("detected_feeling").annotate(n=Count("pk"))
    by_feeling = {row["detected_feeling"]: row["n"] for row in feeling_rows}
    feelings = [
        ViewLink(f"{FEELING_PREFIX}{value}", str(label), by_feeling[value], current == f"{FEELING_PREFIX}{value}")
        for value, label in Feeling.choices
        if by_feeling.get(value)
    ]
    return QueueViews(views=views, channels=channels, feelings=feelings, all_count=counts["all"])
