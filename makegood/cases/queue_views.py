"""The queue's views: mine, my team's unassigned, breached, reopened, waiting on a manager (a
stage's), by channel and by feeling, each with its count.

A view narrows the queue's cases (`queue_for(narrowed=...)`) and keeps its order. A stage adds
a view of its own from its `AppConfig.ready()` (remedies: waiting on a manager):

    register_queue_view(QueueView(slug="waiting", label="Waiting on a manager", order=50, narrowed=...))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q

from makegood.accounts.models import Team
from makegood.cases.models import OPEN_STATUSES, Channel, Feeling
from makegood.cases.selectors import team_cases_visible_to

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
    """How many open cases of the team (None: the unrouted ones) each view holds, in one query
    however many views: the open cases grouped by channel and feeling (a few dozen groups at most),
    each group with its count in every named view; a view's count is the sum over the groups.

    With the whole team visible, the query reads the index `case_queue_views_idx` (every column a
    view narrows on), never the table: `cases/tests/test_queue_views.py` pins that plan.
    """
    cases = team_cases_visible_to(user, team=team).filter(status__in=OPEN_STATUSES).order_by()
    named = _views_in_order()
    in_view = [f"v_{i}" for i in range(len(named))]
    groups = (
        cases.values("channel", "detected_feeling")
        .annotate(
            n=Count("pk"),
            **{key: Count("pk", filter=v.narrowed(user, now)) for key, v in zip(in_view, named, strict=True)},
        )
        .values_list("channel", "detected_feeling", "n", *in_view)
    )
    all_count, totals = 0, [0] * len(named)
    by_channel: Counter[str] = Counter()
    by_feeling: Counter[str] = Counter()
    for channel, feeling, n, *counts in groups:
        all_count += n
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        by_channel[channel] += n
        if feeling:
            by_feeling[feeling] += n
    views = [ViewLink(v.slug, v.label, total, v.slug == current) for v, total in zip(named, totals, strict=True)]
    channels = [
        ViewLink(f"{CHANNEL_PREFIX}{value}", str(label), by_channel[value], current == f"{CHANNEL_PREFIX}{value}")
        for value, label in Channel.choices
        if by_channel[value]
    ]
    feelings = [
        ViewLink(f"{FEELING_PREFIX}{value}", str(label), by_feeling[value], current == f"{FEELING_PREFIX}{value}")
        for value, label in Feeling.choices
        if by_feeling[value]
    ]
    return QueueViews(views=views, channels=channels, feelings=feelings, all_count=all_count)
