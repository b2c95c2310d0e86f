"""Import transactions in the browser: upload, map the columns, import with a progress bar, then the
rejected rows (also as CSV)."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from makegood.accounts.requests import staff_user
from makegood.edges import form_add_service_errors
from makegood.purchases.imports import purchase_import_create, purchase_import_start
from makegood.purchases.models import PurchaseImport, RunStatus
from makegood.purchases.services import FIELDS

PERM = "purchases.import_purchases"


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file (UTF-8, with a header row)")


def mapping_form(run: PurchaseImport, data: Any = None) -> forms.Form:
    columns = [("", "(not in the file)")] + [(c, c) for c in run.columns]
    form = forms.Form(data)
    for name in FIELDS:
        form.fields[f"map_{name}"] = forms.ChoiceField(
            label=name.replace("_", " "), choices=columns, required=False, initial=run.mapping.get(name, "")
        )
    form.fields["date_format"] = forms.CharField(
        label="Date format (only if dates are not like 2024-03-18 or 2024-03-18 14:05)", required=False, max_length=40
    )
    return form


@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = purchase_import_create(user=staff_user(request), upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect("purchases_import_run", run_id=run.pk)
    runs = PurchaseImport.objects.all()[:20]
    return render(request, "purchases/upload.html", {"form": form, "runs": runs}, status=400 if form.errors else 200)


@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(PurchaseImport, pk=run_id)
    if run.status != RunStatus.UPLOADED:
        return render(request, "purchases/run.html", {"run": run})
    form = mapping_form(run, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mapping = {name: data[f"map_{name}"] for name in FIELDS if data.get(f"map_{name}")}
        try:
            purchase_import_start(run=run, mapping=mapping, date_format=data.get("date_format", ""))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("purchases_import_run", run_id=run.pk)
    return render(request, "purchases/mapping.html", {"run": run, "form": form}, status=400 if form.errors else 200)


@permission_required(PERM, raise_exception=True)
@require_GET
def progress(request: HttpRequest, run_id: int) -> HttpResponse:
    return render(request, "purchases/_progress.html", {"run": get_object_or_404(PurchaseImport, pk=run_id)})


@permission_required(PERM, raise_exception=True)
@require_GET
def rejected_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(PurchaseImport, pk=run_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="purchases-{run.pk}-rejected.csv"'
    writer = csv.writer(response)
    writer.writerow(["line", "reason"])
    writer.writerows([item["line"], item["reason"]] for item in run.rejected)
    return response
