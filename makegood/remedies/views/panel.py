"""The remedies panel of a case: authority left, the loss, grants so far, granting, the customer's
demand and the three options, escalation, a manager's approval to deliver, and something extra.

The case page loads the panel lazily (htmx). Every form posts with htmx: a refusal comes back as
the panel with the errors in place; a success reloads the page, so that the timeline shows it.
Without JavaScript the same forms post, redirect and get; a refusal renders the panel as a page.
Thin: what the panel shows is `panel_state.remedy_panel_state`, every write is one service call
(`_act`), and the rules, and the refusals, are the services'. The API calls the same ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from makegood.accounts.requests import staff_user
from makegood.cases.models import Case
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError
from makegood.edges import form_add_service_errors, is_htmx
from makegood.remedies.authority import money
from makegood.remedies.demands import demand_answer
from makegood.remedies.escalations import escalation_open
from makegood.remedies.forms import (
    ChoiceForm,
    DeliverForm,
    DemandForm,
    EscalateForm,
    ExtraForm,
    GrantForm,
    LossForm,
    RemedyForm,
    RestoreForm,
)
from makegood.remedies.loss import case_loss_record
from makegood.remedies.models import Authorization, Grant, Offer, RemedyType
from makegood.remedies.offers import offer_choose, offer_decline
from makegood.remedies.payments import payment_noun, pays_money
from makegood.remedies.presenters import delivery_choices
from makegood.remedies.services import remedy_grant
from makegood.remedies.views.panel_context import (
    MAX_SKIPPED,
    SKIPPED_KEY,
    Forms,
    hidden_errors,
    panel_context,
    skipped_cases,
)

PANEL = "remedies/_panel.html"
PAGE = "remedies/panel_page.html"

F = TypeVar("F", bound=RemedyForm)


def _panel_answer(
    request: HttpRequest, case: Case, forms: Forms | None = None, *, refused: bool = False
) -> HttpResponse:
    context = panel_context(request, case, forms)
    if forms is not None and not context["panel_error"]:
        context["panel_error"] = hidden_errors(context, forms)
    if is_htmx(request):
        # htmx swaps only 2xx answers in; the refusal's errors are in this one.
        return render(request, PANEL, context)
    return render(request, PAGE, context, status=400 if refused else 200)


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    """Success: reload the page the panel sits in (its timeline shows what happened)."""
    messages.success(request, message)
    if is_htmx(request):
        return HttpResponseClientRefresh()
    return redirect(reverse("case_detail", kwargs={"reference": case.reference}) + "#remedies")


def _act(
    request: HttpRequest,
    case: Case,
    form: F,
    slot: str | None,
    action: Callable[[F], str],
    *,
    errors_on_top: bool = False,
) -> HttpResponse:
    """Every form of the panel: check the form, run the one service call `action` (which says what
    to tell the employee), and answer. A refusal comes back on the form (the panel's `slot` for
    it), in the panel; `errors_on_top`: above the panel (a one-click form has no fields to show it)."""
    forms = Forms()
    if slot is not None:
        setattr(forms, slot, form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    try:
        message = action(form)
    except (ValidationError, CaseActionError) as exc:
        if errors_on_top:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return _panel_answer(request, case, Forms(error=text), refused=True)
        if isinstance(exc, ValidationError):
            form_add_service_errors(form, exc)
        else:
            form.add_error(None, str(exc))
        return _panel_answer(request, case, forms, refused=True)
    return _done(request, case, message)


def _granted_message(grant: Grant) -> str:
    what = grant.name + (f" of {money(grant.amount, grant.currency)}" if grant.amount is not None else "")
    if grant.replayed:
        return f"{what} was already granted."
    text = f"Granted: {what}."
    if grant.purpose == "restitution":
        text += " It puts right what failed, so it does not count against your caps."
    if pays_money(grant.kind):
        text += (
            f" The customer is told the {payment_noun(grant.kind)} has started, and that it has been paid only once "
            "the payment is confirmed (see Payments)."
        )
    if grant.code and grant.case.customer.email:
        text += f" The code {grant.code} is on its way to {grant.case.customer.email}."
    elif grant.code:
        text += f" Give the customer the code {grant.code}."
    return text


def _case(request: HttpRequest, reference: str) -> tuple[User, Case]:
    user = staff_user(request)
    return user, case_get_for_user(user, reference)


def _remedy(form: django_forms.Form, field: str, missing: str) -> RemedyType:
    """The catalog's remedy the form names, or the form's own refusal."""
    remedy = RemedyType.objects.filter(pk=form.cleaned_data[field]).first()
    if remedy is None:
        raise ValidationError({field: [missing]} if field in form.fields else missing)
    return remedy


# The panel ----------------------------------------------------------------------------------------


@require_GET
def remedies_panel(request: HttpRequest, reference: str) -> HttpResponse:
    """The panel (htmx) or, without JavaScript, the panel as a page of its own."""
    _, case = _case(request, reference)
    return _panel_answer(request, case)


@require_POST
def remedies_loss(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _case(request, reference)

    def record(form: LossForm) -> str:
        data = form.cleaned_data
        case_loss_record(
            case=case,
            user=user,
            loss_kind=data["loss_kind"],
            severity=data["severity"],
            loss_amount=data["loss_amount"],
            loss_currency=data["loss_currency"],
            business_at_fault=data["business_at_fault"],
        )
        return "The loss is recorded; the options are sized to it."

    return _act(request, case, LossForm(request.POST), "loss", record)


@require_POST
def remedies_grant(request: HttpRequest, reference: str) -> HttpResponse:
    """Grant within authority, at once."""
    user, case = _case(request, reference)

    def grant(form: GrantForm) -> str:
        data = form.cleaned_data
        granted = remedy_grant(
            case=case,
            user=user,
            remedy_type=_remedy(form, "remedy_type", "Choose a remedy."),
            amount=data["amount"],
            order_reference=data["order_reference"],
            idempotency_key=data["idempotency_key"],
        )
        return _granted_message(granted)

    return _act(request, case, GrantForm(request.POST), "grant", grant)


@require_POST
def remedies_demand(request: HttpRequest, reference: str) -> HttpResponse:
    """The customer asks for something: granted if it fits; else three options (`demand_answer`)."""
    user, case = _case(request, reference)

    def answer(form: DemandForm) -> str:
        data = form.cleaned_data
        answered = demand_answer(
            case=case,
            user=user,
            demand_kind=data["demand_kind"],
            demand_amount=data["demand_amount"],
            minimum_value=data["minimum_value"],
            order_reference=data["order_reference"],
            idempotency_key=data["idempotency_key"],
        )
        if answered.grant is not None:
            return "It fits your authority. " + _granted_message(answered.grant)
        if answered.outcome == "escalate":
            return "Nothing fits your authority right now: record that and escalate to a manager."
        remaining = answered.option_set.remaining
        count = len(answered.option_set.options)
        return (
            f"That is beyond your authority ({money(remaining.left, remaining.currency)} left). "
            f"Offer the customer these {count} options."
        )

    return _act(request, case, DemandForm(request.POST), "demand", answer)


def _offer(case: Case, offer_id: int) -> Offer:
    offer = Offer.objects.filter(case=case, pk=offer_id).first()
    if offer is None:
        raise Http404("No such offer on this case.")
    return offer


@require_POST
def remedies_choose(request: HttpRequest, reference: str, offer_id: int) -> HttpResponse:
    """The customer chose one of the options: grant it, as offered."""
    user, case = _case(request, reference)
    offer = _offer(case, offer_id)

    def choose(form: ChoiceForm) -> str:
        data = form.cleaned_data
        grant = offer_choose(
            offer=offer,
            user=user,
            index=data["index"],
            idempotency_key=data["idempotency_key"],
            order_reference=data["order_reference"],
        )
        return "The customer's choice is recorded. " + _granted_message(grant)

    return _act(request, case, ChoiceForm(request.POST), "choice", choose)


@require_POST
def remedies_none(request: HttpRequest, reference: str, offer_id: int) -> HttpResponse:
    """The customer wants none of these: recorded; next, escalate to a manager."""
    user, case = _case(request, reference)
    offer = _offer(case, offer_id)

    def decline(form: RemedyForm) -> str:
        offer_decline(offer=offer, user=user)
        return "Recorded: none of these. Escalate to a manager, with a note."

    return _act(request, case, RemedyForm(request.POST), None, decline, errors_on_top=True)


@require_POST
def remedies_escalate(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _case(request, reference)

    def escalate(form: EscalateForm) -> str:
        escalation_open(case=case, user=user, note=form.cleaned_data["note"])
        return "Escalated: a manager has the whole story. Tell the customer when to expect news."

    return _act(request, case, EscalateForm(request.POST), "escalate", escalate)


@require_POST
def remedies_deliver(request: HttpRequest, reference: str, authorization_id: int) -> HttpResponse:
    """Grant what a manager approved, under their recorded authorization."""
    user, case = _case(request, reference)
    authorization = Authorization.objects.filter(case=case, pk=authorization_id).first()
    if authorization is None:
        raise Http404("No such approval on this case.")
    choices = delivery_choices(authorization, channel=case.channel)

    def deliver(form: DeliverForm) -> str:
        data = form.cleaned_data
        choice = choices[data["choice"]]
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=choice.remedy_type,
            amount=choice.amount,
            authorization=authorization,
            order_reference=data["order_reference"],
            idempotency_key=data["idempotency_key"],
        )
        return "The good news is delivered. " + _granted_message(grant)

    return _act(request, case, DeliverForm(request.POST, labels=[c.label for c in choices]), "deliver", deliver)


@require_POST
def remedies_extra(request: HttpRequest, reference: str) -> HttpResponse:
    """Add the suggested extra gesture (one click)."""
    user, case = _case(request, reference)

    def add(form: ExtraForm) -> str:
        data = form.cleaned_data
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=_remedy(form, "remedy_type", "That remedy is no longer in the catalog."),
            amount=data["amount"] or None,
            idempotency_key=data["idempotency_key"],
            note="Something extra.",
        )
        return "Something extra. " + _granted_message(grant)

    return _act(request, case, ExtraForm(request.POST), "extra", add, errors_on_top=True)


@require_POST
def remedies_restore(request: HttpRequest, reference: str) -> HttpResponse:
    """Put right what failed first: grant the suggested restitution (one click)."""
    user, case = _case(request, reference)

    def restore(form: RestoreForm) -> str:
        data = form.cleaned_data
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=_remedy(form, "remedy_type", "That remedy is no longer in the catalog."),
            amount=data["amount"] or None,
            order_reference=data["order_reference"],
            idempotency_key=data["idempotency_key"],
            note="Put right first.",
        )
        return "Put right first. " + _granted_message(grant)

    return _act(request, case, RestoreForm(request.POST), "restore", restore, errors_on_top=True)


@require_POST
def remedies_extra_skip(request: HttpRequest, reference: str) -> HttpResponse:
    """Skip the extra gesture on this case (remembered for this employee's session)."""
    _, case = _case(request, reference)
    skipped = [pk for pk in skipped_cases(request) if pk != case.pk][-(MAX_SKIPPED - 1) :]
    request.session[SKIPPED_KEY] = [*skipped, case.pk]
    if is_htmx(request):
        return _panel_answer(request, case)
    return redirect(reverse("case_detail", kwargs={"reference": case.reference}) + "#remedies")
