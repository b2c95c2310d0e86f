"""Follow-up pages: the customer's survey (signed link, no login), the owner's call sheet and the
managers' report. Thin: every write is `followup_answer`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makegood.accounts.reports import ReportFilterForm
from makegood.accounts.requests import staff_user
from makegood.accounts.roles import report_scope
from makegood.cases.models import Status
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError
from makegood.edges import form_add_service_errors, is_htmx
from makegood.followup.attempts import followup_call_attempt_record
from makegood.followup.forms import AnswerForm, CallAnswerForm, CallAttemptForm
from makegood.followup.links import LinkExpired, LinkInvalid, follow_up_from_token
from makegood.followup.models import ANSWERABLE_STATES, FollowUp, FollowUpAnswer, Outcome, Via
from makegood.followup.selectors import calls_to_make_for, followup_outcomes, may_record_call
from makegood.followup.services import FollowUpError, followup_answer


def _public(**context: object) -> dict[str, object]:
    return {"business_name": settings.BUSINESS_NAME, **context}


def _answer_of(follow_up: FollowUp) -> FollowUpAnswer | None:
    return FollowUpAnswer.objects.filter(follow_up=follow_up).first()


def _link_problem(request: HttpRequest, *, title: str, text: str, status: int) -> HttpResponse:
    return render(request, "followup/survey_problem.html", _public(title=title, text=text), status=status)


# The customer's survey --------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """One page, four questions, one answer per link: once answered, the link shows the answer."""
    try:
        follow_up = follow_up_from_token(token)
    except LinkExpired:
        return _link_problem(
            request,
            title="This link has expired",
            text="Survey links work for two weeks. If something is still wrong, reply to our e-mail and "
            "the person who looked after you will come back to you.",
            status=410,
        )
    except LinkInvalid:
        return _link_problem(
            request,
            title="This link does not work",
            text="It may have been cut short or changed on the way. Open it again from our e-mail, or "
            "reply to that e-mail to tell us how things stand.",
            status=400,
        )
    answer = _answer_of(follow_up)
    if answer is not None:
        return render(request, "followup/survey_answered.html", _public(case=follow_up.case, answer=answer))
    if follow_up.state not in ANSWERABLE_STATES or follow_up.case.status != Status.RESOLVED:
        return _link_problem(
            request,
            title="This survey is closed",
            text="Your case has moved on since we sent it. If something is still wrong, reply to our "
            "e-mail and we will look at it.",
            status=410,
        )
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            followup_answer(follow_up=follow_up, via=Via.WEB, **form.answer_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except FollowUpError:
            # Answered a moment ago (a double click) or closed meanwhile: the page says which.
            return redirect(request.path)
        else:
            # Post/redirect/get: a reload does not send the answer again, and shows it.
            return redirect(request.path)
    return render(request, "followup/survey.html", _public(case=follow_up.case, form=form))


# The owner's call sheet -------------------------------------------------------------------------


@permission_required("cases.respond_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def call_answer(request: HttpRequest, reference: str, follow_up_id: int) -> HttpResponse:
    """The owner calls the customer and writes down the answers (the same four questions)."""
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    follow_up = FollowUp.objects.filter(case=case, pk=follow_up_id).first()
    if follow_up is None:
        raise Http404("No such follow-up.")
    if not may_record_call(user, case):
        raise PermissionDenied("Only the case's owner (or a manager) records the follow-up call.")
    if follow_up.state not in ANSWERABLE_STATES or case.status != Status.RESOLVED:
        messages.info(request, f"The follow-up of {case.reference} is {follow_up.get_state_display().lower()}.")
        return redirect("case_detail", reference=case.reference)
    form = CallAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            answer = followup_answer(follow_up=follow_up, via=Via.CALL, recorded_by=user, **form.answer_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except FollowUpError as exc:
            messages.error(request, f"{case.reference}: {exc}")
            return redirect("case_detail", reference=case.reference)
        else:
            if answer.outcome == Outcome.REOPENED:
                messages.warning(request, f"{case.reference} is reopened: the customer is not satisfied yet.")
            else:
                messages.success(request, f"Answer recorded. {case.reference} is closed.")
            return redirect("case_detail", reference=case.reference)
    context = {"case": case, "follow_up": follow_up, "form": form, "attempt_form": CallAttemptForm()}
    return render(request, "followup/call_answer.html", context, status=200)


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    """The follow-up calls waiting for this person: the queue loads the list by htmx; opened
    directly (the top navigation's "Calls") it is a page of its own."""
    context = {"calls": calls_to_make_for(staff_user(request))}
    if is_htmx(request):
        return render(request, "followup/_calls_list.html", context)
    return render(request, "followup/calls.html", context)


# The managers' report ---------------------------------------------------------------------------


def _percent(value: Any) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


@permission_required("remedies.view_remedy_reports", raise_exception=True)
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """What customers said after resolution: answered satisfied, reopened, silent, and how many answer."""
    teams, team, locked, visible = report_scope(staff_user(request), request.GET.get("team", ""))
    form = ReportFilterForm(request.GET, teams=[] if locked else teams)
    valid = form.is_valid()
    first, last = (form.cleaned_data["first_day"], form.cleaned_data["last_day"]) if valid else form.default_range()
    outcomes = followup_outcomes(first_day=first, last_day=last, team=team) if visible and valid else None
    context = {
        "form": form,
        "first": first,
        "last": last,
        "team": team,
        "locked": locked,
        "visible": visible,
        "outcomes": outcomes,
        "response_rate": _percent(outcomes.response_rate) if outcomes else "",
        "satisfied_rate": _percent(outcomes.satisfied_rate) if outcomes else "",
    }
    return render(request, "followup/report.html", context, status=200 if valid else 400)


@permission_required("cases.respond_case", raise_exception=True)
@require_POST
def call_attempt(request: HttpRequest, reference: str, follow_up_id: int) -> HttpResponse:
    """The call did not get the answers: couldn't reach them, voicemail, or call back at a time."""
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    follow_up = FollowUp.objects.filter(case=case, pk=follow_up_id).first()
    if follow_up is None:
        raise Http404("No such follow-up.")
    form = CallAttemptForm(request.POST)
    if form.is_valid():
        try:
            attempt = followup_call_attempt_record(
                follow_up=follow_up,
                user=user,
                outcome=form.cleaned_data["outcome"],
                call_back_at=form.cleaned_data["call_back_at"],
                note=form.cleaned_data["note"],
            )
        except CaseActionError as exc:
            messages.error(request, f"{case.reference}: {exc}")
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Recorded: {attempt.get_outcome_display().lower()}. The call stays on your list."
            )
            return redirect("followup_calls")
    if form.errors:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("followup_call_answer", reference=case.reference, follow_up_id=follow_up.pk)
