"""The follow-up: after a case is resolved, we ask the customer whether it really is.

One `FollowUp` per resolution. E-mail and web customers get a survey by e-mail (a signed,
expiring link); phone and in-person customers get a call from the case's owner. Each follow-up
moves forward in one direction only: scheduled -> sent -> (reminded) -> answered / no response,
or cancelled when the case leaves the resolved state some other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from makegood.cases.models import Channel


class FollowUpEventKind(models.TextChoices):
    """The follow-up's line on the case's timeline (registered in apps.py)."""

    FOLLOW_UP = "follow_up", "Follow-up"


class FollowUpNotificationKind(models.TextChoices):
    CALL_DUE = "call_due", "Follow-up call due"


DEFAULT_DELAY = timedelta(days=1)
DEFAULT_REMIND_AFTER = timedelta(days=2)
DEFAULT_GIVE_UP_AFTER = timedelta(days=5)


@dataclass(frozen=True)
class Timing:
    """When to ask after resolution, when to remind, and when to stop waiting (after asking)."""

    delay: timedelta = DEFAULT_DELAY
    remind_after: timedelta = DEFAULT_REMIND_AFTER
    give_up_after: timedelta = DEFAULT_GIVE_UP_AFTER


class FollowUpPolicy(models.Model):
    """Per channel; administrators edit these in the admin. A channel without a row uses the defaults."""

    channel = models.CharField(max_length=20, choices=Channel.choices, unique=True)
    delay = models.DurationField(
        default=DEFAULT_DELAY, help_text="How long after the case is resolved to ask the customer (e.g. 1 00:00:00)."
    )
    remind_after = models.DurationField(
        default=DEFAULT_REMIND_AFTER, help_text="After asking: when to remind once if there is no answer."
    )
    give_up_after = models.DurationField(
        default=DEFAULT_GIVE_UP_AFTER,
        help_text='After asking: when to stop waiting and record "no response" (longer than the reminder).',
    )

    class Meta:
        ordering = ["channel"]
        verbose_name = "follow-up policy"
        verbose_name_plural = "follow-up policies"

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: ask after {self.delay}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.delay is not None and self.delay < timedelta(0):
            errors["delay"] = "Cannot be negative."
        if self.remind_after is not None and self.remind_after <= timedelta(0):
            errors["remind_after"] = "Must be more than zero."
        if self.give_up_after is not None and self.remind_after is not None and self.give_up_after <= self.remind_after:
            errors["give_up_after"] = "Must be longer than the reminder's wait, so that the reminder can be answered."
        if errors:
            raise ValidationError(errors)

    @property
    def timing(self) -> Timing:
        return Timing(delay=self.delay, remind_after=self.remind_after, give_up_after=self.give_up_after)


class Method(models.TextChoices):
    EMAIL = "email", "E-mail survey"
    CALL = "call", "Call"


class State(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENT = "sent", "Sent"
    REMINDED = "reminded", "Reminded"
    ANSWERED = "answered", "Answered"
    NO_RESPONSE = "no_response", "No response"
    CANCELLED = "cancelled", "Cancelled"


# Waiting for the customer (or for the sweep to ask them).
PENDING_STATES = (State.SCHEDULED, State.SENT, State.REMINDED)
# Asked and not yet answered: the link works, the call is on the owner's list.
AWAITING_STATES = (State.SENT, State.REMINDED)
# A late answer is still welcome after we stopped waiting.
ANSWERABLE_STATES = (State.SENT, State.REMINDED, State.NO_RESPONSE)


class FollowUp(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    method = models.CharField(max_length=10, choices=Method.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SCHEDULED)
    created_at = models.DateTimeField(default=timezone.now)

    due_at = models.DateTimeField(help_text="When the customer is to be asked.")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.CharField(max_length=254, blank=True, help_text="The address the survey went to.")
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    no_response_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    # Part of every survey link, so that a link can be retired without changing the secret key.
    nonce = models.CharField(max_length=32)

    # The e-mail on its way (survey, reminder or thank-you) in the outbox, which sends and retries
    # it; the follow-up moves on when the outbox records it delivered (`followup/outbound.py`).
    pending_email = models.ForeignKey(
        "outbox.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A satisfied customer who answered on the web is thanked by e-mail.
    thanks_due_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [
            # The sweep's three questions (what is due, what needs a reminder, what went silent)
            # and the API's state filter.
            models.Index(fields=["state", "due_at"], name="followup_state_due_idx"),
            models.Index(fields=["state", "remind_at"], name="followup_state_remind_idx"),
            models.Index(fields=["state", "give_up_at"], name="followup_state_give_up_idx"),
            # The report, by the day the customer was asked.
            models.Index(fields=["sent_at"], name="followup_sent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state__in=["scheduled", "sent", "reminded"]),
                name="followup_one_pending_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Follow-up {self.pk} ({self.get_method_display()}, {self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES


class Via(models.TextChoices):
    WEB = "web", "Survey page"
    CALL = "call", "Call"


class Outcome(models.TextChoices):
    CLOSED = "closed", "Satisfied: case closed"
    REOPENED = "reopened", "Not satisfied: case reopened"


# A score at or below this reopens the case, whatever the customer said about "resolved".
DISSATISFIED_AT_MOST = 2


class FollowUpAnswer(models.Model):
    """What the customer said, on the survey page or to the owner on the phone."""

    follow_up = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="answer")
    resolved = models.BooleanField()
    satisfaction = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    suggestion = models.TextField(blank=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="followupanswer_satisfaction_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{'Resolved' if self.resolved else 'Not resolved'}, {self.satisfaction}/5"

    @property
    def satisfied(self) -> bool:
        return self.outcome == Outcome.CLOSED


class CallAttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "Couldn't reach them"
    VOICEMAIL = "voicemail", "Left a voicemail"
    CALL_BACK = "call_back", "Asked to be called back"


class CallAttempt(models.Model):
    """One follow-up call that did not get the answers (the answers are a FollowUpAnswer)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="call_attempts")
    outcome = models.CharField(max_length=20, choices=CallAttemptOutcome.choices)
    call_back_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.follow_up_id})"
