"""Forms of the improvement pages: they check shapes; the services decide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from makegood.improvement.models import SuggestionStatus


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class ActionForm(forms.Form):
    title = forms.CharField(label="What will change", max_length=200)
    description = forms.CharField(label="How (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none())
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    expected_reduction = forms.IntegerField(
        label="Expected fall in complaints of this cause (%)",
        min_value=1,
        max_value=100,
        help_text="Stated now, before the fix goes live: the review measures against it.",
    )
    review_on = forms.DateField(label="Review on", widget=forms.DateInput(attrs={"type": "date"}))
    cases = forms.MultipleChoiceField(label="Linked cases", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, owners: Any, case_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners
        owner_field.label_from_instance = _person  # type: ignore[method-assign,assignment]
        cases_field = self.fields["cases"]
        assert isinstance(cases_field, forms.MultipleChoiceField)
        cases_field.choices = case_choices
        today = timezone.localdate()
        self.fields["due_on"].initial = today + timedelta(weeks=4)
        self.fields["review_on"].initial = today + timedelta(weeks=16)


class GoLiveForm(forms.Form):
    went_live_on = forms.DateField(label="Went live on", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnnouncementForm(forms.Form):
    body = forms.CharField(
        label="Message to each customer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Each customer gets it once, addressed by name, with their reference. The reply coach checks it.",
    )


class DecideForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (SuggestionStatus.PASSED_ALONG, "Passed along"),
            (SuggestionStatus.ADOPTED, "Adopted"),
            (SuggestionStatus.NOT_ADOPTED, "Not adopted"),
        ]
    )
    what_changed = forms.CharField(
        label="What changed (told to each customer when adopted)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VolumesForm(forms.Form):
    file = forms.FileField(label="CSV with the columns week,volume (any day of the week names it)")
