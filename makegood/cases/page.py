"""The case page: the core's frame (header, facts, story, timeline) and the core's own panels
(taking ownership, resolving, the attachments).

The stages' cards come from `cases/panels.py`. Every view that shows the page calls
`case_page_render`: the core's, and a stage's whose form comes back refused (recovery's reply).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from makegood.accounts.requests import staff_user
from makegood.cases.forms import ResolveForm
from makegood.cases.models import Case
from makegood.cases.panels import CasePage, Panel, case_page_assets, case_panels, register_case_panel
from makegood.cases.queue import clock_of


def case_page_render(
    request: HttpRequest, case: Case, *, bound: Mapping[str, forms.BaseForm] | None = None, status: int = 200
) -> HttpResponse:
    """The case page for the signed-in person. `bound`: a refused form, by the name of its panel."""
    user = staff_user(request)
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    page = CasePage(
        request=request, user=user, case=case, events=events, is_owner=case.owner_id == user.pk, bound=bound or {}
    )
    now = timezone.now()
    context = {
        "case": case,
        "clock": clock_of(case, now=now),
        "events": events,
        "is_owner": page.is_owner,
        "side_panels": case_panels(page, "case_side"),
        "main_panels": case_panels(page, "case_main"),
        "assets": case_page_assets(),
        "now": now,
    }
    return render(request, "cases/case_detail.html", context, status=status)


def take_panel(page: CasePage) -> dict[str, Any] | None:
    """Offered to someone who may take the open case: nobody owns it, or they may reassign it."""
    case, user = page.case, page.user
    can_take = (
        case.is_open
        and not page.is_owner
        and user.has_perm("cases.respond_case")
        and (case.owner_id is None or user.has_perm("cases.reassign_case"))
    )
    return {} if can_take else None


def resolve_panel(page: CasePage) -> dict[str, Any] | None:
    if not (page.is_owner and page.case.is_open):
        return None
    return {"resolve_form": page.bound.get("resolve") or ResolveForm()}


def attachments_panel(page: CasePage) -> dict[str, Any] | None:
    attachments = list(page.case.attachments.order_by("created_at", "pk"))
    return {"attachments": attachments} if attachments else None


# Where the stages' panels go between the core's: recovery's guided-recovery card (20) and reply
# form (30) come between taking ownership and resolving, follow-up's card (50) after; remedies'
# panel (20) between the story and the attachments.
TAKE_ORDER, RESOLVE_ORDER, ATTACHMENTS_ORDER = 10, 40, 30


def register_core_panels() -> None:
    register_case_panel(
        "case_side", Panel(name="take", template="cases/_panel_take.html", order=TAKE_ORDER, context=take_panel)
    )
    register_case_panel(
        "case_side",
        Panel(name="resolve", template="cases/_panel_resolve.html", order=RESOLVE_ORDER, context=resolve_panel),
    )
    register_case_panel(
        "case_main",
        Panel(
            name="attachments",
            template="cases/_panel_attachments.html",
            order=ATTACHMENTS_ORDER,
            context=attachments_panel,
        ),
    )
