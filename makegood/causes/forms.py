"""The cause picker on the resolve step: one of the three suggestions, or any other cause."""

from __future__ import annotations

from typing import Any

from django import forms

from makegood.causes.models import Cause, Failure

OTHER = "other"


class CauseForm(forms.Form):
    pick = forms.ChoiceField(label="Root cause", widget=forms.RadioSelect)
    other = forms.ModelChoiceField(label="Another cause", queryset=Cause.objects.none(), required=False)
    failure = forms.ChoiceField(label="What failed?", choices=Failure.choices, widget=forms.RadioSelect)
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, suggestions: list[tuple[str, str]], causes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pick = self.fields["pick"]
        assert isinstance(pick, forms.ChoiceField)
        pick.choices = [*suggestions, (OTHER, "Another cause")]
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = causes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pick") == OTHER and data.get("other") is None:
            self.add_error("other", "Choose the cause.")
        return data

    def chosen_id(self) -> int:
        data = self.cleaned_data
        return int(data["other"].pk if data["pick"] == OTHER else data["pick"])
