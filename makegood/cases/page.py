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
from makegood.accounts.roles import team_id_of
from makegood.cases.forms import NoteForm, ResolveForm, TransferForm
from makegood.cases.handoffs import may_transfer
from makegood.cases.models import Case
from makegood.cases.panels import (
    CasePage,
    Panel,
    QueuePage,
    case_page_assets,
    case_panels,
    register_case_panel,
    register_queue_panel,
)
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
    incoming = case.transfer_team_id is not None and case.transfer_team_id == team_id_of(user)
    can_take = (
        case.is_open
        and (not page.is_owner or incoming)
        and user.has_perm("cases.respond_case")
        and (case.owner_id is None or incoming or user.has_perm("cases.reassign_case"))
    )
    return {"incoming": incoming} if can_take else None


def resolve_panel(page: CasePage) -> dict[str, Any] | None:
    if not (page.is_owner and page.case.is_open):
        return None
    return {"resolve_form": page.bound.get("resolve") or ResolveForm()}


def transfer_panel(page: CasePage) -> dict[str, Any] | None:
    """Hand-off: a transfer under way (who has the case, withdraw it), or the form to start one."""
    case, user = page.case, page.user
    if not may_transfer(user, case):
        return None
    form = page.bound.get("transfer") or TransferForm(exclude_team_id=case.team_id)
    return {"transfer_form": form}


def notes_panel(page: CasePage) -> dict[str, Any] | None:
    if not (page.user.has_perm("cases.respond_case")):
        return None
    return {"note_form": page.bound.get("note") or NoteForm()}


def incoming_panel(page: QueuePage) -> dict[str, Any] | None:
    """Above the queue: cases another team is handing to this one. Loaded by htmx after the page
    (`views.queue_transfers`), so the queue itself pays no query for it."""
    return None if page.team is None else {"transfers_team": page.team}


def attachments_panel(page: CasePage) -> dict[str, Any] | None:
    attachments = list(page.case.attachments.order_by("created_at", "pk"))
    return {"attachments": attachments} if attachments else None


# Where the stages' panels go between the core's: recovery's guided-recovery card (20) and reply
# form (30) come between taking ownership and resolving, follow-up's card (50) after; remedies'
# panel (20) between the story and the attachments.
TAKE_ORDER, RESOLVE_ORDER, ATTACHMENTS_ORDER = 10, 40, 30
# The hand-off and the internal note come last on the side: the customer's work comes first.
TRANSFER_ORDER, NOTE_ORDER = 70, 80


def register_core_panels() -> None:
    register_case_panel(
        "case_side", Panel(name="take", template="cases/_panel_take.html", order=TAKE_ORDER, context=take_panel)
    )
    register_case_panel(
        "case_side",
        Panel(name="resolve", template="cases/_panel_resolve.html", order=RESOLVE_ORDER, context=resolve_panel),
    )
    register_case_panel(
        "case_side",
        Panel(name="transfer", template="cases/_panel_transfer.html", order=TRANSFER_ORDER, context=transfer_panel),
    )
    register_case_panel(
        "case_side", Panel(name="note", template="cases/_panel_note.html", order=NOTE_ORDER, context=notes_panel)
    )
    register_queue_panel(
        "queue_top", Panel(name="transfers", template="cases/_queue_transfers.html", order=5, context=incoming_panel)
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
