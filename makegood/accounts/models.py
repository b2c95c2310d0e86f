"""Staff, their teams and the credentials integrations use."""

from __future__ import annotations

import functools
import hashlib
import secrets
import zoneinfo
from datetime import UTC, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class Role(models.TextChoices):
    """Each role is a Django group of the same name; permissions hang off the group."""

    FRONTLINE = "frontline", "Frontline employee"
    MANAGER = "manager", "Manager"
    PROCESS_OWNER = "process_owner", "Process owner"
    ADMINISTRATOR = "administrator", "Administrator"


_time_zone_names = functools.cache(zoneinfo.available_timezones)


def validate_time_zone(value: str) -> None:
    if value and value not in _time_zone_names():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/London or America/New_York.")


class TeamQuerySet(models.QuerySet["Team"]):
    def receiving_unrouted(self) -> Team | None:
        """The team new complaints without a team go to: the one marked so, else the first team
        created, so that on a fresh install with no routing configured no case lands nowhere."""
        return self.order_by("-receives_unrouted", "pk").first()


class Team(models.Model):
    """A team working at one location (a store, a contact centre, the online desk)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    location = models.CharField(max_length=200, blank=True)
    # New complaints that arrive without a team (web form, e-mail, API) go here.
    receives_unrouted = models.BooleanField(default=False)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="The location's time zone for its opening hours, e.g. Europe/London. Blank: the site's.",
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """One opening interval of a location on a weekday (a day may have several: 9-12, 13-17).

    A team with no opening hours at all is open round the clock. Business-hours response targets
    (e-mail, web, social) count only inside these intervals, in the team's time zone.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField(help_text="00:00 means midnight at the end of the day.")

    class Meta:
        ordering = ["team", "weekday", "opens"]
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes != time(0) and self.closes <= self.opens:
            raise ValidationError(
                {"closes": "Closing must come after opening on the same day (split a night across two days)."}
            )


class Holiday(models.Model):
    """A day the location is closed: business-hours clocks do not run on it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["team", "date"]
        constraints = [models.UniqueConstraint(fields=["team", "date"], name="holiday_unique_team_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} ({self.team or 'no team'})"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="The start of the token, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, *, user: models.Model, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; return it with the plain text, which is never stored."""
        plain = "mg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=plain[:10], digest=_digest(plain))
        return token, plain

    @classmethod
    def find_active_row(cls, plain: str) -> ApiToken | None:
        """The active token alone, without its user: one hand-written statement.

        The API looks a token up on every request; building `find_active`'s query takes the ORM
        about 1.5 ms of CPU, a fifth of an intake, while the query itself takes 0.1 ms. The
        revocation and the owner's `is_active` are checked here, on every request.
        """
        user_table = cls._meta.get_field("user").related_model._meta.db_table  # type: ignore[union-attr]
        sql = (
            f"SELECT t.id, t.user_id, t.name, t.prefix, t.digest, t.last_used_at FROM {cls._meta.db_table} t "  # noqa: S608
            f"INNER JOIN {user_table} u ON u.id = t.user_id "
            "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active LIMIT 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [_digest(plain)])
            row = cursor.fetchone()
        if row is None:
            return None
        last_used_at = row[5]
        if isinstance(last_used_at, str):
            last_used_at = parse_datetime(last_used_at)
        if last_used_at is not None and timezone.is_naive(last_used_at):
            last_used_at = timezone.make_aware(last_used_at, UTC)  # SQLite keeps UTC without its offset
        # created_at is left deferred: nothing on a request reads it.
        return cls.from_db(
            connection.alias, ["id", "user_id", "name", "prefix", "digest", "last_used_at"], [*row[:5], last_used_at]
        )

    @classmethod
    def find_active(cls, plain: str) -> ApiToken | None:
        return (
            cls.objects.select_related("user", "user__staff")
            .filter(digest=_digest(plain), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
