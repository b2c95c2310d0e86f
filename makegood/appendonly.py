"""Records that are written once and never changed: the audit log, the remedy ledger.

The model and its querysets refuse updates and deletes; the audit log's table also has database
triggers, so that not even raw SQL can rewrite history.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db import models


class AppendOnlyError(Exception):
    pass


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(getattr(self.model, "append_only_message", "Append-only."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(getattr(self.model, "append_only_message", "Append-only."))


class AppendOnlyModel(models.Model):
    append_only_message: ClassVar[str] = "These records are append-only."

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.append_only_message)
