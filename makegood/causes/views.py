"""The root-cause panel of the case page (the resolve step): three suggestions and their source,
any other cause, and whether the system or a person failed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from makegood.accounts.requests import staff_user
from makegood.accounts.roles import can_view_case
from makegood.cases.models import Case
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError
from makegood.causes.forms import CauseForm
from makegood.causes.models import Source
from makegood.causes.selectors import case_cause_of, case_story_text, causes_active
from makegood.causes.services import case_cause_set
from makegood.causes.suggester import Suggestions, causes_suggest
from makegood.edges import form_add_service_errors, is_htmx

SHOWN_SALT = "makegood.causes.shown"
SHOWN_MAX_AGE = 24 * 3600


def _percent(p: float) -> str:
    return f"{p:.0%}" if p >= 0.01 else "<1%"


def _form(case: Case, data: Any = None) -> tuple[CauseForm, Suggestions]:
    suggestions = causes_suggest(case_story_text(case))
    choices = [(str(s.cause_id), f"{s.label} ({_percent(s.probability)})") for s in suggestions.items]
    shown = signing.dumps({"source": suggestions.source, "items": suggestions.as_json()}, salt=SHOWN_SALT)
    current = case_cause_of(case)
    initial: dict[str, Any] = {"shown": shown}
    if current is not None:
        initial["failure"] = current.failure
        ids = [str(s.cause_id) for s in suggestions.items]
        initial["pick"] = str(current.cause_id) if str(current.cause_id) in ids else "other"
        initial["other"] = current.cause_id if str(current.cause_id) not in ids else None
    form = CauseForm(data, suggestions=choices, causes=causes_active(), initial=initial)
    return form, suggestions


def can_set_cause(user: Any, case: Case) -> bool:
    return bool(user.has_perm("cases.respond_case")) and can_view_case(user, case)


def panel(request: HttpRequest, case: Case, *, form: CauseForm | None = None, status: int = 200) -> HttpResponse:
    user = staff_user(request)
    fresh, suggestions = _form(case)
    context = {
        "case": case,
        "current": case_cause_of(case),
        "form": form or fresh,
        "suggestions": suggestions,
        "can_set": can_set_cause(user, case),
    }
    # htmx swaps the card into the case page; without JavaScript it is a page of its own.
    template = "causes/_panel.html" if is_htmx(request) else "causes/cause_page.html"
    return render(request, template, context, status=status)


def _shown(raw: str) -> tuple[list[dict[str, object]], str]:
    """The suggestions as the person saw them (signed into the form); none if tampered or stale."""
    try:
        shown = signing.loads(raw, salt=SHOWN_SALT, max_age=SHOWN_MAX_AGE)
    except signing.BadSignature:
        return [], Source.NONE
    return list(shown.get("items", [])), str(shown.get("source", Source.NONE))


@require_http_methods(["GET", "POST"])
def case_cause(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    if request.method == "GET":
        return panel(request, case)
    form, _suggestions = _form(case, request.POST)
    if form.is_valid():
        suggested, source = _shown(form.cleaned_data["shown"])
        cause = causes_active().filter(pk=form.chosen_id()).first()
        try:
            if cause is None:
                raise ValidationError({"pick": ["That cause is not in the taxonomy (any more)."]})
            case_cause_set(
                case=case,
                user=user,
                cause=cause,
                failure=form.cleaned_data["failure"],
                suggested=suggested,
                source=source,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc, {"cause": "pick"})
        except CaseActionError as exc:
            messages.error(request, str(exc))
            return redirect("case_detail", reference=case.reference)
        else:
            if is_htmx(request):
                return panel(request, case)
            messages.success(request, f"Root cause recorded: {cause.label}.")
            return redirect("case_detail", reference=case.reference)
    return panel(request, case, form=form, status=400)
