"""Root causes: what broke, in a two-level taxonomy (category -> cause), and each case's cause.

Every resolved case names one cause and says whether the failure was in the system (a process,
a product, a partner) or a one-off by a person; that is the knowledge the improvement loop
(makegood/improvement) counts, charts and measures fixes against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CauseEventKind(models.TextChoices):
    """The causes' line on the case's timeline (registered in apps.py)."""

    CAUSE_SET = "cause_set", "Root cause set"


class Failure(models.TextChoices):
    """Where the failure was: most complaints come from a broken process, not a bad employee."""

    SYSTEM = "system", "The system or a process"
    PERSON = "person", "A one-off by a person"


class Source(models.TextChoices):
    """Where the suggested causes came from."""

    MODEL = "model", "Learned from this business's cases"
    RULES = "rules", "Keyword rules"
    NONE = "none", "No suggestion"


class Choice(models.TextChoices):
    """What the employee did with the suggestions."""

    FIRST = "first", "Took the first suggestion"
    OTHER = "other", "Took another suggestion"
    OWN = "own", "Chose their own"
    NOT_SUGGESTED = "not_suggested", "Nothing was suggested"


class CauseCategory(models.Model):
    """The first level: Process, Product, Partner or vendor, Staff and training, ..."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cause_categories",
        help_text="Owns every cause of the category that has no owner of its own.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "cause categories"

    def __str__(self) -> str:
        return self.name


class Cause(models.Model):
    """The second level: one thing that breaks. Its owner is the process owner who fixes it."""

    category = models.ForeignKey(CauseCategory, on_delete=models.PROTECT, related_name="causes")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_causes",
        help_text="The process owner; blank: the category's owner.",
    )
    keywords = models.TextField(
        blank=True,
        help_text=(
            "Keyword rules for suggesting this cause before enough cases are labelled: one word or "
            "phrase per line (or comma-separated); a case mentioning more of them ranks it higher."
        ),
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category__position", "category__name", "name"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="cause_unique_category_name")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """`Category / Cause`, as people and `suggest_causes` write it."""
        return f"{self.category.name} / {self.name}"

    @property
    def effective_owner_id(self) -> int | None:
        return self.owner_id or self.category.owner_id

    def keyword_list(self) -> list[str]:
        parts = (part.strip().lower() for line in self.keywords.splitlines() for part in line.split(","))
        return [part for part in parts if part]


class CaseCause(models.Model):
    """The root cause of one case, with what was suggested and what the employee did with it."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="root_cause")
    cause = models.ForeignKey(Cause, on_delete=models.PROTECT, related_name="case_causes")
    failure = models.CharField(max_length=10, choices=Failure.choices, blank=True)
    # Copied from the case (which never changes it), so that counts per cause per week read one
    # table through one index.
    received_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.NONE)
    choice = models.CharField(max_length=15, choices=Choice.choices, default=Choice.NOT_SUGGESTED)
    # The three suggestions as shown: [{"cause": id, "label": "...", "probability": 0.41}, ...].
    suggested = models.JSONField(default=list, blank=True)
    imported = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["cause", "received_at"], name="casecause_cause_received_idx"),
            models.Index(fields=["received_at"], name="casecause_received_idx"),
            models.Index(fields=["set_at"], name="casecause_set_at_idx", condition=Q(imported=False)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.cause_id}"


class CauseModel(models.Model):
    """One training of the suggester: its hold-out scores, and the model itself while it is the newest.

    The model takes over from the keyword rules only when it beat them on a time-ordered hold-out
    of the business's own cases (`beats_rules`).
    """

    trained_at = models.DateTimeField(default=timezone.now)
    labels = models.PositiveIntegerField(help_text="Labelled cases it was trained on.")
    causes = models.PositiveIntegerField(help_text="Distinct causes among them.")
    holdout = models.PositiveIntegerField(help_text="The newest cases held out to compare it with the rules.")
    model_top1 = models.FloatField()
    model_top3 = models.FloatField()
    rules_top1 = models.FloatField()
    rules_top3 = models.FloatField()
    temperature = models.FloatField(default=1.0)
    beats_rules = models.BooleanField()
    # The fitted pipeline (pickled; written only by `cause_model_train`). Cleared on older rows.
    blob = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-trained_at", "-pk"]
        get_latest_by = "trained_at"

    def __str__(self) -> str:
        return f"Trained {self.trained_at:%Y-%m-%d %H:%M} on {self.labels} cases"
