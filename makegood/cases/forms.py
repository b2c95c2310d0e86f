"""Forms of the case page's own panels. The rules are the services'; these carry the input and browser hints."""

from __future__ import annotations

from typing import Any

from django import forms

from makegood.cases.services import MAX_MESSAGE


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How was it resolved?",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say how the case was resolved."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
