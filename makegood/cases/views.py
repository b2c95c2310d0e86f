"""Staff pages for cases: the queue and the case page. Thin: every write is a service call.

Both pages are the core's frame with the stages' panels in it (`cases/panels.py`); the case page
itself is drawn by `cases/page.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.models import User
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
from makegood.cases.assignment import MAX_BULK_ASSIGN, assignees_for, cases_assign
from makegood.cases.forms import NoteForm, ResolveForm, TransferForm
from makegood.cases.handoffs import case_note_add, case_transfer, case_transfer_cancel
from makegood.cases.models import Attachment
from makegood.cases.notifications import notification_mark_read, notification_rows, notifications_mark_all_read
from makegood.cases.page import case_page_render
from makegood.cases.panels import QueuePage, queue_assets, queue_panels
from makegood.cases.queue import UNROUTED_SLUG, queue_for, queue_team_for
from makegood.cases.queue_views import queue_view_counts, queue_view_get
from makegood.cases.selectors import case_get_for_user, incoming_transfers
from makegood.cases.services import CaseActionError, case_resolve, case_take_ownership
from makegood.edges import form_add_service_errors, is_htmx


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("queue")


# The queue ------------------------------------------------------------------------------------


def _queue_context(request: HttpRequest, team_slug: str, view_slug: str = "") -> dict[str, Any]:
    user = staff_user(request)
    team = queue_team_for(user, slug=team_slug)
    can_switch = user.has_perm("cases.view_all_cases")
    team_param = (team.slug if team is not None else UNROUTED_SLUG) if team_slug else ""
    view = queue_view_get(view_slug)
    view_param = view.slug if view is not None else ""
    now = timezone.now()
    hidden = format_html('<input type="hidden" name="from" value="{}">', "queue")
    if team_param:
        hidden += format_html('<input type="hidden" name="team" value="{}">', team_param)
    if view_param:
        hidden += format_html('<input type="hidden" name="view" value="{}">', view_param)
    can_assign = user.has_perm("cases.reassign_case")
    return {
        "queue": queue_for(user, team=team, now=now, narrowed=view.narrowed(user, now) if view else None),
        "views": queue_view_counts(user, team=team, now=now, current=view_param),
        "view": view,
        "notifications": notification_rows(user),
        "team": team,
        "teams": list(Team.objects.only("name", "slug")) if can_switch else [],
        "team_param": team_param,
        "view_param": view_param,
        "poll_query": urlencode({k: v for k, v in (("team", team_param), ("view", view_param)) if v}),
        "can_take": user.has_perm("cases.respond_case"),
        "assignees": assignees_for(team.pk if team is not None else None) if can_assign else [],
        # Rendered once, not once per row (see QueueRow).
        "csrf_input": csrf_input(request),
        "take_hidden": hidden,
    }


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request, request.GET.get("team", ""), request.GET.get("view", ""))
    page = QueuePage(request=request, user=staff_user(request), team=context["team"])
    context.update(
        action_panels=queue_panels(page, "queue_actions"),
        top_panels=queue_panels(page, "queue_top"),
        assets=queue_assets(),
    )
    return render(request, "cases/queue.html", context)


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def queue_rows(request: HttpRequest) -> HttpResponse:
    """The queue's table alone: htmx polls it so that new cases appear and the clocks stay right."""
    context = _queue_context(request, request.GET.get("team", ""), request.GET.get("view", ""))
    return render(request, "cases/_queue.html", context)


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    """After an action taken from the queue: the refreshed queue (htmx), else a redirect to it."""
    team_slug, view_slug = request.POST.get("team", ""), request.POST.get("view", "")
    if is_htmx(request):
        return render(request, "cases/_queue.html", _queue_context(request, team_slug, view_slug))
    query = urlencode({k: v for k, v in (("team", team_slug), ("view", view_slug)) if v})
    return redirect(reverse("queue") + (f"?{query}" if query else ""))


@permission_required("cases.reassign_case", raise_exception=True)
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    """Bulk assign from the queue: the ticked cases to one member of the team."""
    user = staff_user(request)
    references = request.POST.getlist("case")[:MAX_BULK_ASSIGN]
    assignee_id = request.POST.get("assignee", "")
    assignee = (
        User.objects.filter(pk=int(assignee_id), is_active=True).first()
        if assignee_id.isascii() and assignee_id.isdigit() and len(assignee_id) < 19
        else None
    )
    cases = []
    for reference in references:
        try:
            cases.append(case_get_for_user(user, reference))
        except Http404:
            messages.error(request, "A ticked case is not one you can see.")
    if assignee is None:
        messages.error(request, "Choose who to give the cases to.")
    elif not cases:
        messages.error(request, "Tick the cases to assign first.")
    else:
        assigned, refused = cases_assign(cases=cases, assignee=assignee, by=user)
        if assigned:
            name = assignee.get_full_name() or assignee.get_username()
            messages.success(request, f"{len(assigned)} case{'s' if len(assigned) != 1 else ''} given to {name}.")
        for why in refused:
            messages.error(request, why)
    return _back_to_queue(request)


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


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return case_page_render(request, case_get_for_user(staff_user(request), reference))


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
    return case_page_render(request, case, bound={"resolve": form})


@require_POST
def case_transfer_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    form = TransferForm(request.POST, exclude_team_id=case.team_id)
    if form.is_valid():
        try:
            case_transfer(case=case, user=user, to_team=form.cleaned_data["team"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_add_service_errors(form, exc, {})
        except CaseActionError as exc:
            messages.error(request, str(exc))
            return redirect("case_detail", reference=case.reference)
        else:
            messages.success(request, f"{case.reference} is waiting for {form.cleaned_data['team'].name} to take it.")
            return redirect("case_detail", reference=case.reference)
    return case_page_render(request, case, bound={"transfer": form})


@require_POST
def case_transfer_cancel_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    try:
        case_transfer_cancel(case=case, user=user)
    except CaseActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Transfer withdrawn; the case stays here.")
    return redirect("case_detail", reference=case.reference)


@require_POST
def case_note_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    case = case_get_for_user(user, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            case_note_add(case=case, user=user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_add_service_errors(form, exc, {})
        except CaseActionError as exc:
            messages.error(request, str(exc))
            return redirect("case_detail", reference=case.reference)
        else:
            messages.success(request, "Note added. Only staff see it.")
            return redirect(reverse("case_detail", kwargs={"reference": case.reference}) + "#timeline-title")
    return case_page_render(request, case, bound={"note": form})


@permission_required("cases.view_case", raise_exception=True)
@require_GET
def queue_transfers(request: HttpRequest) -> HttpResponse:
    """The cases being transferred to a team (the queue loads it after the page)."""
    user = staff_user(request)
    team = queue_team_for(user, slug=request.GET.get("team", ""))
    incoming = list(incoming_transfers(user, team=team)) if team is not None else []
    return render(
        request,
        "cases/_queue_transfers_list.html",
        {"incoming": incoming, "team": team, "can_take": user.has_perm("cases.respond_case")},
    )


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
