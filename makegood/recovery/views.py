"""The guided recovery screen, the live reply coach, and the reply sent from the case page. Thin:
the rules are the services'.

Every step form posts with htmx (the answer is the screen's main block, swapped in place) and
works as a plain form without JavaScript (post, redirect, get). The coach's fragment is asked
for while the employee types; sending is decided on the server (`case_message_send`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url

from makegood.accounts.requests import staff_user
from makegood.cases.forms import ResolveForm
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case
from makegood.cases.page import case_page_render
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import MAX_MESSAGE, CaseActionError
from makegood.edges import is_htmx
from makegood.recovery.coach import BLOCK_NOTE, CoachResult
from makegood.recovery.forms import STEP_FORMS, ResponseForm, StepForm
from makegood.recovery.models import RecoveryStep, StepKind
from makegood.recovery.replies import ReplyRefused, case_message_coach, case_message_send
from makegood.recovery.scripts import script_prompts
from makegood.recovery.services import Progress, recovery_progress, recovery_step_blocker, recovery_step_record

STEP_ORDER: tuple[str, ...] = tuple(StepKind.values)


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


# The reply coach ------------------------------------------------------------------------------

COACH_CONTEXT_CHARS = 40


@dataclass(frozen=True)
class ShownFinding:
    """A finding as the page shows it: the flagged words inside a little of their sentence."""

    rule: str
    severity: str
    blocks: bool
    before: str
    excerpt: str
    after: str
    message: str
    suggestion: str


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - COACH_CONTEXT_CHARS) : start]
    after = text[end : end + COACH_CONTEXT_CHARS]
    if start > COACH_CONTEXT_CHARS:
        before = "\u2026" + before.split(" ", 1)[-1] if " " in before else "\u2026" + before
    if end + COACH_CONTEXT_CHARS < len(text):
        after = after.rsplit(" ", 1)[0] + "\u2026" if " " in after else after + "\u2026"
    return before, after


def coach_context(text: str, result: CoachResult | None, *, purpose: str, sending: bool) -> dict[str, Any]:
    """What `recovery/_coach.html` shows. `sending`: the message is an e-mail about to be sent,
    the one case where a blocking finding stops the Send button (and the server)."""
    findings = []
    for finding in result.findings if result is not None else []:
        before, after = _around(text, finding.start, finding.end)
        blocks = sending and finding.severity == "block"
        findings.append(
            ShownFinding(
                rule=finding.rule,
                severity=finding.severity,
                blocks=blocks,
                before=before,
                excerpt=finding.excerpt,
                after=after,
                # "Reword it to send" only where it does stop the sending.
                message=finding.message if blocks else finding.message.removesuffix(BLOCK_NOTE),
                suggestion=finding.suggestion,
            )
        )
    return {
        "purpose": purpose,
        "checked": bool(text.strip()) and result is not None,
        "too_long": len(text) > MAX_MESSAGE,
        "findings": findings,
        "blocking": sending and result is not None and result.blocking,
    }


def coach_for_text(case: Case, user: User, text: str, *, purpose: str, kind: str = "") -> dict[str, Any]:
    """Coach `text` written for `purpose` (`reply`, or a step: `apologize`, `solve`, `thank`)."""
    if len(text) > MAX_MESSAGE:
        return coach_context(text, None, purpose=purpose, sending=False)
    closing = purpose in ("reply", StepKind.THANK)
    result = case_message_coach(case=case, user=user, text=text, closing=closing)
    return coach_context(text, result, purpose=purpose, sending=purpose == "reply" and kind == EventKind.REPLY_SENT)


COACHED_PURPOSES = frozenset({"reply", *(kind for kind, form in STEP_FORMS.items() if form.coached)})


@require_POST
def case_coach(request: HttpRequest, reference: str) -> HttpResponse:
    """The coach's findings on the message being typed, as an HTML fragment (htmx, debounced).

    It only advises: `case_message_send` checks again when the message is sent.
    """
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    purpose = request.POST.get("coach_for", "reply")
    if purpose not in COACHED_PURPOSES:
        raise Http404("Nothing to coach here.")
    if purpose == "reply":
        text, kind = request.POST.get("body", ""), request.POST.get("kind", EventKind.REPLY_SENT)
    else:
        text, kind = request.POST.get("text", ""), ""
    context = coach_for_text(case, user, text, purpose=purpose, kind=kind)
    return render(request, "recovery/_coach.html", {"coach": context})


@require_POST
def case_respond(request: HttpRequest, reference: str) -> HttpResponse:
    """The reply form of the case page (recovery's panel there): send an e-mail or record a contact.

    A refused reply comes back on the case page with the coach's findings and the text as typed.
    """
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    form = ResponseForm(request.POST, case=case)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            # Coached again here, with the sender's own role: the browser's coach only advises.
            case_message_send(case=case, user=user, kind=kind, text=form.cleaned_data["body"])
        except ReplyRefused as exc:
            form.add_error("body", str(exc))
        except ValidationError as exc:
            for message in exc.message_dict.get("body", exc.messages):
                form.add_error("body", message)
        except CaseActionError as exc:
            messages.error(request, str(exc))
            return redirect("case_detail", reference=case.reference)
        else:
            sent = "Your reply is on its way to the customer." if kind == EventKind.REPLY_SENT else "Contact recorded."
            messages.success(request, sent)
            return redirect("case_detail", reference=case.reference)
    return case_page_render(request, case, bound={"respond": form})


# The guided screen ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepState:
    kind: str
    label: str
    number: int
    done: bool
    is_next: bool
    is_current: bool
    blocker: str  # why it cannot be recorded yet; "" when it can
    times: int  # how often it was recorded


def _done(kind: str, progress: Progress) -> bool:
    """Done as the employee sees it: a corrected repeat-back or an unaccepted solution is not."""
    if kind == StepKind.LISTEN:
        return progress.listened
    if kind == StepKind.REPEAT_BACK:
        return progress.confirmed
    if kind == StepKind.SOLVE:
        return progress.solved
    if kind == StepKind.THANK:
        return progress.thanked
    return kind in progress.done


def _initial_form(case: Case, kind: str, steps: list[RecoveryStep]) -> StepForm:
    form_class = STEP_FORMS[kind]
    if kind == StepKind.LISTEN:
        last = next((step for step in reversed(steps) if step.kind == StepKind.LISTEN), None)
        initial = {
            "text": last.text if last is not None else case.story,
            "questions": last.data.get("questions", "") if last is not None else "",
            "expectation": case.expectation,
        }
        return form_class(case=case, initial=initial)
    return form_class(case=case)


def _recover_context(
    request: HttpRequest,
    case: Case,
    *,
    current: str = "",
    form: StepForm | None = None,
    coach: dict[str, Any] | None = None,
) -> dict[str, Any]:
    user = staff_user(request)
    steps = list(case.recovery_steps.select_related("actor"))
    progress = recovery_progress(steps)
    upcoming = progress.next_step
    if current not in STEP_FORMS:
        current = form.kind if form is not None else upcoming
    editable = case.is_open and case.owner_id == user.pk
    if form is None and current and editable:
        form = _initial_form(case, current, steps)
    prompts = script_prompts(_language())
    times = {kind: sum(1 for step in steps if step.kind == kind) for kind in STEP_ORDER}
    states = [
        StepState(
            kind=kind,
            label=StepKind(kind).label,
            number=number,
            done=_done(kind, progress),
            is_next=kind == upcoming,
            is_current=kind == current,
            blocker=recovery_step_blocker(kind, progress),
            times=times[kind],
        )
        for number, kind in enumerate(STEP_ORDER, start=1)
    ]
    current_state = next((state for state in states if state.kind == current), None)
    last_solve = next((step for step in reversed(steps) if step.kind == StepKind.SOLVE), None)
    # The seam for the remedy engine (issue 4): the Solve step is where a remedy is chosen and
    # granted. Until it plugs in, the agreed next step is free text; it will add its panel to the
    # context here (`solve_panel`) and the template includes it above the Solve form.
    solve_panel: dict[str, Any] | None = None
    return {
        "case": case,
        "steps": steps,
        "progress": progress,
        "states": states,
        "current": current_state,
        "upcoming": upcoming,
        "complete": progress.thanked and upcoming == "",
        # A refused form comes back whatever the case's state, so that nothing typed is lost.
        "form": form if editable or (form is not None and form.is_bound) else None,
        "editable": editable,
        "prompt": prompts.get(current, ""),
        "coach": coach,
        "solve_panel": solve_panel,
        "resolve_form": ResolveForm(initial={"resolution": last_solve.text if last_solve else ""})
        if progress.thanked and editable
        else None,
        "is_htmx": is_htmx(request),
        "now": timezone.now(),
    }


def _recover_url(case: Case, step: str = "") -> str:
    url = reverse("recover", kwargs={"reference": case.reference})
    return f"{url}?step={step}" if step else url


def _render_recover(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    if is_htmx(request):
        # htmx swaps only 2xx answers in; the form's errors are in this one.
        return render(request, "recovery/_recover.html", context)
    return render(request, "recovery/recover.html", context, status=status)


@require_GET
def recover(request: HttpRequest, reference: str) -> HttpResponse:
    """The guided conversation, for the case's owner; `?step=` opens a step to (re)record it."""
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    if case.owner_id != user.pk:
        messages.info(request, "Take ownership of the case first: the guided recovery is for the case's owner.")
        return redirect("case_detail", reference=case.reference)
    return _render_recover(request, _recover_context(request, case, current=request.GET.get("step", "")))


@require_POST
def recover_step(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """Record one step. Refused steps come back with the service's message and the text as typed."""
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    form_class = STEP_FORMS.get(kind)
    if form_class is None:
        raise Http404("No such step.")
    form = form_class(request.POST, case=case)
    if form.is_valid():
        try:
            recovery_step_record(case=case, user=user, kind=kind, **form.service_kwargs())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except CaseActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{StepKind(kind).label}: recorded.")
            case.refresh_from_db()
            if not is_htmx(request):
                return redirect(_recover_url(case, recovery_progress(list(case.recovery_steps.all())).next_step))
            context = _recover_context(request, case)
            response = _render_recover(request, context)
            return push_url(response, _recover_url(case, context["upcoming"]))
    coach = None
    if form_class.coached:
        coach = coach_for_text(case, user, request.POST.get("text", ""), purpose=kind)
    return _render_recover(request, _recover_context(request, case, form=form, coach=coach), status=422)
