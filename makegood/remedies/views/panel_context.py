"""What the remedies panel shows: `panel_state.remedy_panel_state` (the same description the API
gives) put into words and money for the template, with the panel's forms (a refused one as sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest

from makegood.accounts.requests import staff_user
from makegood.cases.models import Case
from makegood.money import as_text, money_format
from makegood.remedies.authority import Remaining, money
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
    new_key,
)
from makegood.remedies.loss import loss_amount_text, loss_describe
from makegood.remedies.models import RemedyKind
from makegood.remedies.options import Option
from makegood.remedies.panel_state import RemedyPanel, remedy_panel_state
from makegood.remedies.payments import pays_money
from makegood.remedies.presenters import authorization_text, options_shown
from makegood.remedies.rules import default_currency

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
    restore: RestoreForm | None = None
    # A refusal that belongs to no form ("the customer already answered this offer").
    error: str = ""


def skipped_cases(request: HttpRequest) -> list[int]:
    value = request.session.get(SKIPPED_KEY, [])
    return [int(v) for v in value] if isinstance(value, list) else []


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


def _option_text(option: Option) -> str:
    what = option.name
    if option.amount is not None:
        what += f" of {money(option.amount, option.currency)}"
    return what


def _restitution_text(state: RemedyPanel) -> str:
    """ "$89.00 restored of the $89.00 lost." / "$89.00 lost, nothing restored yet." """
    restitution = state.restitution
    if restitution is None or restitution.loss is None:
        return ""
    currency = restitution.currency
    loss = money(restitution.loss, currency)
    if not restitution.started:
        return f"{loss} lost, nothing put right yet."
    text = f"{money(restitution.restored, currency)} put right of the {loss} lost"
    if restitution.ceiling is not None and restitution.ceiling < restitution.loss:
        text += f" (you may restore up to {money(restitution.ceiling, currency)} alone)"
    return text + "."


def demand_text(kind: str, amount: Decimal | None, currency: str) -> str:
    """ "Full refund of $120.00"; an amount alone is money back."""
    text = str(RemedyKind(kind).label) if kind in RemedyKind.values else "Money back"
    if amount is not None:
        text += f" of {money(amount, currency)}"
    return text


def _blank_forms(state: RemedyPanel, forms: Forms) -> dict[str, Any]:
    """The panel's forms: the refused one as it was sent, the others fresh."""
    case, remaining, extra, restore = state.case, state.remaining, state.extra, state.restore
    currency = remaining.currency if remaining is not None else default_currency()
    choices = state.delivery_choices
    built: dict[str, Any] = {
        "loss_form": forms.loss
        or LossForm(
            initial={
                "loss_kind": case.loss_kind,
                "loss_amount": loss_amount_text(case) or "",
                "loss_currency": case.loss_currency or currency,
                "severity": case.severity,
                "business_at_fault": case.business_at_fault,
            }
        ),
        "grant_form": forms.grant or GrantForm(initial={"order_reference": case.external_id}),
        "demand_form": forms.demand or DemandForm(initial={"order_reference": case.external_id}),
        "choice_form": forms.choice,
        "escalate_form": forms.escalate or EscalateForm(),
        "deliver_form": forms.deliver
        or DeliverForm(labels=[c.label for c in choices], initial={"order_reference": case.external_id}),
        "extra_form": forms.extra
        or (
            ExtraForm(initial={"remedy_type": extra.remedy_type_id, "amount": as_text(extra.amount, extra.currency)})
            if extra
            else None
        ),
        "restore_form": forms.restore
        or (
            RestoreForm(
                initial={
                    "remedy_type": restore.remedy_type_id,
                    "amount": as_text(restore.amount, restore.currency),
                    "order_reference": case.external_id,
                }
            )
            if restore
            else None
        ),
    }
    built["grant_form"].set_remedies(state.grantable)
    for form in built.values():
        if isinstance(form, RemedyForm):
            form.set_currency(currency)
    return built


def panel_context(request: HttpRequest, case: Case, forms: Forms | None = None) -> dict[str, Any]:
    user = staff_user(request)
    forms = forms or Forms()
    state = remedy_panel_state(case=case, user=user, suggest_extra=case.pk not in skipped_cases(request))
    remaining, open_offer, authorization, extra = state.remaining, state.open_offer, state.authorization, state.extra
    return {
        "case": case,
        "state": state,
        "is_owner": case.owner_id == user.pk,
        "may_grant": state.may_grant,
        "can_act": state.can_act,
        "why_not": state.why_not,
        "remaining": remaining,
        "left_text": money(remaining.left, remaining.currency) if remaining is not None else "",
        "meters": _meters(remaining) if remaining is not None else [],
        "loss_text": loss_describe(case),
        "loss_captured": bool(case.loss_kind and case.severity),
        "loss_money": money(Decimal(case.loss_amount), case.loss_currency or default_currency())
        if case.loss_amount is not None
        else "",
        "grants": state.grants,
        "pays_money": any(pays_money(g.kind) for g in state.grants),
        "grants_cost": " + ".join(money_format(cost, c) for c, cost in sorted(state.grants_cost.items())),
        "offer": state.offer,
        "open_offer": open_offer,
        "offer_demand": demand_text(open_offer.demand_kind, open_offer.demand_amount, open_offer.currency)
        if open_offer is not None
        else "",
        "needs_order_reference": any(c.remedy_type.needs_order_reference for c in state.delivery_choices),
        "options": options_shown(state.options, case=case),
        "escalation": state.escalation,
        "authorization": authorization,
        "authorization_text": authorization_text(authorization) if authorization is not None else "",
        "deliverable": state.deliverable,
        "delivery_choices": state.delivery_choices,
        "can_escalate": state.can_escalate,
        "busy": state.busy,
        "extra": extra,
        "extra_text": _option_text(extra) if extra is not None else "",
        "restitution": state.restitution,
        "restitution_text": _restitution_text(state),
        "restore": state.restore,
        "restore_text": _option_text(state.restore) if state.restore is not None else "",
        "choice_key": new_key(),
        "panel_error": forms.error,
        "now": state.now,
        **_blank_forms(state, forms),
    }


def hidden_errors(context: dict[str, Any], forms: Forms) -> str:
    """Errors of a form whose section is not on the panel any more ("already answered")."""
    hidden = [
        (forms.choice, context["open_offer"] is None),
        (forms.deliver, not context["deliverable"]),
        (forms.escalate, not context["can_escalate"]),
        (forms.loss, not context["can_act"]),
        (forms.grant, not context["can_act"]),
        (forms.demand, not context["can_act"]),
        (forms.restore, context["restore"] is None),
    ]
    shown = [
        str(message)
        for form, gone in hidden
        if form is not None and gone and form.is_bound
        for errors in form.errors.values()
        for message in errors
    ]
    return " ".join(shown)
