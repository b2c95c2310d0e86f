"""The four questions, as the customer sees them on the survey page and as the owner records
them from a call. The rules live in `services.validate_answer`; these add the browser's side."""

from __future__ import annotations

from typing import Any

from django import forms

from makegood.followup.models import CallAttemptOutcome
from makegood.followup.services import MAX_TEXT

SCORES = [
    (5, "5: Very satisfied"),
    (4, "4: Satisfied"),
    (3, "3: Neither satisfied nor dissatisfied"),
    (2, "2: Dissatisfied"),
    (1, "1: Very dissatisfied"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]


class AnswerForm(forms.Form):
    resolved = forms.ChoiceField(
        label="Is your issue resolved?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no.", "invalid_choice": "Choose yes or no."},
    )
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with how we handled it?",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from 1 to 5.", "invalid_choice": "Choose a score from 1 to 5."},
    )
    comment = forms.CharField(
        label="Anything you would like to add?",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional.",
    )
    suggestion = forms.CharField(
        label="Is there anything we could do better?",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Your idea goes to the people who can change how we work.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def answer_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "resolved": data["resolved"] == "yes",
            "satisfaction": data["satisfaction"],
            "comment": data["comment"],
            "suggestion": data["suggestion"],
        }


class CallAnswerForm(AnswerForm):
    """The same questions, asked on the phone and written down by the owner."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved"].label = "Does the customer say the issue is resolved?"
        self.fields["satisfaction"].label = "How satisfied are they with how we handled it?"
        self.fields["comment"].label = "What else did they say?"
        self.fields["suggestion"].label = "Is there anything we could do better, in their words?"
        self.fields["suggestion"].help_text = "Optional. Goes to the process owner as a suggestion."


class CallAttemptForm(forms.Form):
    """The call did not get the answers."""

    outcome = forms.ChoiceField(label="What happened?", choices=CallAttemptOutcome.choices, widget=forms.RadioSelect)
    call_back_at = forms.DateTimeField(
        label="Call back at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Only when they asked to be called back.",
    )
    note = forms.CharField(label="Note", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
