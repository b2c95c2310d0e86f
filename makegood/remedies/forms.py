"""Forms of the remedies screens. They carry the input and browser hints; the rules (amounts,
currencies, authority, who may act) are the services', whose errors land back on these fields."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from makegood import money
from makegood.cases.models import LossKind, Severity
from makegood.remedies.authority import money as money_text
from makegood.remedies.models import RemedyKind, RemedyType
from makegood.remedies.services import MAX_NOTE, MAX_ORDER_REFERENCE

MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "class": "money-input"}


def money_field(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    # Text, not a number input: the service parses exact decimals and says what is wrong.
    return forms.CharField(
        label=label, required=required, max_length=30, help_text=help_text, widget=forms.TextInput(attrs=MONEY_ATTRS)
    )


def new_key() -> str:
    """A fresh idempotency key for a form: a double click or a resubmitted page grants once."""
    return uuid.uuid4().hex


class RemedyForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def top_errors(self) -> list[str]:
        """The errors shown above the form: its own, and those of its hidden fields."""
        if not self.is_bound:
            return []
        hidden = [str(error) for field in self.hidden_fields() for error in field.errors]
        return [str(error) for error in self.non_field_errors()] + hidden

    def set_currency(self, currency: str) -> None:
        """Money inputs hint at the currency's decimals: `0.00` for USD, `0` for JPY, `0.000` for BHD."""
        hint = money.as_text(Decimal(0), currency) if money.is_currency(currency) else ""
        for field in self.fields.values():
            if field.widget.attrs.get("class") == MONEY_ATTRS["class"]:
                field.widget.attrs["placeholder"] = hint


class LossForm(RemedyForm):
    loss_kind = forms.ChoiceField(
        label="What the customer lost", choices=[("", "Choose…"), *LossKind.choices], required=False
    )
    loss_amount = money_field("Amount lost", help_text="Leave empty when no money was lost.")
    loss_currency = forms.CharField(label="Currency", max_length=3, required=False)
    severity = forms.ChoiceField(
        label="How bad it was for them", choices=[("", "Choose…"), *Severity.choices], required=False
    )
    business_at_fault = forms.BooleanField(label="Clearly our fault", required=False)


def _remedy_label(remedy: RemedyType) -> str:
    if remedy.is_variable and remedy.min_amount is not None and remedy.max_amount is not None:
        lo, hi = money_text(remedy.min_amount, remedy.currency), money_text(remedy.max_amount, remedy.currency)
        return f"{remedy.name} ({lo} to {hi})"
    return f"{remedy.name} (costs {money_text(remedy.cost, remedy.currency)})"


class GrantForm(RemedyForm):
    """Grant a remedy within one's authority. The list shows what the role may grant; any id is
    accepted here so that the service gives the real reason for a refusal."""

    remedy_type = forms.IntegerField(
        label="Remedy",
        widget=forms.Select,
        error_messages={"required": "Choose a remedy.", "invalid": "Choose a remedy."},
    )
    amount = money_field("Amount", help_text="For refunds, coupons, gift cards: how much. Fixed remedies: leave empty.")
    order_reference = forms.CharField(label="Order reference", max_length=MAX_ORDER_REFERENCE, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args: Any, remedies: Iterable[RemedyType] = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"idempotency_key": new_key()})
        super().__init__(*args, **kwargs)
        self.set_remedies(remedies)

    def set_remedies(self, remedies: Iterable[RemedyType]) -> None:
        """The remedies listed. Any number is accepted, though: the service refuses what the role
        may not grant, and says why."""
        widget = self.fields["remedy_type"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", "Choose a remedy…"), *((r.pk, _remedy_label(r)) for r in remedies)]


class DemandForm(RemedyForm):
    """What the customer asks for: a kind, an amount, or both."""

    demand_kind = forms.ChoiceField(
        label="What they ask for", choices=[("", "Money back (or not sure)"), *RemedyKind.choices], required=False
    )
    demand_amount = money_field("Amount they ask for")
    minimum_value = money_field(
        "The least they would accept", help_text="Optional. No option offered will be worth less to them."
    )
    order_reference = forms.CharField(label="Order reference", max_length=MAX_ORDER_REFERENCE, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"idempotency_key": new_key()})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("demand_kind") and not (data.get("demand_amount") or "").strip():
            raise ValidationError("Say what the customer asks for: a remedy, an amount, or both.")
        return data


class ChoiceForm(RemedyForm):
    """The customer chose one of the three options."""

    index = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=9)
    order_reference = forms.CharField(label="Order reference", max_length=MAX_ORDER_REFERENCE, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)


class EscalateForm(RemedyForm):
    note = forms.CharField(
        label="Note for the manager",
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What matters that the story does not say. The case, the demand and the options offered go along.",
    )


class DeliverForm(RemedyForm):
    """Grant a manager's approval: the remedy (preselected) and the order reference if needed."""

    choice = forms.TypedChoiceField(label="Deliver", coerce=int, choices=[])
    order_reference = forms.CharField(label="Order reference", max_length=MAX_ORDER_REFERENCE, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args: Any, labels: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"idempotency_key": new_key(), "choice": 0})
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = list(enumerate(labels))


class ExtraForm(RemedyForm):
    """One click: add the suggested extra gesture (its remedy and amount, as suggested)."""

    remedy_type = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)


DECISIONS = [("approve", "Approve"), ("take_over", "I'll handle this myself")]


class DecisionForm(RemedyForm):
    """A manager's decision. There is no "deny": not approving means taking the case over."""

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    remedy_type = forms.IntegerField(
        label="Remedy", widget=forms.Select, required=False, error_messages={"invalid": "Choose a remedy."}
    )
    amount = money_field("Up to", help_text="Leave empty for what the customer asked.")
    note = forms.CharField(label="Note", max_length=MAX_NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, remedies: Iterable[RemedyType] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["remedy_type"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", "What the customer asked for"), *((r.pk, _remedy_label(r)) for r in remedies)]
