"""Managers' approvals queue, and the authority strip at the top of the queue.

A manager approves (the employee delivers the good news and grants it) or says "I'll handle this
myself" (the case becomes theirs, and they contact the customer personally). There is no deny.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from makegood.accounts.requests import staff_user
from makegood.cases.kinds import EventKind
from makegood.cases.models import Channel, Feeling, LossKind, Severity
from makegood.cases.selectors import cases_visible_to
from makegood.cases.services import CaseActionError
from makegood.edges import form_add_service_errors, is_htmx
from makegood.remedies.authority import Remaining, money
from makegood.remedies.escalations import approval_decide
from makegood.remedies.forms import DecisionForm
from makegood.remedies.models import Escalation, RemedyKind, RemedyType
from makegood.remedies.presenters import options_shown
from makegood.remedies.selectors import authority_status, escalations_pending_for, remedy_types_active


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


@dataclass
class Pending:
    escalation: Escalation
    form: DecisionForm
    story: dict[str, Any]


def _story(escalation: Escalation) -> dict[str, Any]:
    """The escalation's snapshot, with labels and money written out for the page."""
    story = dict(escalation.story or {})
    loss = dict(story.get("loss") or {})
    currency = loss.get("currency") or escalation.currency
    demand = story.get("demand") or {}
    asked = _label(RemedyKind, demand.get("kind", "")) if demand.get("kind") else "Money back"
    if demand.get("amount"):
        asked += f" of {money(Decimal(demand['amount']), escalation.currency)}"
    granted = [
        {
            **g,
            "text": g["name"] + (f" of {money(Decimal(g['amount']), escalation.currency)}" if g.get("amount") else ""),
        }
        for g in story.get("granted") or []
    ]
    case = escalation.case
    timeline = []
    for event in story.get("timeline") or []:
        try:
            at: datetime | None = datetime.fromisoformat(event.get("at", ""))
        except ValueError:
            at = None
        timeline.append({**event, "at": at, "kind_label": _label(EventKind, event.get("kind", ""))})
    return {
        **story,
        "channel_label": _label(Channel, story.get("channel", "")),
        "loss_kind_label": _label(LossKind, loss.get("kind", "")) if loss.get("kind") else "Not recorded",
        "loss_amount_text": money(Decimal(loss["amount"]), currency) if loss.get("amount") else "",
        "severity_label": _label(Severity, loss.get("severity", "")) if loss.get("severity") else "",
        "at_fault": bool(loss.get("business_at_fault")),
        "repeat": bool(loss.get("repeat_failure")),
        "feeling_label": _label(Feeling, story.get("feeling", "")) if story.get("feeling") else "",
        "asked": asked,
        "offered_shown": options_shown(story.get("offered") or [], case=case),
        "granted_shown": granted,
        "timeline_shown": timeline,
    }


def _remedies_for(remaining: Remaining) -> list[RemedyType]:
    allowed = remaining.policy.allowed_kinds
    return [r for r in remedy_types_active(currency=remaining.currency) if r.kind in allowed]


def _page(request: HttpRequest, *, refused: tuple[int, DecisionForm] | None = None) -> HttpResponse:
    manager = staff_user(request)
    remaining = authority_status(user=manager)
    remedies = _remedies_for(remaining)
    pending = []
    for escalation in escalations_pending_for(manager=manager):
        form = refused[1] if refused is not None and refused[0] == escalation.pk else None
        form = form or DecisionForm(remedies=remedies, prefix=f"e{escalation.pk}")
        form.set_currency(escalation.currency)
        pending.append(Pending(escalation=escalation, form=form, story=_story(escalation)))
    decided = (
        Escalation.objects.filter(decided_by=manager)
        .select_related("case", "raised_by")
        .order_by("-decided_at", "-pk")[:10]
    )
    context = {
        "pending": pending,
        "decided": list(decided),
        "remaining": remaining,
        "left_today": money(remaining.left_today, remaining.currency),
        "left_month": money(remaining.left_this_month, remaining.currency),
        "cap_per_case": money(remaining.policy.cap_per_case, remaining.currency),
    }
    return render(request, "remedies/approvals.html", context, status=400 if refused else 200)


@permission_required("remedies.decide_escalation", raise_exception=True)
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    return _page(request)


@permission_required("remedies.decide_escalation", raise_exception=True)
@require_POST
def approval_decide_view(request: HttpRequest, escalation_id: int) -> HttpResponse:
    manager = staff_user(request)
    escalation = (
        Escalation.objects.filter(pk=escalation_id, case__in=cases_visible_to(manager))
        .select_related("case", "raised_by")
        .first()
    )
    if escalation is None:
        raise Http404("No such escalation.")
    remaining = authority_status(user=manager)
    form = DecisionForm(request.POST, remedies=_remedies_for(remaining), prefix=f"e{escalation.pk}")
    if not form.is_valid():
        return _page(request, refused=(escalation.pk, form))
    data = form.cleaned_data
    approve = data["decision"] == "approve"
    remedy = None
    if approve and data.get("remedy_type") is not None:
        remedy = RemedyType.objects.filter(pk=data["remedy_type"]).first()
        if remedy is None:
            form.add_error("remedy_type", "Choose a remedy.")
            return _page(request, refused=(escalation.pk, form))
    try:
        approval_decide(
            escalation=escalation,
            manager=manager,
            approve=approve,
            note=data["note"],
            remedy_type=remedy,
            amount=(data["amount"] or None) if approve else None,
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _page(request, refused=(escalation.pk, form))
    except CaseActionError as exc:
        messages.error(request, f"{escalation.case.reference}: {exc}")
        return redirect("remedies_approvals")
    employee = escalation.raised_by.get_full_name() or escalation.raised_by.get_username()
    if approve:
        messages.success(
            request, f"Approved. {employee} will tell the customer the good news on {escalation.case.reference}."
        )
        return redirect("remedies_approvals")
    customer = escalation.case.customer.name or "the customer"
    messages.success(request, f"{escalation.case.reference} is yours now. Contact {customer} personally.")
    return redirect("case_detail", reference=escalation.case.reference)


@require_GET
def authority_strip(request: HttpRequest) -> HttpResponse:
    """For the queue's header: the employee's authority left, and a manager's approvals waiting."""
    user = staff_user(request)
    context: dict[str, Any] = {"remaining": None, "approvals_waiting": None}
    if user.has_perm("remedies.grant_remedy"):
        remaining = authority_status(user=user)
        context.update(
            remaining=remaining,
            per_case=money(remaining.policy.cap_per_case, remaining.currency),
            left_today=money(remaining.left_today, remaining.currency),
            cap_today=money(remaining.policy.cap_per_day, remaining.currency),
            left_month=money(remaining.left_this_month, remaining.currency),
            cap_month=money(remaining.policy.budget_per_month, remaining.currency),
        )
    if user.has_perm("remedies.decide_escalation"):
        context["approvals_waiting"] = escalations_pending_for(manager=user).count()
    context["can_report"] = user.has_perm("remedies.view_remedy_reports")
    context["is_htmx"] = is_htmx(request)
    return render(request, "remedies/_authority_strip.html", context)
