"""The on-the-spot form: the rules are `spot_recovery_record`'s; this carries the input."""

from __future__ import annotations

from typing import Any

from django import forms

from makegood.cases.models import Channel
from makegood.causes.models import Cause, Failure
from makegood.causes.selectors import causes_grouped
from makegood.intake.forms import form_token_new
from makegood.intake.opening import MAX_NAME, MAX_STORY


class SpotForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    channel = forms.ChoiceField(
        label="Where",
        choices=[(Channel.IN_PERSON.value, "In person"), (Channel.PHONE.value, "On the phone")],
        widget=forms.RadioSelect,
        initial=Channel.IN_PERSON.value,
    )
    name = forms.CharField(label="Customer's name (if they gave it)", max_length=MAX_NAME, required=False)
    story = forms.CharField(
        label="What went wrong",
        max_length=MAX_STORY,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tell us what went wrong."},
    )
    what_we_did = forms.CharField(
        label="What we did on the spot",
        max_length=MAX_STORY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. replaced the meal and did not charge for it.",
        error_messages={"required": "Say what you did on the spot to put it right."},
    )
    cause = forms.TypedChoiceField(
        label="Root cause", coerce=int, error_messages={"required": "Choose the root cause."}
    )
    failure = forms.ChoiceField(
        label="What failed", choices=Failure.choices, widget=forms.RadioSelect, initial=Failure.SYSTEM.value
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        groups = [(category, [(c.pk, c.name) for c in causes]) for category, causes in causes_grouped()]
        self.fields["cause"].choices = [("", "Choose…"), *groups]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("form_token", form_token_new())

    def clean_cause(self) -> Cause:
        return Cause.objects.get(pk=self.cleaned_data["cause"])
