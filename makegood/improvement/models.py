"""The outer loop: fixes to the process behind a cause, and whether complaints of it fell.

An `ImprovementAction` is a process fix with an owner, a due date, the cases that showed the
problem, and (stated before it goes live) the reduction expected and the review date. Weekly
business volumes normalise the counts; CUSUM alarms and notices tell owners when a cause rises.
Customers' suggestions, grouped when they say the same thing, wait in the cause owner's inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    LIVE = "live", "Live"
    REVIEWED = "reviewed", "Reviewed"


class Verdict(models.TextChoices):
    WORKED = "worked", "Worked"
    INCONCLUSIVE = "inconclusive", "Inconclusive"
    NO_EFFECT = "no_effect", "No effect or worse"


class ImprovementEventKind(models.TextChoices):
    """Lines on the linked cases' timelines (registered in apps.py)."""

    FIX_LINKED = "fix_linked", "Linked to a process fix"
    FIX_ANNOUNCED = "fix_announced", "Customer told the problem is fixed"
    SUGGESTION_ADOPTED = "suggestion_adopted", "Customer's suggestion adopted"


class ImprovementAction(models.Model):
    cause = models.ForeignKey("causes.Cause", on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200, help_text="What will change.")
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions")
    due_on = models.DateField()
    expected_reduction = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The fall in complaints of this cause expected, in percent, stated before the fix goes live.",
    )
    review_on = models.DateField(help_text="When the effect will be reviewed.")
    state = models.CharField(max_length=15, choices=ActionState.choices, default=ActionState.OPEN)
    went_live_on = models.DateField(null=True, blank=True)
    verdict = models.CharField(max_length=15, choices=Verdict.choices, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="improvement_actions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_improvement", "Can see causes, fixes and their measured effect"),
            ("manage_improvement", "Can open and run fixes and answer suggestions for any cause"),
        ]
        indexes = [models.Index(fields=["owner", "state", "due_on"], name="action_owner_state_due_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.state in (ActionState.LIVE, ActionState.REVIEWED)

    def is_overdue(self, today: object) -> bool:
        return not self.is_done and self.due_on < today  # type: ignore[operator]


class FixAnnouncement(models.Model):
    """One reviewed message to one customer: what hurt them has been fixed."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="announcements")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    to = models.EmailField()
    body = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "to"], name="announcement_once_per_customer")]

    def __str__(self) -> str:
        return f"{self.action_id} -> {self.to}"


class VolumeWeek(models.Model):
    """The business's volume in one week (orders, visits): complaints are normalised by it."""

    week = models.DateField(unique=True, help_text="The Monday the week starts on.")
    volume = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["week"]

    def __str__(self) -> str:
        return f"{self.week}: {self.volume}"


class AlarmKind(models.TextChoices):
    RISING = "rising", "Complaints of this cause are rising"
    RELAPSE = "relapse", "Complaints climbed back after the fix"


class CauseAlarm(models.Model):
    """The CUSUM fired for a cause in a week (once per cause, kind and week, however often it runs)."""

    cause = models.ForeignKey("causes.Cause", on_delete=models.CASCADE, related_name="alarms")
    kind = models.CharField(max_length=10, choices=AlarmKind.choices)
    week = models.DateField()
    statistic = models.FloatField()
    action = models.ForeignKey(
        ImprovementAction, null=True, blank=True, on_delete=models.CASCADE, related_name="alarms"
    )
    fired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "-pk"]
        constraints = [models.UniqueConstraint(fields=["cause", "kind", "week"], name="alarm_once_per_week")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.week})"


class OwnerNotice(models.Model):
    """Something a cause's or a fix's owner must see: a rising cause, a fix whose complaints came back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="improvement_notices")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], condition=Q(read_at__isnull=True), name="notice_unread_idx")
        ]

    def __str__(self) -> str:
        return self.message


class SuggestionStatus(models.TextChoices):
    NEW = "new", "New"
    PASSED_ALONG = "passed_along", "Passed along"
    ADOPTED = "adopted", "Adopted"
    NOT_ADOPTED = "not_adopted", "Not adopted"


class SuggestionGroup(models.Model):
    """Customers' suggestions that say the same thing, under the cause of their cases."""

    cause = models.ForeignKey(
        "causes.Cause", null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion_groups"
    )
    text = models.TextField(help_text="The first suggestion's words.")
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=15, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW)
    what_changed = models.TextField(blank=True, help_text="Told to the customers when adopted.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "-last_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class SuggestionItem(models.Model):
    """One customer's suggestion (recovery's record), in its group."""

    suggestion = models.OneToOneField("recovery.Suggestion", on_delete=models.CASCADE, related_name="inbox_item")
    group = models.ForeignKey(SuggestionGroup, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    thanked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} in {self.group_id}"
