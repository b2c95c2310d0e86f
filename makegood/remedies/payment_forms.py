"""What a person types to mark a payment: the till's reference when paid, why when it failed."""

from __future__ import annotations

from django import forms

from makegood.remedies.payments import MAX_REASON, MAX_REFERENCE


class PaidForm(forms.Form):
    reference = forms.CharField(
        max_length=MAX_REFERENCE,
        required=False,
        label="Reference",
        help_text="The till's, bank's or payment system's reference, if there is one.",
    )


class FailedForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON, label="Why it failed", widget=forms.TextInput(attrs={"placeholder": "Card expired"})
    )
