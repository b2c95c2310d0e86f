"""The improvement pages: the Pareto of causes, a cause's trend and recurring cases, and opening a fix."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makegood.accounts.requests import staff_user
from makegood.causes.models import Cause
from makegood.edges import form_add_service_errors
from makegood.improvement.access import actions_for, can_run_cause, causes_for, require_reports
from makegood.improvement.charts import Bar, pareto_svg, trend_svg
from makegood.improvement.forms import ActionForm
from makegood.improvement.models import OwnerNotice
from makegood.improvement.selectors import (
    DEFAULT_DAYS,
    ParetoRow,
    cause_cases,
    cause_trend,
    owner_queue,
    pareto,
    recent_cases_of,
    suggestion_acceptance,
)
from makegood.improvement.services import action_open

PERIODS = (30, 90, 180, 365)
RANKINGS = {"count": "Complaints", "cost": "Compensation cost", "dissatisfied": "Dissatisfied follow-ups"}


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


def money_text(cost: dict[str, Any]) -> str:
    return ", ".join(f"{currency} {amount:,.2f}" for currency, amount in sorted(cost.items())) or "0"


def _bar(row: ParetoRow, by: str) -> Bar:
    value = {"cost": float(row.cost_total), "dissatisfied": float(row.dissatisfied)}.get(by, float(row.count))
    shown = {"cost": money_text(row.cost), "dissatisfied": str(row.dissatisfied)}.get(by, str(row.count))
    return Bar(row.cause.label, value, shown, row.cumulative_share, reverse("improvement_cause", args=[row.cause.pk]))


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_reports(user)
    days = _days(request)
    by = request.GET.get("by", "count")
    by = by if by in RANKINGS else "count"
    rows = pareto(user, days=days, by=by)
    chart = pareto_svg(
        [_bar(r, by) for r in rows],
        title=f"Causes by {RANKINGS[by].lower()}, last {days} days",
        desc="Horizontal bars, biggest first; the number beside each bar is the cumulative share.",
    )
    context = {
        "rows": rows,
        "chart": chart,
        "days": days,
        "periods": PERIODS,
        "by": by,
        "rankings": RANKINGS,
        "acceptance": suggestion_acceptance(days=days),
        "live_actions": list(actions_for(user).exclude(went_live_on__isnull=True).order_by("-went_live_on")[:20]),
        "queue": owner_queue(user),
    }
    return render(request, "improvement/overview.html", context)


def cause_get_for_user(user: User, pk: int) -> Cause:
    cause = causes_for(user).filter(pk=pk).first()
    if cause is None:
        raise Http404("No such cause.")
    return cause


def _owners() -> Any:
    return User.objects.filter(is_active=True, staff__isnull=False).order_by("first_name", "username")


@require_http_methods(["GET", "POST"])
def cause_page(request: HttpRequest, cause_id: int) -> HttpResponse:
    """The cause's owner sees its trend and recurring cases and opens a fix from here."""
    user = staff_user(request)
    require_reports(user)
    cause = cause_get_for_user(user, cause_id)
    days = _days(request)
    case_rows = cause_cases(user, cause, days=days)
    choices = [(str(r.case.pk), f"{r.case.reference}: {r.case.subject or r.case.story[:60]}") for r in case_rows]
    can_open = can_run_cause(user, cause)
    form = ActionForm(request.POST or None, owners=_owners(), case_choices=choices, initial={"owner": user.pk})
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied("Only the cause's owner or a process owner opens fixes for it.")
        if form.is_valid():
            data = form.cleaned_data
            linked = list(recent_cases_of(user, cause, days=days).filter(pk__in=[int(pk) for pk in data["cases"]]))
            try:
                action = action_open(
                    cause=cause,
                    user=user,
                    title=data["title"],
                    description=data["description"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    expected_reduction=data["expected_reduction"],
                    review_on=data["review_on"],
                    cases=linked,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, f"Fix opened: {action.title}.")
                return redirect("improvement_action", action_id=action.pk)
    trend = cause_trend(cause)
    chart = trend_svg(
        trend.weeks,
        [float(n) for n in trend.counts],
        title=f"{cause.label}: complaints per week",
        desc="A line of weekly counts; dashed verticals mark fixes going live, red triangles CUSUM alarms.",
        unit="complaints per week",
        live_markers=trend.live_markers,
        alarm_markers=trend.alarm_markers,
    )
    context = {
        "cause": cause,
        "days": days,
        "periods": PERIODS,
        "case_rows": case_rows,
        "trend": trend,
        "trend_rows": list(zip(trend.weeks, trend.counts, strict=True)),
        "chart": chart,
        "actions": list(actions_for(user).filter(cause=cause)),
        "can_open": can_open,
        "form": form,
    }
    return render(request, "improvement/cause.html", context, status=400 if form.errors else 200)


@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    if not OwnerNotice.objects.filter(pk=notice_id, user=staff_user(request), read_at__isnull=True).exists():
        raise Http404("No such notice.")
    OwnerNotice.objects.filter(pk=notice_id).update(read_at=timezone.now())
    return redirect("improvement")


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The queue's strip for owners of causes and fixes (empty for everyone else)."""
    return render(request, "improvement/_mine.html", {"queue": owner_queue(staff_user(request))})
