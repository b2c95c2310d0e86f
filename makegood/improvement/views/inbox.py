"""The suggestions inbox of a cause's owner, and the weekly volumes page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from makegood.accounts.requests import staff_user
from makegood.edges import form_add_service_errors
from makegood.improvement.access import can_manage, suggestion_group_get_for_user, suggestion_groups_for
from makegood.improvement.forms import DecideForm, VolumesForm
from makegood.improvement.models import SuggestionStatus, VolumeWeek
from makegood.improvement.services import volumes_record
from makegood.improvement.suggestions import suggestion_group_decide
from makegood.improvement.volumes import volumes_parse_csv

INBOX_LIMIT = 200


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    status = request.GET.get("status", "open")
    groups = suggestion_groups_for(user).prefetch_related("items__suggestion", "items__case")
    if status == "open":
        groups = groups.filter(status__in=[SuggestionStatus.NEW, SuggestionStatus.PASSED_ALONG])
    elif status in SuggestionStatus.values:
        groups = groups.filter(status=status)
    return render(
        request,
        "improvement/inbox.html",
        {
            "groups": list(groups[:INBOX_LIMIT]),
            "status": status,
            "statuses": SuggestionStatus.choices,
            "form": DecideForm(),
        },
    )


@require_POST
def decide(request: HttpRequest, group_id: int) -> HttpResponse:
    user = staff_user(request)
    group = suggestion_group_get_for_user(user, group_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            suggestion_group_decide(
                group=group,
                user=user,
                status=form.cleaned_data["status"],
                what_changed=form.cleaned_data["what_changed"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("improvement_inbox")
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        messages.success(request, "Answered. Adopted suggestions' customers are being thanked.")
    return redirect("improvement_inbox")


@require_http_methods(["GET", "POST"])
def volumes(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not can_manage(user):
        raise PermissionDenied("Process owners and administrators record the business's volumes.")
    form = VolumesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read(2_000_000).decode("utf-8-sig")
            weeks = volumes_parse_csv(text)
            count = volumes_record(weeks=weeks, user=user)
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Recorded the volume of {count} week{'s' if count != 1 else ''}.")
            return redirect("improvement_volumes")
    rows = list(VolumeWeek.objects.order_by("-week")[:104])
    return render(request, "improvement/volumes.html", {"form": form, "rows": rows}, status=400 if form.errors else 200)
