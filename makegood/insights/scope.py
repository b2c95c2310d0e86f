"""Whose figures a person sees, and the filters every insight page and endpoint shares.

- Process owners and administrators (`cases.view_all_cases`): every team, any filter.
- Managers (`insights.view_insights`): their own team's cases, whatever team they ask for.
- Frontline staff (`cases.view_case`): the cases they own.
- Anyone else: nothing (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from makegood.accounts.models import Team
from makegood.accounts.reports import Period, period
from makegood.accounts.roles import team_id_of
from makegood.cases.models import Channel
from makegood.causes.models import Cause
from makegood.insights.daily import next_month
from makegood.insights.models import DAYS_SOURCE, CaseFigures, DailyFigures, DailyTotals, DailyValues, RollupState

VIEW_TEAM = "insights.view_insights"
VIEW_ALL = "cases.view_all_cases"
DEFAULT_DAYS = 90
# The loyalty comparison looks 90 and 180 days past each complaint: by default it reads a year of
# complaints, so that most of them have had that time (the last 90 days' cannot have).
LOYALTY_DAYS = 365
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Scope:
    """What the person may see: `q` over CaseFigures, and a words-only description of it."""

    q: Q
    label: str
    level: str  # "all", "team" or "own"
    team: Team | None = None


def scope_for(user: User | AnonymousUser) -> Scope:
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    if user.has_perm(VIEW_ALL) and user.has_perm(VIEW_TEAM):
        return Scope(Q(), "every team", "all")
    team_id = team_id_of(user)
    if user.has_perm(VIEW_TEAM) and team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        return Scope(Q(team_id=team_id), f"team {team.name if team else ''}".strip(), "team", team)
    if user.has_perm("cases.view_case"):
        return Scope(Q(owner_id=user.pk), "the cases you own", "own")
    raise PermissionDenied("Your role does not see insights.")


def can_see_dashboard_link(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_TEAM)


@dataclass(frozen=True)
class Filters:
    first_day: date
    last_day: date
    team: Team | None = None
    location: str = ""
    channel: str = ""
    cause: Cause | None = None

    @property
    def period(self) -> Period:
        return period(self.first_day, self.last_day)

    def q(self) -> Q:
        p = self.period
        return Q(received_at__gte=p.start, received_at__lt=p.end) & self._dimensions_q()

    def daily_q(self) -> Q:
        """The same filters over the daily rollup (its days are the period's local days): the whole
        months of the period from their month rows, the days before and after them from day rows
        (a year reads a dozen month rows per group and at most two months of days, not 365 days)."""
        first, last = self.first_day, self.last_day
        months_from = first if first.day == 1 else next_month(first)
        months_to = (last + timedelta(days=1)).replace(day=1)
        if months_from >= months_to:
            span = Q(is_month=False, day__gte=first, day__lte=last)
        else:
            span = (
                Q(is_month=True, day__gte=months_from, day__lt=months_to)
                | Q(is_month=False, day__gte=first, day__lt=months_from)
                | Q(is_month=False, day__gte=months_to, day__lte=last)
            )
        return span & self._dimensions_q()

    def _dimensions_q(self) -> Q:
        """Team, location, channel and cause: the same column names on cases' figures and days."""
        q = Q()
        if self.team is not None:
            q &= Q(team=self.team)
        if self.location:
            q &= Q(location=self.location)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.cause is not None:
            q &= Q(cause=self.cause)
        return q

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (drill-down links and CSV links carry them)."""
        params = {"first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat()}
        if self.team is not None:
            params["team"] = self.team.slug
        if self.location:
            params["location"] = self.location
        if self.channel:
            params["channel"] = self.channel
        if self.cause is not None:
            params["cause"] = str(self.cause.pk)
        return params

    def shifted(self, days: int) -> Filters:
        """The same filters over the period just before (for "change against the period before")."""
        return Filters(
            self.first_day - timedelta(days=days),
            self.last_day - timedelta(days=days),
            self.team,
            self.location,
            self.channel,
            self.cause,
        )


class InsightsFilterForm(forms.Form):
    first_day = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    last_day = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    team = forms.ChoiceField(label="Team", required=False, choices=[])
    location = forms.ChoiceField(label="Location", required=False, choices=[])
    channel = forms.ChoiceField(label="Channel", required=False, choices=[("", "Every channel"), *Channel.choices])
    cause = forms.ChoiceField(label="Cause", required=False, choices=[])

    def __init__(self, *args: Any, scope: Scope, default_days: int = DEFAULT_DAYS, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.default_days = default_days
        teams = list(Team.objects.order_by("name")) if scope.level == "all" else []
        self._teams = {t.slug: t for t in teams}
        self._set_choices("team", [("", "Every team"), *((t.slug, t.name) for t in teams)])
        locations = sorted({t.location for t in teams if t.location})
        self._set_choices("location", [("", "Every location"), *((loc, loc) for loc in locations)])
        causes = list(Cause.objects.select_related("category").order_by("category__name", "name"))
        self._causes = {str(c.pk): c for c in causes}
        self._set_choices("cause", [("", "Every cause"), *((str(c.pk), str(c.label)) for c in causes)])
        if scope.level != "all":
            del self.fields["team"], self.fields["location"]

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        last = data.get("last_day") or today
        first = data.get("first_day") or last - timedelta(days=self.default_days - 1)
        if last < first:
            raise ValidationError("The first day must come before the last.")
        if (last - first).days > MAX_DAYS:
            raise ValidationError("Choose at most three years.")
        data["first_day"], data["last_day"] = first, last
        return data

    def filters(self) -> Filters:
        """Only after is_valid(): the filters, with the person's scope applied on top (`scope.q`)."""
        data = self.cleaned_data
        return Filters(
            first_day=data["first_day"],
            last_day=data["last_day"],
            team=self._teams.get(data.get("team") or ""),
            location=data.get("location") or "",
            channel=data.get("channel") or "",
            cause=self._causes.get(data.get("cause") or ""),
        )


def filters_from(params: Any, scope: Scope, *, default_days: int = DEFAULT_DAYS) -> tuple[InsightsFilterForm, Filters]:
    """Filters from query parameters; unknown values are a ValidationError (400 or 422), never a 500."""
    form = InsightsFilterForm(params, scope=scope, default_days=default_days)
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form, form.filters()


def figures_for(scope: Scope, filters: Filters) -> QuerySet[CaseFigures]:
    return CaseFigures.objects.filter(scope.q).filter(filters.q())


@dataclass(frozen=True)
class Rollup:
    """The daily rollup's rows of the same cases: `days` per resolver (for the figures per
    employee), `totals` without the resolver (a fifth of the rows, for every other sum), `values`
    the counts per band of values (where each percentile's rank falls)."""

    days: QuerySet[DailyFigures]
    totals: QuerySet[DailyTotals]
    values: QuerySet[DailyValues]


def daily_for(scope: Scope, filters: Filters) -> Rollup | None:
    """The rollup rows of the same cases, or None where it cannot serve: the scope is one person's
    own cases (the rollup has no owner: those are counted over the cases)."""
    if scope.level == "own" or not RollupState.objects.filter(source=DAYS_SOURCE).exists():
        return None  # own cases, or the rollup not built yet (just after the upgrade that added it)
    # A team's scope is `Q(team_id=...)`, a column of both tables.
    q = scope.q & filters.daily_q()
    return Rollup(DailyFigures.objects.filter(q), DailyTotals.objects.filter(q), DailyValues.objects.filter(q))
