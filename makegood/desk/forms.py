"""The search box and its filters, validated before anything is looked up."""

from __future__ import annotations

from django import forms

from makegood.accounts.models import Team
from makegood.cases.models import Channel, Status
from makegood.desk.search import MAX_QUERY_CHARS, SearchFilters


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=MAX_QUERY_CHARS, strip=True)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    team = forms.ChoiceField(label="Team", required=False, choices=[])
    channel = forms.ChoiceField(label="Channel", required=False, choices=[("", "Any channel"), *Channel.choices])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField)
        team_field.choices = [("", "Any team"), *Team.objects.order_by("name").values_list("slug", "name")]

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(status=data["status"], team=data["team"], channel=data["channel"])
