"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import models

from makegood.cases.models import AuditEntry


def audit_record(
    *, actor: User | None, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes or {},
    )
