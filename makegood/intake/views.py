"""Intake pages: the customer's public complaint form and the employee's quick entry form."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from makegood.accounts.requests import staff_user
from makegood.accounts.roles import can_view_case
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case
from makegood.cases.queue import format_target
from makegood.cases.services import CaseActionError, case_record_response, case_take_ownership
from makegood.edges import form_add_service_errors
from makegood.intake.forms import (
    SERVICE_TO_FORM_FIELD,
    ComplaintForm,
    IntakeForm,
    StaffEntryForm,
    form_token_new,
    form_token_state,
)
from makegood.intake.models import IdempotencyKey
from makegood.intake.services import IdempotencyConflict, intake_case_open
from makegood.throttle import client_ip

logger = logging.getLogger(__name__)

WEBFORM_SCOPE = "webform"
WEBFORM_RATE = "5/m"
THANKS_SALT = "makegood.intake.thanks"
RATE_LIMITED_MESSAGE = (
    "We have just received several complaints from your connection. Your complaint is below as you wrote it:"
    " please send it again in a minute."
)
EXPIRED_FORM_MESSAGE = "This form was open for a long time; please check your details and send it again."


def _public(**context: object) -> dict[str, object]:
    return {"business_name": settings.BUSINESS_NAME, **context}


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request)  # behind trusted proxies, the customer's, as the rate limit sees it


def _thanks_url(case: Case) -> str:
    # The confirmation URL carries a signed token only: no customer data and no guessable number.
    # Not timestamped, so that a double submit lands on exactly the same address.
    token = signing.Signer(salt=THANKS_SALT).sign_object({"case": case.pk})
    return reverse("complaint_thanks", kwargs={"token": token})


def _previous_submit(scope: str, token: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.select_related("case").filter(scope=scope, key=token).first()


def _fresh_form_data(form: IntakeForm) -> IntakeForm:
    """Give a re-rendered form a new one-time token (the submitted one may have expired)."""
    data = form.data
    if isinstance(data, QueryDict):
        data = data.copy()  # mutable, and still one value per field
        data["form_token"] = form_token_new()
    else:
        data = {**data, "form_token": form_token_new()}
    form.data = data
    return form


def _webform_usage(request: HttpRequest, *, count: bool) -> bool:
    """Whether this address has used up its complaints for now; `count` adds the one just accepted.

    Only accepted complaints count: a customer correcting a mistyped e-mail is not a flood."""
    usage = get_usage(request, group=WEBFORM_SCOPE, key="ip", rate=WEBFORM_RATE, method="POST", increment=count)
    return usage is not None and usage["count"] >= usage["limit"]


def _webform_refused(request: HttpRequest, form: IntakeForm) -> HttpResponse:
    """Over the limit: the form comes back as typed, with a clear message, and nothing is opened."""
    logger.warning("Web form rate limit reached by %s", _client_ip(request))
    form.is_valid()
    form.add_error(None, RATE_LIMITED_MESSAGE)
    response = render(request, "intake/complaint_form.html", _public(form=_fresh_form_data(form)), status=429)
    response["Retry-After"] = "60"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    """The public complaint form. Abuse is held off by a rate limit per address (counting only
    accepted complaints), a honeypot and size limits; a second submit of the same form (same
    one-time token) shows the same confirmation."""
    if request.method != "POST":
        form = ComplaintForm(initial={"form_token": form_token_new()})
        return render(request, "intake/complaint_form.html", _public(form=form))

    form = ComplaintForm(request.POST)
    if form.is_honeypot_filled:
        # Looks like success to the bot, so that it does not learn to skip the field.
        logger.warning("Web form honeypot filled by %s; no case opened", _client_ip(request))
        return render(request, "intake/complaint_thanks.html", _public(case=None))

    token = request.POST.get("form_token", "")
    token_state = form_token_state(token)
    # Only a token we signed is looked up (never whatever a client sent, NUL bytes and all).
    previous = _previous_submit(WEBFORM_SCOPE, token) if token_state != "bad" else None
    if previous is not None:
        return redirect(_thanks_url(previous.case))
    token_ok = token_state == "fresh"

    if form.is_valid() and not token_ok:
        form.add_error(None, EXPIRED_FORM_MESSAGE)
    if form.is_valid():
        if _webform_usage(request, count=False):
            return _webform_refused(request, form)
        try:
            result = intake_case_open(scope=WEBFORM_SCOPE, idempotency_key=token, **form.intake_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc, SERVICE_TO_FORM_FIELD)
        except IdempotencyConflict:
            # The same form sent twice at once, changed in between: the first one counts.
            previous = _previous_submit(WEBFORM_SCOPE, token)
            if previous is None:
                raise
            return redirect(_thanks_url(previous.case))
        else:
            if not result.replayed:
                _webform_usage(request, count=True)
            return redirect(_thanks_url(result.case))
    return render(request, "intake/complaint_form.html", _public(form=_fresh_form_data(form) if not token_ok else form))


@login_not_required
@require_http_methods(["GET"])
def complaint_thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = signing.Signer(salt=THANKS_SALT).unsign_object(token)
        case = Case.objects.select_related("customer").get(pk=int(payload["case"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Case.DoesNotExist) as exc:
        raise Http404("No such confirmation.") from exc
    target: timedelta = case.first_response_due_at - case.received_at
    return render(
        request,
        "intake/complaint_thanks.html",
        _public(case=case, target=format_target(target), emailed=bool(case.customer.email)),
    )


@permission_required("cases.add_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_entry(request: HttpRequest) -> HttpResponse:
    """An employee records a complaint heard live; handled now, it is owned and answered at once."""
    user = staff_user(request)
    if request.method != "POST":
        form = StaffEntryForm(initial={"form_token": form_token_new()})
        return render(request, "intake/staff_entry.html", {"form": form})

    form = StaffEntryForm(request.POST)
    scope = f"staff:{user.pk}"
    token = request.POST.get("form_token", "")
    token_state = form_token_state(token)
    # Only a token we signed is looked up (never whatever a client sent, NUL bytes and all).
    previous = _previous_submit(scope, token) if token_state != "bad" else None
    if previous is not None:
        return _after_staff_entry(request, user, previous.case, repeated=True)
    token_ok = token_state == "fresh"
    if form.is_valid() and not token_ok:
        form.add_error(None, EXPIRED_FORM_MESSAGE)
    if form.is_valid():
        profile = getattr(user, "staff", None)
        team = profile.team if profile is not None else None
        try:
            # One transaction: a case that cannot be owned and answered as asked is not recorded.
            with transaction.atomic():
                result = intake_case_open(
                    scope=scope,
                    idempotency_key=token,
                    team_slug=team.slug if team is not None else "",
                    created_by=user,
                    **form.intake_kwargs(),
                )
                case = result.case
                if not result.replayed and form.cleaned_data["handling_now"]:
                    case = case_take_ownership(case=case, user=user)
                    case_record_response(case=case, user=user, kind=EventKind.CONTACT, body=form.contact_note())
        except ValidationError as exc:
            form_add_service_errors(form, exc, SERVICE_TO_FORM_FIELD)
        except CaseActionError as exc:
            form.add_error(None, str(exc))
        except IdempotencyConflict:
            previous = _previous_submit(scope, token)
            if previous is None:
                raise
            return _after_staff_entry(request, user, previous.case, repeated=True)
        else:
            return _after_staff_entry(request, user, case, repeated=result.replayed)
    return render(request, "intake/staff_entry.html", {"form": _fresh_form_data(form) if not token_ok else form})


def _after_staff_entry(request: HttpRequest, user: User, case: Case, *, repeated: bool) -> HttpResponse:
    if repeated:
        messages.info(request, f"{case.reference} was already recorded; this is the same case.")
    else:
        messages.success(request, f"Recorded {case.reference}.")
    if can_view_case(user, case):
        return redirect("case_detail", reference=case.reference)
    return redirect("queue")
