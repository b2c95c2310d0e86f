"""The on-the-spot page: record a complaint put right there and then, in one go."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from makegood.accounts.requests import staff_user
from makegood.cases.services import CaseActionError
from makegood.edges import form_add_service_errors
from makegood.intake.forms import form_token_state
from makegood.spot.forms import SpotForm
from makegood.spot.services import spot_recovery_record

SERVICE_TO_FORM = {"customer_name": "name", "what_we_did": "what_we_did"}


@permission_required("cases.add_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def spot_record(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if request.method != "POST":
        return render(request, "spot/record.html", {"form": SpotForm()})
    form = SpotForm(request.POST)
    if form.is_valid():
        token = form.cleaned_data["form_token"]
        try:
            result = spot_recovery_record(
                user=user,
                channel=form.cleaned_data["channel"],
                customer_name=form.cleaned_data["name"],
                story=form.cleaned_data["story"],
                what_we_did=form.cleaned_data["what_we_did"],
                cause=form.cleaned_data["cause"],
                failure=form.cleaned_data["failure"],
                idempotency_key=token if token and form_token_state(token) != "bad" else None,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc, SERVICE_TO_FORM)
        except CaseActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Recorded and resolved {result.case.reference}: it counts.")
            return redirect("case_detail", reference=result.case.reference)
    return render(request, "spot/record.html", {"form": form})
