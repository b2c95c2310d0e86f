"""The causes' cards: the root cause on the case page (the resolve step) and the queue's filter
by cause and failure. Both load after the page, so neither costs the page's own queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from makegood.accounts.requests import staff_user
from makegood.cases.panels import CasePage, Panel, register_case_panel, register_queue_panel
from makegood.cases.queue import queue_team_for
from makegood.cases.selectors import cases_visible_to
from makegood.causes.models import CaseCause, CauseEventKind, Failure
from makegood.causes.selectors import causes_grouped

# Just above the core's resolve card (40): the cause is the first thing the resolve step asks.
CAUSE_ORDER = 35
FILTER_ORDER = 40
FILTER_DAYS = 90
FILTER_LIMIT = 50


def cause_card(page: CasePage) -> dict[str, Any] | None:
    """For the case's owner (the resolve step), and for anyone once a cause is set: read off the
    timeline the page already has, so the card costs the page no query."""
    has_cause = any(event.kind == CauseEventKind.CAUSE_SET for event in page.events)
    return {} if page.is_owner or has_cause else None


def register_panels() -> None:
    register_case_panel(
        "case_side",
        Panel(
            name="cause",
            template="causes/_case_panel.html",
            order=CAUSE_ORDER,
            context=cause_card,
            permission="causes.view_cause",
        ),
    )
    register_queue_panel(
        "queue_top",
        Panel(
            name="cause_filter",
            template="causes/_queue_filter.html",
            order=FILTER_ORDER,
            permission="causes.view_cause",
        ),
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@require_GET
def queue_causes(request: HttpRequest) -> HttpResponse:
    """The queue's filter: the team's cases (open, or received lately) with a cause and failure."""
    user = staff_user(request)
    team = queue_team_for(user, slug=request.GET.get("team", ""))
    cause_id = _int(request.GET.get("cause", ""))
    failure = request.GET.get("failure", "")
    failure = failure if failure in Failure.values else ""
    rows: list[Any] = []
    filtered = cause_id is not None or bool(failure)
    if filtered and team is not None:
        since = timezone.now() - timedelta(days=FILTER_DAYS)
        visible = cases_visible_to(user).filter(team=team, received_at__gte=since)
        found = CaseCause.objects.filter(case__in=visible).select_related("case", "cause__category")
        if cause_id is not None:
            found = found.filter(cause_id=cause_id)
        if failure:
            found = found.filter(failure=failure)
        rows = list(found.order_by("-received_at", "-pk")[: FILTER_LIMIT + 1])
    context = {
        "team": team,
        "grouped": causes_grouped(),
        "failures": Failure.choices,
        "chosen_cause": cause_id,
        "chosen_failure": failure,
        "filtered": filtered,
        "rows": rows[:FILTER_LIMIT],
        "truncated": len(rows) > FILTER_LIMIT,
        "days": FILTER_DAYS,
    }
    return render(request, "causes/_queue_causes.html", context)
