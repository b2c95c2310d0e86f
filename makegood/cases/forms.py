"""Forms of the case page's own panels. The rules are the services'; these carry the input and browser hints."""

from __future__ import annotations

from typing import Any

from django import forms

from makegood.accounts.models import Team
from makegood.cases.handoffs import MAX_REASON
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


class TransferForm(forms.Form):
    """Hand the case to another team (cases/handoffs.py: `case_transfer`)."""

    team = forms.TypedChoiceField(
        label="To team", coerce=int, error_messages={"required": "Choose the team.", "invalid_choice": "Choose a team."}
    )
    reason = forms.CharField(
        label="Why",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the team taking it: what they need to know. The customer keeps you until they take it.",
        error_messages={"required": "Say why the case should move, for the team taking it."},
    )

    def __init__(self, *args: Any, exclude_team_id: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Read once, as a list: a queryset would be read again by the select's `required` check.
        teams = Team.objects.order_by("name").values_list("pk", "name")
        if exclude_team_id is not None:
            teams = teams.exclude(pk=exclude_team_id)
        self.fields["team"].choices = list(teams)  # type: ignore[attr-defined]

    def clean_team(self) -> Team:
        return Team.objects.get(pk=self.cleaned_data["team"])


class NoteForm(forms.Form):
    """An internal note (`case_note_add`): for colleagues, never sent to the customer."""

    body = forms.CharField(
        label="Internal note",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only staff see this. It is never sent to the customer.",
        error_messages={"required": "Write the note."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
