"""Staff pages for cases: the queue and the case page. Thin: every write is a service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from makegood.accounts.models import Team
from makegood.accounts.requests import staff_user
from makegood.cases.forms import ResolveForm, ResponseForm
from makegood.cases.kinds import EventKind
from makegood.cases.models import Attachment, Case
from makegood.cases.notifications import notification_mark_read, notification_rows, notifications_mark_all_read
from makegood.cases.queue import clock_of, queue_for, queue_team_for
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError, case_resolve, case_take_ownership
from makegood.edges import is_htmx
from makegood.recovery.models import RecoveryEventKind, RecoveryStep
from makegood.recovery.replies import ReplyRefused, case_message_send
from makegood.recovery.services import recovery_progress
from makegood.recovery.views import coach_for_text


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("queue")


# The queue ------------------------------------------------------------------------------------


def _queue_context(request: HttpRequest, team_slug: str) -> dict[str, Any]:
    user = staff_user(request)
    team = queue_team_for(user, slug=team_slug)
    can_switch = user.has_perm("cases.view_all_cases")
    team_param = team.slug if team is not None and team_slug else ""
    hidden = format_html('<input type="hidden" name="from" value="{}">', "queue")
    if team_param:
        hidden += format_html('<input type="hidden" name="team" value="{}">', team_param)
    return {
        "queue": queue_for(user, team=team, now=timezone.now()),
        "notifications": notification_rows(user),
        "team": team,
        "teams": list(Team.objects.only("name", "slug")) if can_switch else [],
        "team_param": team_param,
        "can_take": user.has_perm("cases.respond_case"),
        # Rendered once, not once per row (see QueueRow).
        "csrf_input": csrf_input(request),
        "take_hidden": hidden,
    }


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/queue.html", _queue_context(request, request.GET.get("team", "")))


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def queue_rows(request: HttpRequest) -> HttpResponse:
    """The queue's table alone: htmx polls it so that new cases appear and the clocks stay right."""
    return render(request, "cases/_queue.html", _queue_context(request, request.GET.get("team", "")))


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    """After an action taken from the queue: the refreshed queue (htmx), else a redirect to it."""
    team_slug = request.POST.get("team", "")
    if is_htmx(request):
        return render(request, "cases/_queue.html", _queue_context(request, team_slug))
    return redirect(reverse("queue") + (f"?{urlencode({'team': team_slug})}" if team_slug else ""))


@permission_required("cases.view_case", raise_exception=True)
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notice read: only the person's own or their team's (anyone else's is a 404)."""
    if not notification_mark_read(user=staff_user(request), notification_id=notification_id):
        raise Http404("No such notification.")
    return _back_to_queue(request)


@permission_required("cases.view_case", raise_exception=True)
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=staff_user(request))
    return _back_to_queue(request)


# The case page ---------------------------------------------------------------------------------


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    response_form: ResponseForm | None = None,
    resolve_form: ResolveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    is_owner = case.owner_id == user.pk
    can_take = (
        case.is_open
        and not is_owner
        and user.has_perm("cases.respond_case")
        and (case.owner_id is None or user.has_perm("cases.reassign_case"))
    )
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    reply_coach = None
    if response_form is not None and response_form.is_bound and response_form.data.get("body"):
        # The refused (or invalid) reply comes back with the coach's findings, no JavaScript needed.
        reply_coach = coach_for_text(
            case,
            user,
            str(response_form.data.get("body", "")),
            purpose="reply",
            kind=str(response_form.data.get("kind", "")),
        )
    # Where the guided recovery stands, read off the timeline (each step is an event too).
    recorded = [
        RecoveryStep(kind=event.data.get("step", ""), data=event.data)
        for event in events
        if event.kind == RecoveryEventKind.RECOVERY_STEP
    ]
    context = {
        "case": case,
        "clock": clock_of(case, now=timezone.now()),
        "events": events,
        "reply_coach": reply_coach,
        "recovery_next": recovery_progress(recorded).next_step,
        "recovery_started": bool(recorded),
        "attachments": list(case.attachments.order_by("created_at", "pk")),
        "is_owner": is_owner,
        "can_take": can_take,
        "response_form": response_form or ResponseForm(case=case),
        "resolve_form": resolve_form or ResolveForm(),
        "now": timezone.now(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, case_get_for_user(staff_user(request), reference))


@require_POST
def case_take(request: HttpRequest, reference: str) -> HttpResponse:
    """ "I am taking ownership", from the queue (htmx: answers with the refreshed queue) or the case page."""
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    try:
        case_take_ownership(case=case, user=user)
    except CaseActionError as exc:
        messages.error(request, f"{case.reference}: {exc}")
    else:
        messages.success(request, f"You own {case.reference} now. The customer is waiting for you.")
    if request.POST.get("from") != "queue":
        return redirect("case_detail", reference=case.reference)
    return _back_to_queue(request)


@require_POST
def case_respond(request: HttpRequest, reference: str) -> HttpResponse:
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
    return _case_page(request, case, response_form=form)


@require_POST
def case_resolve_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            case_resolve(case=case, user=user, resolution=form.cleaned_data["resolution"])
        except ValidationError as exc:
            for message in exc.message_dict.get("resolution", exc.messages):
                form.add_error("resolution", message)
        except CaseActionError as exc:
            messages.error(request, str(exc))
            return redirect("case_detail", reference=case.reference)
        else:
            messages.success(request, f"{case.reference} is resolved.")
            return redirect("case_detail", reference=case.reference)
    return _case_page(request, case, resolve_form=form)


@require_GET
def attachment_download(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponseBase:
    """An attachment, to whoever may see its case; always downloaded, never shown inline."""
    case = case_get_for_user(staff_user(request), reference)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
