"""A fix's page: its state, its measured effect, and telling its customers it is fixed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from makegood.accounts.requests import staff_user
from makegood.cases.selectors import cases_visible_to
from makegood.cases.services import CaseActionError
from makegood.edges import form_add_service_errors
from makegood.improvement.access import action_get_for_user, can_run_action
from makegood.improvement.announcements import (
    AnnouncementRefused,
    announcement_coach,
    announcement_recipients,
    fix_announce,
)
from makegood.improvement.charts import comparison_svg
from makegood.improvement.effect import Effect, action_effect
from makegood.improvement.forms import AnnouncementForm, GoLiveForm, ReviewForm
from makegood.improvement.models import ActionState, ImprovementAction
from makegood.improvement.services import action_advance, action_review


def effect_chart(effect: Effect) -> Any:
    ratio = effect.ratio
    if ratio is None:
        return None
    return comparison_svg(
        before=ratio.before_count / ratio.before_exposure,
        after=ratio.after_count / ratio.after_exposure,
        ratio=ratio.ratio,
        low=ratio.low,
        high=ratio.high,
        expected=effect.expected_reduction,
        unit=f"Complaints {effect.unit}",
        title="Before and after the fix",
        desc=(
            f"Rate ratio {ratio.ratio:.2f}, 95% interval {ratio.low:.2f} to {ratio.high:.2f}; "
            f"the fall expected was {effect.expected_reduction}%."
        ),
    )


def _page(request: HttpRequest, action: ImprovementAction, **forms: Any) -> HttpResponse:
    user = staff_user(request)
    effect = action_effect(action, today=timezone.localdate())
    announce_form = forms.get("announce_form") or AnnouncementForm()
    body = announce_form.data.get("body", "") if announce_form.is_bound else ""
    context = {
        "action": action,
        "effect": effect,
        "chart": effect_chart(effect) if effect else None,
        "effect_rows": list(zip(effect.series.weeks, effect.series.counts, strict=True)) if effect else [],
        "can_run": can_run_action(user, action),
        "linked": list(cases_visible_to(user).filter(improvement_actions=action).select_related("customer")[:200]),
        "recipients": announcement_recipients(action) if action.went_live_on else [],
        "coach": announcement_coach(body, user) if body else None,
        "live_form": forms.get("live_form") or GoLiveForm(initial={"went_live_on": timezone.localdate()}),
        "review_form": forms.get("review_form") or ReviewForm(),
        "announce_form": announce_form,
        "alarms": list(action.alarms.all()[:10]),
    }
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render(request, "improvement/action.html", context, status=status)


@require_GET
def action_page(request: HttpRequest, action_id: int) -> HttpResponse:
    return _page(request, action_get_for_user(staff_user(request), action_id))


@require_POST
def action_advance_view(request: HttpRequest, action_id: int) -> HttpResponse:
    user = staff_user(request)
    action = action_get_for_user(user, action_id)
    form = GoLiveForm(request.POST)
    if not form.is_valid():
        return _page(request, action, live_form=form)
    try:
        action = action_advance(action=action, user=user, went_live_on=form.cleaned_data.get("went_live_on"))
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _page(request, action, live_form=form)
    except (CaseActionError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The fix is {action.get_state_display().lower()}.")
    return redirect("improvement_action", action_id=action.pk)


@require_POST
def action_review_view(request: HttpRequest, action_id: int) -> HttpResponse:
    user = staff_user(request)
    action = action_get_for_user(user, action_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            action = action_review(action=action, user=user, note=form.cleaned_data["note"])
        except (CaseActionError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Reviewed: {action.get_verdict_display()}.")
    return redirect("improvement_action", action_id=action.pk)


@require_POST
def action_announce_view(request: HttpRequest, action_id: int) -> HttpResponse:
    """Preview (the coach's findings and who gets it), then send with `confirm`."""
    user = staff_user(request)
    action = action_get_for_user(user, action_id)
    if not can_run_action(user, action):
        raise PermissionDenied("Only the fix's owner, the cause's owner or a process owner tells customers.")
    form = AnnouncementForm(request.POST)
    if not form.is_valid() or "confirm" not in request.POST:
        return _page(request, action, announce_form=form)
    try:
        sent = fix_announce(action=action, user=user, body=form.cleaned_data["body"])
    except AnnouncementRefused as exc:
        form.add_error("body", str(exc))
        return _page(request, action, announce_form=form)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _page(request, action, announce_form=form)
    except CaseActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Told {sent} customer{'s' if sent != 1 else ''} that it is fixed.")
    return redirect("improvement_action", action_id=action.pk)


def action_state_is_live(action: ImprovementAction) -> bool:
    return action.state in (ActionState.LIVE, ActionState.REVIEWED)
