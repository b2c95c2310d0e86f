"""The facts every insight reads, one row per case, kept by the worker (`rollup.py`).

The dashboard at a million cases cannot walk each case's timeline, follow-ups and grants on every
request (django-helpdesk#1192: reports that time out). So what each figure needs of a case is
written once into `CaseFigures` (refreshed incrementally from the timeline, the ledger and the
follow-up answers), and every KPI is a grouped aggregate over this one indexed table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from makegood.remedies.amounts import MONEY_DIGITS, MONEY_PLACES


class CaseFigures(models.Model):
    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+")
    # Copied from the case (and its team and cause) so that every filter is a column of this table.
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=20)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    cause = models.ForeignKey("causes.Cause", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The first response by a person (a reply or a recorded contact; never the automatic
    # acknowledgement), and its delay counted as the channel's target counts (opening hours or not).
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.FloatField(null=True, blank=True)
    # True/False once decided: answered in time, or answered late / still waiting past the target.
    # None while the clock still runs.
    within_target = models.BooleanField(null=True, blank=True)
    first_resolved_at = models.DateTimeField(null=True, blank=True)
    # Resolved or closed now; the time from receipt to the current (last) resolution.
    is_resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_seconds = models.FloatField(null=True, blank=True)
    resolver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated = models.BooleanField(default=False)
    manager_approved = models.BooleanField(default=False, help_text="A grant on it needed a manager's authorization.")
    reopen_count = models.PositiveSmallIntegerField(default=0)
    reopens_within_30_days = models.PositiveSmallIntegerField(default=0)
    # When the same customer next opened a case (the "no repeat contact" FCR reads it).
    next_contact_at = models.DateTimeField(null=True, blank=True)
    surveyed = models.BooleanField(default=False, help_text="A follow-up asked the customer.")
    answered = models.BooleanField(default=False)
    # The latest answer's: what the customer said at the end.
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    confirmed_resolved = models.BooleanField(null=True, blank=True)
    ever_dissatisfied = models.BooleanField(default=False)
    # The receipt time of the same customer's previous case (by receipt, then id) that was resolved
    # at least once / reopened within 30 days, on cases that are so themselves (None on the
    # customer's first such case and on the others). Distinct customers of a period's cases are
    # then its cases less those whose previous one falls in the period too (`previous.py`).
    previous_resolved_at = models.DateTimeField(null=True, blank=True)
    previous_reopened_at = models.DateTimeField(null=True, blank=True)
    compensation_cost = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    compensation_value = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    restitution_cost = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "case figures"
        permissions = [
            ("view_insights", "Can see the insights dashboard of their team"),
        ]
        indexes = [
            models.Index(fields=["received_at"], name="figures_received_idx"),
            models.Index(fields=["team", "received_at"], name="figures_team_received_idx"),
            models.Index(fields=["owner", "received_at"], name="figures_owner_received_idx"),
            models.Index(fields=["customer", "received_at"], name="figures_customer_idx"),
            models.Index(fields=["resolved_at"], name="figures_resolved_idx"),
            # Nearest-rank percentiles read the n-th value in order (ranks.percentiles): these walk
            # the values in order, with the receipt time beside them for the period's filter.
            models.Index(
                fields=["channel", "first_response_seconds", "received_at"], name="figures_channel_response_idx"
            ),
            models.Index(fields=["first_response_seconds", "received_at"], name="figures_response_idx"),
            models.Index(fields=["resolution_seconds", "received_at"], name="figures_resolution_idx"),
            # Distinct customers in a period (the reopen rate by customers): read from the index alone,
            # by counting the customers' repeat cases (every team, no filter) or the distinct ones.
            models.Index(
                fields=["previous_resolved_at", "received_at", "previous_reopened_at"],
                name="figures_previous_resolved_idx",
            ),
            models.Index(
                fields=["received_at", "customer", "first_resolved_at", "reopens_within_30_days"],
                name="figures_received_customer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Figures of case {self.case_id}"


class DayKeys(models.Model):
    """A row of the daily rollup: a day (local date of receipt) and a value of every filter but the
    owner. Each month also has rows of its own, its days' rows added up (`is_month`): a period
    reads its whole months from those and only the days before and after from day rows
    (`scope.Filters.daily_q`)."""

    day = models.DateField()
    is_month = models.BooleanField(
        default=False, help_text="The whole month's row (its day is the 1st): the sum of its days' rows."
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=20)
    cause = models.ForeignKey("causes.Cause", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class DayCounts(DayKeys):
    """Each column: the number of the day's cases a figure counts (`daily._aggregates`), or a sum."""

    cases = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    within_target = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolution_timed = models.PositiveIntegerField(default=0)
    ever_resolved = models.PositiveIntegerField(default=0)
    reopen_events = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    one_touch = models.PositiveIntegerField(default=0)
    no_repeat = models.PositiveIntegerField(default=0, help_text="Within the default repeat-contact days.")
    answered = models.PositiveIntegerField(default=0, help_text="Resolved, and the follow-up answered.")
    confirmed = models.PositiveIntegerField(default=0)
    within_authority = models.PositiveIntegerField(default=0)
    surveyed = models.PositiveIntegerField(default=0, help_text="Resolved, and asked in a follow-up.")
    satisfied = models.PositiveIntegerField(default=0, help_text="Resolved, answered 4 or 5.")
    compensated = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    value = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    largest = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"Figures of {self.day}"


class DailyFigures(DayCounts):
    """The dashboard's counts and sums per day and per value of every filter but the owner, and per
    resolver and whether resolved, kept by `daily.days_refresh` for the days whose cases changed.

    A period's figure is the sum of its days' rows, so a year is a few thousand rows instead of
    hundreds of thousands of cases. What cannot be summed (percentiles, distinct customers) and
    the frontline's own-cases scope are read from `CaseFigures` (`kpis.kpis_for`). The figures per
    resolver read these rows; every other sum reads `DailyTotals`, the same without the resolver.
    """

    resolver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Resolved or not (a resolved case with no resolver is still counted per employee as "nobody").
    is_resolved = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "daily figures"
        indexes = [models.Index(fields=["day", "team"], name="daily_day_team_idx")]


class DailyTotals(DayCounts):
    """`DailyFigures` summed over the resolver and whether resolved (written beside it by
    `daily.days_refresh`): the sums that do not group by resolver read a fifth of the rows (a
    day, team and channel had five: four resolvers and the unresolved)."""

    class Meta:
        verbose_name_plural = "daily totals"
        indexes = [models.Index(fields=["day", "team"], name="daily_totals_day_team_idx")]


class DailyValues(DayKeys):
    """How many of the day's cases have their first-response delay, and their time to resolution,
    in each band of values (`ranks.BANDS`), written beside `DailyFigures` by `daily.days_refresh`.

    A percentile's rank then falls in a band found by adding up a period's rows, and only that
    band's values are walked through the ordered index (`ranks.percentiles`), not every value up to
    the rank: the same nearest rank, exactly."""

    band = models.PositiveSmallIntegerField()
    responses = models.PositiveIntegerField(default=0)
    resolutions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "daily values"
        indexes = [models.Index(fields=["day", "team"], name="daily_values_day_team_idx")]

    def __str__(self) -> str:
        return f"Values of {self.day}, band {self.band}"


# RollupState's row for the daily rollup: present once every day has been summed.
DAYS_SOURCE = "days"


class RollupState(models.Model):
    """How far the refresh has read each source (its highest primary key seen): one row per source."""

    source = models.CharField(max_length=50, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.source} up to {self.last_id}"


class DigestSent(models.Model):
    """One row per month and recipient: the monthly digest goes out once, however often the worker asks."""

    month = models.DateField(help_text="The first day of the month reported on.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "user"], name="digest_once_per_month")]

    def __str__(self) -> str:
        return f"Digest {self.month:%Y-%m} to {self.user_id}"
