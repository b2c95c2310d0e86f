"""The case: one customer let down, from the first word to the last follow-up."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from makegood.cases.kinds import NotificationKind, event_kind_choices, notification_kind_choices

REFERENCE_PREFIX = "MG"
# ASCII digits only (`\d` would take Arabic-Indic or full-width ones too), and no more of them than
# a primary key can hold: anything else is not a reference, so a look-up can never overflow.
REFERENCE_RE = re.compile(r"\bMG-([0-9]{4})-([0-9]{6,19})\b", re.IGNORECASE | re.ASCII)


def case_reference(pk: int, received_at: datetime) -> str:
    """`MG-<year received>-<number>`: derived from the primary key, so always unique."""
    return f"{REFERENCE_PREFIX}-{received_at.year}-{pk:06d}"


# The years a reference can name: a case's `received_at` year, so none before the software existed
# and none the calendar types cannot hold.
REFERENCE_YEARS = range(2000, 9999)
MAX_CASE_PK = 2**63 - 1  # a BigAutoField


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    CHAT = "chat", "Chat"
    SOCIAL = "social", "Social media"


LIVE_CHANNELS = frozenset({Channel.PHONE, Channel.IN_PERSON, Channel.CHAT})


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN)


class Priority(models.TextChoices):
    NORMAL = "normal", "Normal"
    # A customer who told us the recovery did not work: they come first.
    HIGH = "high", "High"


class Feeling(models.TextChoices):
    """The feelings an employee names in the Empathy step ("you sound worried about…")."""

    ANGRY = "angry", "Angry"
    FRUSTRATED = "frustrated", "Frustrated"
    DISAPPOINTED = "disappointed", "Disappointed"
    ANXIOUS = "anxious", "Anxious"
    SCARED = "scared", "Scared"
    SAD = "sad", "Sad"
    CONFUSED = "confused", "Confused"
    GRATEFUL = "grateful", "Grateful"
    NEUTRAL = "neutral", "Neutral"


class LossKind(models.TextChoices):
    """What the customer lost; it decides which kind of remedy fits (money back for money lost…)."""

    MONEY = "money", "Money lost"
    FAULTY_PRODUCT = "faulty_product", "Faulty product"
    FAILED_SERVICE = "failed_service", "Failed service"
    IGNORED = "ignored", "Being ignored or treated badly"
    TIME = "time", "Time and effort lost"


class Severity(models.TextChoices):
    MINOR = "minor", "Minor"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


# A customer failed twice within this many days is much harder to win back.
REPEAT_FAILURE_DAYS = 90

# Another system's identifier for a case (the API filters on it; intake checks it fits).
MAX_EXTERNAL_ID = 100


class Customer(models.Model):
    """Matched on e-mail, then on phone; both are stored normalised so that matching is exact."""

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True, help_text="Stored lower-case.")
    phone = models.CharField(max_length=32, blank=True, help_text="Stored in E.164 form.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="customer_unique_email"),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="customer_unique_phone"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.phone


class ResponseTarget(models.Model):
    """How soon a person must first respond on a channel. Administrators edit these."""

    channel = models.CharField(max_length=20, choices=Channel.choices, unique=True)
    target = models.DurationField()
    business_hours_only = models.BooleanField(
        default=False,
        help_text="Count only the team's opening hours (not holidays). Live channels always count real time.",
    )

    class Meta:
        ordering = ["target"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.target}"

    def clean(self) -> None:
        # A caller on the phone or at the counter waits in real time, opening hours or not.
        if self.business_hours_only and self.channel in LIVE_CHANNELS:
            raise ValidationError(
                {"business_hours_only": f"{self.get_channel_display()} is a live channel: its clock counts real time."}
            )


DEFAULT_RESPONSE_TARGETS: dict[str, timedelta] = {
    Channel.IN_PERSON: timedelta(minutes=1),
    Channel.PHONE: timedelta(minutes=1),
    Channel.CHAT: timedelta(minutes=1),
    Channel.WEB: timedelta(hours=1),
    Channel.EMAIL: timedelta(hours=1),
    Channel.SOCIAL: timedelta(hours=1),
}


class Case(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    subject = models.CharField(max_length=200, blank=True)
    story = models.TextField(help_text="The customer's account, in their own words.")
    expectation = models.TextField(blank=True, help_text="What the customer expects to happen.")
    external_id = models.CharField(max_length=MAX_EXTERNAL_ID, blank=True)

    received_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField()
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Raised when the clock is about to run out, and when it ran out; each once per clock.
    first_response_alerted_at = models.DateTimeField(null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)

    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # How many times the customer said the recovery had not worked.
    reopen_count = models.PositiveSmallIntegerField(default=0)

    # The loss, captured while listening; remedies are sized and matched to it.
    loss_kind = models.CharField(max_length=20, choices=LossKind.choices, blank=True)
    # Four decimals hold every currency; the loss keeps its own currency's (makegood.money).
    loss_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    loss_currency = models.CharField(max_length=3, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    business_at_fault = models.BooleanField(default=False)
    # Set at intake: this customer already had a case within REPEAT_FAILURE_DAYS.
    is_repeat_failure = models.BooleanField(default=False)

    # What the detector read in the customer's words, and what the employee named (both kept).
    detected_feeling = models.CharField(max_length=20, choices=Feeling.choices, blank=True)
    detected_feeling_confidence = models.FloatField(null=True, blank=True)
    feeling = models.CharField(max_length=20, choices=Feeling.choices, blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_cases"
    )
    owned_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A hand-off under way (cases/handoffs.py): this team sees the case and may take it; until
    # someone there does, the case stays with its team and its owner.
    transfer_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming_transfers"
    )
    # The earlier case this one continues: the customer wrote again after it was over (cases/threading.py).
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followed_by")

    class Meta:
        permissions = [
            ("respond_case", "Can take ownership of and respond on cases"),
            ("reassign_case", "Can take over cases owned by someone else"),
            ("view_all_cases", "Can see the cases of every team"),
        ]
        indexes = [
            models.Index(fields=["team", "status", "first_response_due_at"], name="case_queue_idx"),
            models.Index(fields=["status", "received_at"], name="case_status_received_idx"),
            models.Index(fields=["received_at"], name="case_received_idx"),
            models.Index(fields=["channel", "received_at"], name="case_channel_received_idx"),
            models.Index(fields=["external_id"], name="case_external_id_idx"),
            # Every column the queue's views narrow on and count by (cases/queue_views.py), and
            # that its high-priority step filters on, after the team and status: those read the
            # index alone, never the table (`id` last for PostgreSQL's index-only scans; SQLite
            # keeps it in every index anyway). Not a partial index of the open cases: SQLite
            # uses one only when the query spells the statuses as constants, and Django passes
            # them as parameters.
            models.Index(
                fields=[
                    "team",
                    "status",
                    "channel",
                    "detected_feeling",
                    "owner",
                    "first_responded_at",
                    "first_response_due_at",
                    "reopen_count",
                    "priority",
                    "is_repeat_failure",
                    "id",
                ],
                name="case_queue_views_idx",
            ),
            # The clock sweep (cases/breaches.py): only cases still waiting to be alerted or
            # breached are in these, so each sweep reads a few index entries, not the backlog.
            models.Index(
                fields=["status", "first_response_due_at"],
                condition=Q(first_responded_at__isnull=True, first_response_alerted_at__isnull=True),
                name="case_clock_alert_idx",
            ),
            models.Index(
                fields=["status", "first_response_due_at"],
                condition=Q(first_responded_at__isnull=True, first_response_breached_at__isnull=True),
                name="case_clock_breach_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return case_reference(self.pk, self.received_at)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def first_response_breached(self) -> bool:
        responded = self.first_responded_at or timezone.now()
        return responded > self.first_response_due_at


def _reference_parts(match: re.Match[str] | None) -> tuple[int, int] | None:
    """(year, pk) when the match is a reference a case could have, else None.

    Strict, because whatever comes out is looked up: a year outside the calendar or a number
    past the largest key would be a database error (a 500), not a "no such case".
    """
    if match is None:
        return None
    year, pk = int(match.group(1)), int(match.group(2))
    if year not in REFERENCE_YEARS or not 1 <= pk <= MAX_CASE_PK:
        return None
    return year, pk


def parse_reference(reference: str) -> tuple[int, int] | None:
    """(year, pk) from a reference such as `MG-2026-000123`, or None if it is not one."""
    return _reference_parts(REFERENCE_RE.fullmatch(reference.strip()))


def find_reference(text: str) -> tuple[int, int] | None:
    """The first well-formed case reference inside free text (an e-mail subject), if any."""
    for match in REFERENCE_RE.finditer(text):
        parts = _reference_parts(match)
        if parts is not None:
            return parts
    return None


class CaseEvent(models.Model):
    """One line of the case's timeline: what happened, who did it and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=event_kind_choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """Something a person (or, when nobody owns the case, a whole team) must see in their queue."""

    # The core's kinds; stages register their own (cases/kinds.py).
    Kind = NotificationKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=notification_kind_choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The queue reads a person's (and their team's) newest unread ones straight off these,
            # in the order of Meta.ordering (read backwards), however many pile up unread. Partial:
            # PostgreSQL orders by an index only after equalities, and `read_at IS NULL` is none.
            models.Index(
                fields=["user", "created_at", "id"],
                condition=Q(read_at__isnull=True),
                name="notification_user_unread_idx",
            ),
            models.Index(
                fields=["team", "created_at", "id"],
                condition=Q(read_at__isnull=True),
                name="notification_team_unread_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(team__isnull=False), name="notification_has_recipient"
            )
        ]

    def __str__(self) -> str:
        return self.message


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.case_id}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=attachment_path, max_length=400)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename


class AuditEntry(AppendOnlyModel):
    """Append-only record of every state change. Triggers in the database refuse edits too."""

    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    changes = models.JSONField(default=dict, blank=True)

    append_only_message = "The audit log is append-only."
    objects = AppendOnlyQuerySet["AuditEntry"].as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class CaseMessageId(models.Model):
    """The Message-ID of an e-mail Makegood sent about a case (the acknowledgement, a reply, ...),
    so that the customer's answer finds its case by its In-Reply-To or References header even
    when the subject lost the reference (cases/threading.py)."""

    message_id = models.CharField(max_length=500, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="message_ids")
    purpose = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.message_id} ({self.purpose})"
