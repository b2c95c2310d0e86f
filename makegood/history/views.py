"""Import history in the browser: upload, map the columns, preview, import with a progress bar,
then the report of rejected rows (also as CSV)."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from makegood.accounts.models import Team
from makegood.accounts.requests import staff_user
from makegood.cases.models import Channel
from makegood.edges import form_add_service_errors
from makegood.history.models import ImportRun, RunStatus
from makegood.history.rows import FIELDS
from makegood.history.services import import_run_create, import_run_preview, import_run_start

PERM = "history.import_history"


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file (UTF-8, with a header row)")


def _mapping_form(run: ImportRun, data: Any = None) -> forms.Form:
    columns = [("", "(not in the file)")] + [(c, c) for c in run.options.get("columns", [])]
    form = forms.Form(data)
    for name in FIELDS:
        form.fields[f"map_{name}"] = forms.ChoiceField(
            label=name.replace("_", " "), choices=columns, required=False, initial=run.mapping.get(name, "")
        )
    form.fields["channel"] = forms.ChoiceField(
        label="Channel of rows without one", choices=Channel.choices, initial=run.options.get("channel") or Channel.WEB
    )
    form.fields["team"] = forms.ChoiceField(
        label="Team of rows without one",
        choices=[("", "(none)")] + [(t.slug, t.name) for t in Team.objects.order_by("name")],
        required=False,
    )
    form.fields["date_format"] = forms.CharField(
        label="Date format (only if dates are not like 2024-03-18)", required=False, max_length=40
    )
    return form


def _chosen(form: forms.Form) -> tuple[dict[str, str], dict[str, str]]:
    data = form.cleaned_data
    mapping = {name: data[f"map_{name}"] for name in FIELDS if data.get(f"map_{name}")}
    return mapping, {
        "channel": data["channel"],
        "team": data.get("team", ""),
        "date_format": data.get("date_format", ""),
    }


@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_create(user=staff_user(request), upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect("history_run", run_id=run.pk)
    runs = ImportRun.objects.select_related("created_by")[:20]
    return render(request, "history/upload.html", {"form": form, "runs": runs}, status=400 if form.errors else 200)


@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id)
    if run.status != RunStatus.UPLOADED:
        return render(request, "history/run.html", {"run": run})
    form = _mapping_form(run, request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        mapping, options = _chosen(form)
        if "start" in request.POST:
            try:
                import_run_start(run=run, user=staff_user(request), mapping=mapping, options=options)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "Importing: you can leave this page, the import goes on.")
                return redirect("history_run", run_id=run.pk)
        else:
            preview = import_run_preview(run, mapping, options)
    context = {"run": run, "form": form, "preview": preview, "fields": FIELDS}
    return render(request, "history/mapping.html", context, status=400 if form.errors else 200)


@permission_required(PERM, raise_exception=True)
@require_GET
def progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id)
    return render(request, "history/_progress.html", {"run": run})


@permission_required(PERM, raise_exception=True)
@require_GET
def rejected_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejected.csv"'
    writer = csv.writer(response)
    writer.writerow(["line", "reason"])
    writer.writerows([item["line"], item["reason"]] for item in run.rejected)
    return response
