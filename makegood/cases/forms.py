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

    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label="To team", queryset=Team.objects.none(), empty_label=None, error_messages={"required": "Choose the team."}
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
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        teams = Team.objects.order_by("name")
        field.queryset = teams.exclude(pk=exclude_team_id) if exclude_team_id is not None else teams


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
