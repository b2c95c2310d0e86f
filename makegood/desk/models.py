"""A duplicate case merged into another: the link the customer page and both timelines show."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CaseMerge(models.Model):
    """`source` was closed as a duplicate of `target`; both keep their own timeline."""

    source = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="merged_into")
    target = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="merged_from")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["merged_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source_id} merged into {self.target_id}"
