"""The remedies panel of a case: authority left, the loss, grants so far, granting, the customer's
demand and the three options, escalation, a manager's approval to deliver, and something extra.

The case page loads the panel lazily (htmx). Every form posts with htmx: a refusal comes back as
the panel with the errors in place; a success reloads the page, so that the timeline shows it.
Without JavaScript the same forms post, redirect and get; a refusal renders the panel as a page.
Thin: every write is one service call; the rules, and the refusals, are the services'.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from makegood.accounts.requests import staff_user
from makegood.cases.models import Case
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import CaseActionError
from makegood.edges import is_htmx
from makegood.remedies.authority import Remaining, money
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
    new_key,
)
from makegood.remedies.loss import case_loss_record, loss_describe
from makegood.remedies.models import (
    Authorization,
    Escalation,
    EscalationStatus,
    Grant,
    Offer,
    OfferStatus,
    RemedyKind,
    RemedyType,
)
from makegood.remedies.offers import offer_choose, offer_decline, offer_record
from makegood.remedies.options import Option
from makegood.remedies.presenters import (
    DeliveryChoice,
    authorization_text,
    delivery_choices,
    options_shown,
)
from makegood.remedies.rules import check_can_grant_on, default_currency
from makegood.remedies.selectors import (
    authority_status,
    extra_gesture_suggest,
    grants_for_case,
    options_for_demand,
    remedy_types_active,
)
from makegood.remedies.services import remedy_grant

PANEL = "remedies/_panel.html"
PAGE = "remedies/panel_page.html"
# Cases whose extra gesture the employee skipped (kept in their session: skipping writes nothing).
SKIPPED_KEY = "remedies_extra_skipped"
MAX_SKIPPED = 200


@dataclass
class Forms:
    """The panel's forms; a refused one comes back bound, with its errors."""

    loss: LossForm | None = None
    grant: GrantForm | None = None
    demand: DemandForm | None = None
    choice: ChoiceForm | None = None
    escalate: EscalateForm | None = None
    deliver: DeliverForm | None = None
    extra: ExtraForm | None = None
    # A refusal that belongs to no form ("the customer already answered this offer").
    error: str = ""


def _meters(remaining: Remaining) -> list[dict[str, Any]]:
    p, used = remaining.policy, remaining.usage
    rows = [
        ("On this case", p.cap_per_case, used.on_case, remaining.left_on_case, "case"),
        ("Today", p.cap_per_day, used.today, remaining.left_today, "day"),
        ("This month", p.budget_per_month, used.this_month, remaining.left_this_month, "month"),
    ]
    return [
        {
            "label": label,
            "cap": money(cap, p.currency),
            "used": money(spent, p.currency),
            "left": money(left, p.currency),
            "left_value": left,
            "percent_left": int(left * 100 / cap) if cap else 0,
            "binding": name == remaining.binding_limit,
            "name": name,
        }
        for label, cap, spent, left, name in rows
    ]


def _remedies_for(remaining: Remaining, case: Case) -> list[RemedyType]:
    """What the employee's role may grant on this case's channel, for the grant form."""
    allowed = remaining.policy.allowed_kinds
    return [
        r
        for r in remedy_types_active(currency=remaining.currency)
        if r.kind in allowed and r.allows_channel(case.channel)
    ]


def _option_text(option: Option) -> str:
    what = option.name
    if option.amount is not None:
        what += f" of {money(option.amount, option.currency)}"
    return what


def demand_text(kind: str, amount: Decimal | None, currency: str) -> str:
    """ "Full refund of USD 120.00"; an amount alone is money back."""
    text = str(RemedyKind(kind).label) if kind in RemedyKind.values else "Money back"
    if amount is not None:
        text += f" of {money(amount, currency)}"
    return text


def _skipped(request: HttpRequest) -> list[int]:
    value = request.session.get(SKIPPED_KEY, [])
    return [int(v) for v in value] if isinstance(value, list) else []


def panel_context(request: HttpRequest, case: Case, forms: Forms | None = None) -> dict[str, Any]:
    user = staff_user(request)
    forms = forms or Forms()
    may_grant = user.has_perm("remedies.grant_remedy")
    why_not = ""
    try:
        check_can_grant_on(user, case)
    except CaseActionError as exc:
        why_not = str(exc)
    can_act = not why_not
    remaining = authority_status(user=user, case=case) if may_grant else None
    grants = list(grants_for_case(case=case))
    offer = Offer.objects.filter(case=case).select_related("made_by").order_by("-made_at", "-pk").first()
    open_offer = offer if offer is not None and offer.status == OfferStatus.OPEN else None
    escalation = (
        Escalation.objects.filter(case=case)
        .select_related("raised_by", "decided_by")
        .order_by("-raised_at", "-pk")
        .first()
    )
    authorization: Authorization | None = None
    if escalation is not None and escalation.status == EscalationStatus.APPROVED:
        authorization = (
            Authorization.objects.filter(escalation=escalation).select_related("approved_by", "remedy_type").first()
        )
    now = timezone.now()
    deliverable = (
        authorization is not None
        and can_act
        and authorization.employee_id == user.pk
        and authorization.used_at is None
        and authorization.expires_at > now
    )
    choices: list[DeliveryChoice] = []
    if deliverable and authorization is not None:
        choices = delivery_choices(authorization, channel=case.channel)
    pending = escalation is not None and escalation.status == EscalationStatus.PENDING
    can_escalate = (
        can_act
        and offer is not None
        and offer.status == OfferStatus.DECLINED
        and not pending
        and (escalation is None or escalation.offer_id != offer.pk)
    )
    extra: Option | None = None
    if can_act and open_offer is None and not pending and not deliverable and case.pk not in _skipped(request):
        extra = extra_gesture_suggest(case=case, user=user)
    remedies = _remedies_for(remaining, case) if remaining is not None and can_act else []
    if forms.grant is not None:
        forms.grant.set_remedies(remedies)
    return {
        "case": case,
        "is_owner": case.owner_id == user.pk,
        "may_grant": may_grant,
        "can_act": can_act,
        "why_not": why_not,
        "remaining": remaining,
        "left_text": money(remaining.left, remaining.currency) if remaining is not None else "",
        "meters": _meters(remaining) if remaining is not None else [],
        "loss_text": loss_describe(case),
        "loss_captured": bool(case.loss_kind and case.severity),
        "loss_money": money(Decimal(case.loss_amount), case.loss_currency or default_currency())
        if case.loss_amount is not None
        else "",
        "grants": grants,
        "grants_cost": money(sum((g.cost for g in grants), Decimal("0.00")), grants[0].currency) if grants else "",
        "offer": offer,
        "open_offer": open_offer,
        "offer_demand": demand_text(open_offer.demand_kind, open_offer.demand_amount, open_offer.currency)
        if open_offer is not None
        else "",
        "needs_order_reference": any(c.remedy_type.needs_order_reference for c in choices),
        "options": options_shown(open_offer.options, case=case) if open_offer is not None else [],
        "escalation": escalation,
        "authorization": authorization,
        "authorization_text": authorization_text(authorization) if authorization is not None else "",
        "deliverable": deliverable,
        "delivery_choices": choices,
        "can_escalate": can_escalate,
        # An offer to answer, an approval to deliver or a manager to wait for: the forms step back.
        "busy": open_offer is not None or deliverable or pending,
        "extra": extra,
        "extra_text": _option_text(extra) if extra is not None else "",
        "loss_form": forms.loss
        or LossForm(
            initial={
                "loss_kind": case.loss_kind,
                "loss_amount": case.loss_amount if case.loss_amount is not None else "",
                "loss_currency": case.loss_currency or (remaining.currency if remaining else default_currency()),
                "severity": case.severity,
                "business_at_fault": case.business_at_fault,
            }
        ),
        "grant_form": forms.grant or GrantForm(remedies=remedies, initial={"order_reference": case.external_id}),
        "demand_form": forms.demand or DemandForm(initial={"order_reference": case.external_id}),
        "choice_form": forms.choice,
        "choice_key": new_key(),
        "panel_error": forms.error,
        "now": now,
        "escalate_form": forms.escalate or EscalateForm(),
        "deliver_form": forms.deliver
        or DeliverForm(labels=[c.label for c in choices], initial={"order_reference": case.external_id}),
        "extra_form": forms.extra
        or (ExtraForm(initial={"remedy_type": extra.remedy_type_id, "amount": extra.amount or ""}) if extra else None),
    }


def _hidden_errors(context: dict[str, Any], forms: Forms) -> str:
    """Errors of a form whose section is not on the panel any more ("already answered")."""
    hidden = [
        (forms.choice, context["open_offer"] is None),
        (forms.deliver, not context["deliverable"]),
        (forms.escalate, not context["can_escalate"]),
        (forms.loss, not context["can_act"]),
        (forms.grant, not context["can_act"]),
        (forms.demand, not context["can_act"]),
    ]
    messages = [
        str(message)
        for form, gone in hidden
        if form is not None and gone and form.is_bound
        for errors in form.errors.values()
        for message in errors
    ]
    return " ".join(messages)


def _panel_answer(
    request: HttpRequest, case: Case, forms: Forms | None = None, *, refused: bool = False
) -> HttpResponse:
    context = panel_context(request, case, forms)
    if forms is not None and not context["panel_error"]:
        context["panel_error"] = _hidden_errors(context, forms)
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


def _refused(request: HttpRequest, case: Case, form: RemedyForm, forms: Forms, exc: Exception) -> HttpResponse:
    if isinstance(exc, ValidationError):
        form.apply_errors(exc)
    else:
        form.add_error(None, str(exc))
    return _panel_answer(request, case, forms, refused=True)


def _granted_message(grant: Grant) -> str:
    what = grant.name + (f" of {money(grant.amount, grant.currency)}" if grant.amount is not None else "")
    if grant.replayed:
        return f"{what} was already granted."
    text = f"Granted: {what}."
    if grant.code and grant.case.customer.email:
        text += f" The code {grant.code} is on its way to {grant.case.customer.email}."
    elif grant.code:
        text += f" Give the customer the code {grant.code}."
    return text


def _case(request: HttpRequest, reference: str) -> tuple[User, Case]:
    user = staff_user(request)
    return user, case_get_for_user(user, reference)


# The panel ----------------------------------------------------------------------------------------


@require_GET
def remedies_panel(request: HttpRequest, reference: str) -> HttpResponse:
    """The panel (htmx) or, without JavaScript, the panel as a page of its own."""
    _, case = _case(request, reference)
    return _panel_answer(request, case)


@require_POST
def remedies_loss(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _case(request, reference)
    form = LossForm(request.POST)
    forms = Forms(loss=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    data = form.cleaned_data
    try:
        case_loss_record(
            case=case,
            user=user,
            loss_kind=data["loss_kind"],
            severity=data["severity"],
            loss_amount=data["loss_amount"],
            loss_currency=data["loss_currency"],
            business_at_fault=data["business_at_fault"],
        )
    except (ValidationError, CaseActionError) as exc:
        return _refused(request, case, form, forms, exc)
    return _done(request, case, "The loss is recorded; the options are sized to it.")


@require_POST
def remedies_grant(request: HttpRequest, reference: str) -> HttpResponse:
    """Grant within authority, at once."""
    user, case = _case(request, reference)
    form = GrantForm(request.POST)
    forms = Forms(grant=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    data = form.cleaned_data
    remedy = RemedyType.objects.filter(pk=data["remedy_type"]).first()
    if remedy is None:
        form.add_error("remedy_type", "Choose a remedy.")
        return _panel_answer(request, case, forms, refused=True)
    try:
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=remedy,
            amount=data["amount"],
            order_reference=data["order_reference"],
            idempotency_key=data["idempotency_key"],
        )
    except (ValidationError, CaseActionError) as exc:
        return _refused(request, case, form, forms, exc)
    return _done(request, case, _granted_message(grant))


@require_POST
def remedies_demand(request: HttpRequest, reference: str) -> HttpResponse:
    """The customer asks for something: grant it if it fits; else offer three options."""
    user, case = _case(request, reference)
    form = DemandForm(request.POST)
    forms = Forms(demand=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    data = form.cleaned_data
    try:
        option_set = options_for_demand(
            case=case,
            user=user,
            demand_kind=data["demand_kind"],
            demand_amount=data["demand_amount"],
            minimum_value=data["minimum_value"],
        )
        fits = option_set.demand_option
        if fits is not None:
            remedy = RemedyType.objects.get(pk=fits.remedy_type_id)
            grant = remedy_grant(
                case=case,
                user=user,
                remedy_type=remedy,
                amount=fits.amount,
                currency=fits.currency,
                order_reference=data["order_reference"],
                idempotency_key=data["idempotency_key"],
            )
            return _done(request, case, "It fits your authority. " + _granted_message(grant))
        offer = offer_record(case=case, user=user, option_set=option_set)
    except (ValidationError, CaseActionError) as exc:
        return _refused(request, case, form, forms, exc)
    count = len(offer.options)
    if count == 0:
        return _done(request, case, "Nothing fits your authority right now: record that and escalate to a manager.")
    return _done(
        request,
        case,
        f"That is beyond your authority ({money(option_set.remaining.left, option_set.currency)} left). "
        f"Offer the customer these {count} options.",
    )


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
    form = ChoiceForm(request.POST)
    forms = Forms(choice=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    data = form.cleaned_data
    try:
        grant = offer_choose(
            offer=offer,
            user=user,
            index=data["index"],
            idempotency_key=data["idempotency_key"],
            order_reference=data["order_reference"],
        )
    except (ValidationError, CaseActionError) as exc:
        return _refused(request, case, form, forms, exc)
    return _done(request, case, "The customer's choice is recorded. " + _granted_message(grant))


@require_POST
def remedies_none(request: HttpRequest, reference: str, offer_id: int) -> HttpResponse:
    """The customer wants none of these: recorded; next, escalate to a manager."""
    user, case = _case(request, reference)
    offer = _offer(case, offer_id)
    try:
        offer_decline(offer=offer, user=user)
    except CaseActionError as exc:
        return _panel_answer(request, case, Forms(error=str(exc)), refused=True)
    return _done(request, case, "Recorded: none of these. Escalate to a manager, with a note.")


@require_POST
def remedies_escalate(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _case(request, reference)
    form = EscalateForm(request.POST)
    forms = Forms(escalate=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    try:
        escalation_open(case=case, user=user, note=form.cleaned_data["note"])
    except (ValidationError, CaseActionError) as exc:
        return _refused(request, case, form, forms, exc)
    return _done(request, case, "Escalated: a manager has the whole story. Tell the customer when to expect news.")


@require_POST
def remedies_deliver(request: HttpRequest, reference: str, authorization_id: int) -> HttpResponse:
    """Grant what a manager approved, under their recorded authorization."""
    user, case = _case(request, reference)
    authorization = Authorization.objects.filter(case=case, pk=authorization_id).first()
    if authorization is None:
        raise Http404("No such approval on this case.")
    choices = delivery_choices(authorization, channel=case.channel)
    form = DeliverForm(request.POST, labels=[c.label for c in choices])
    forms = Forms(deliver=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    data = form.cleaned_data
    choice = choices[data["choice"]]
    try:
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=choice.remedy_type,
            amount=choice.amount,
            authorization=authorization,
            order_reference=data["order_reference"],
            idempotency_key=data["idempotency_key"],
        )
    except (ValidationError, CaseActionError) as exc:
        return _refused(request, case, form, forms, exc)
    return _done(request, case, "The good news is delivered. " + _granted_message(grant))


@require_POST
def remedies_extra(request: HttpRequest, reference: str) -> HttpResponse:
    """Add the suggested extra gesture (one click)."""
    user, case = _case(request, reference)
    form = ExtraForm(request.POST)
    forms = Forms(extra=form)
    if not form.is_valid():
        return _panel_answer(request, case, forms, refused=True)
    data = form.cleaned_data
    remedy = RemedyType.objects.filter(pk=data["remedy_type"]).first()
    if remedy is None:
        form.add_error(None, "That remedy is no longer in the catalog.")
        return _panel_answer(request, case, forms, refused=True)
    try:
        grant = remedy_grant(
            case=case,
            user=user,
            remedy_type=remedy,
            amount=data["amount"] or None,
            idempotency_key=data["idempotency_key"],
            note="Something extra.",
        )
    except ValidationError as exc:
        return _panel_answer(request, case, Forms(error=" ".join(exc.messages)), refused=True)
    except CaseActionError as exc:
        return _panel_answer(request, case, Forms(error=str(exc)), refused=True)
    return _done(request, case, "Something extra. " + _granted_message(grant))


@require_POST
def remedies_extra_skip(request: HttpRequest, reference: str) -> HttpResponse:
    """Skip the extra gesture on this case (remembered for this employee's session)."""
    _, case = _case(request, reference)
    skipped = [pk for pk in _skipped(request) if pk != case.pk][-(MAX_SKIPPED - 1) :]
    request.session[SKIPPED_KEY] = [*skipped, case.pk]
    if is_htmx(request):
        return _panel_answer(request, case)
    return redirect(reverse("case_detail", kwargs={"reference": case.reference}) + "#remedies")
