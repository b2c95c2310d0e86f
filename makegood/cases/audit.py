"""Writing to the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from makegood.cases.models import AuditEntry
from makegood.rows import row_insert


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """`at` is for back-dated imports (the demo); live actions take the current time."""
    entry = AuditEntry(
        at=at or timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes or {},
    )
    # One statement built once (makegood/rows.py): every write transaction records an entry.
    return row_insert(entry)
