"""The recovery conversation, step by step (Listen, Repeat back, Apologize, Empathy, Solve, Thank)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StepKind(models.TextChoices):
    LISTEN = "listen", "Listen"
    REPEAT_BACK = "repeat_back", "Repeat back"
    APOLOGIZE = "apologize", "Apologize"
    EMPATHY = "empathy", "Name the feeling"
    SOLVE = "solve", "Solve"
    THANK = "thank", "Thank"


class RecoveryEventKind(models.TextChoices):
    """The guided recovery's lines on the case's timeline (registered in apps.py)."""

    RECOVERY_STEP = "recovery_step", "Recovery step"


class RecoveryStep(models.Model):
    """One step as it happened. Steps may repeat (a corrected repeat-back loops back to Listen)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="recovery_steps")
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    text = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="recoverystep_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"


class ScriptPrompt(models.Model):
    """What the guided screen says to the employee at a step. Administrators edit these per language."""

    language = models.CharField(max_length=10, default="en")
    step = models.CharField(max_length=20, choices=StepKind.choices)
    prompt = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["language", "step"], name="scriptprompt_unique_language_step")]
        ordering = ["language", "step"]

    def __str__(self) -> str:
        return f"{self.language}: {self.get_step_display()}"


class Suggestion(models.Model):
    """An idea the customer offered for doing better; it travels on to whoever owns the process."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="suggestions")
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.text[:60]
