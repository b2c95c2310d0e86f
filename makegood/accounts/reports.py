"""What every report shares: the days it covers and the filter form that chooses them and the team.

The remedy reports and the follow-up report both use these (with `accounts.roles.report_scope`
for which teams a person may see), so they live below both stages instead of in one of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from makegood.accounts.models import Team

REPORT_DAYS = 30


@dataclass(frozen=True)
class Period:
    """[start, end): local midnights, from the first day to the day after the last."""

    start: datetime
    end: datetime

    @property
    def months(self) -> int:
        """Calendar months the period touches (a monthly budget applies once per month)."""
        first = timezone.localtime(self.start)
        last = timezone.localtime(self.end - timedelta(microseconds=1))
        return (last.year - first.year) * 12 + last.month - first.month + 1


def period(first_day: date, last_day: date) -> Period:
    """The days from `first_day` to `last_day`, both included, in the local time zone."""
    if last_day < first_day:
        first_day, last_day = last_day, first_day
    tz = timezone.get_current_timezone()
    start = datetime.combine(first_day, time.min, tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    return Period(start, end)


class ReportFilterForm(forms.Form):
    first_day = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    last_day = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    team = forms.ChoiceField(label="Team", required=False, choices=[])

    MAX_DAYS = 3 * 366

    def __init__(self, *args: Any, teams: Iterable[Team] = (), **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Every team"), *((t.slug, t.name) for t in teams)]

    @staticmethod
    def default_range(today: date | None = None) -> tuple[date, date]:
        """The last 30 days, today included."""
        today = today or timezone.localdate()
        return today - timedelta(days=REPORT_DAYS - 1), today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = self.default_range()
        first = data.get("first_day") or (
            data["last_day"] - timedelta(days=REPORT_DAYS - 1) if data.get("last_day") else first
        )
        last = data.get("last_day") or last
        if last < first:
            raise ValidationError("The first day must come before the last.")
        if (last - first).days > self.MAX_DAYS:
            raise ValidationError("Choose at most three years.")
        data["first_day"], data["last_day"] = first, last
        return data
