"""Merging a duplicate: the customer wrote twice about one problem, so one case is closed into
the other. Nothing is moved or deleted: each case keeps its timeline and its audit entries, a
line on each says where the other is, and the target's page shows the duplicate's timeline.

One service for the case page and `POST /v1/cases/{reference}/merge`.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from makegood.accounts.roles import can_view_case
from makegood.cases import signals
from makegood.cases.audit import audit_record
from makegood.cases.kinds import register_event_kinds
from makegood.cases.models import Case, Status
from makegood.cases.services import CaseActionError, _change_status
from makegood.cases.timeline import case_event_add, case_lock
from makegood.desk.models import CaseMerge

# A duplicate still open (or resolved and awaiting its follow-up) may be closed into another.
MERGE_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.CLOSED},
    Status.OPEN: {Status.CLOSED},
    Status.RESOLVED: {Status.CLOSED},
    Status.CLOSED: set(),
}


class MergeEventKind(models.TextChoices):
    MERGED_INTO = "merged_into", "Merged into another case"
    MERGED_FROM = "merged_from", "A duplicate merged into this case"


register_event_kinds(MergeEventKind)


@transaction.atomic
def case_merge(*, source: Case, target: Case, by: User, at: datetime | None = None) -> Case:
    """Close `source` as a duplicate of `target` (the same customer's); returns the target."""
    if not by.has_perm("cases.respond_case") or not (can_view_case(by, source) and can_view_case(by, target)):
        raise CaseActionError("You cannot merge these cases.")
    if source.pk == target.pk:
        raise CaseActionError("A case cannot be merged into itself.")
    # Both rows locked, always in the same order, so two merges of the pair cannot deadlock.
    first, second = sorted((source.pk, target.pk))
    locked = {pk: case_lock(pk) for pk in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.customer_id != target.customer_id:
        raise CaseActionError("Only cases of the same customer can be merged.")
    if CaseMerge.objects.filter(source=target).exists():
        raise CaseActionError(f"{target.reference} was itself merged into another case.")
    if source.status not in (Status.NEW, Status.OPEN, Status.RESOLVED):
        raise CaseActionError(f"{source.reference} is already closed.")
    if target.status == Status.CLOSED:
        raise CaseActionError(f"{target.reference} is closed; merge into an open case.")
    now = at or timezone.now()
    CaseMerge.objects.create(source=source, target=target, merged_by=by, merged_at=now)
    note = f"Merged into {target.reference}: the same customer about the same problem."
    case_event_add(source, kind=MergeEventKind.MERGED_INTO, at=now, actor=by, body=note, data={"into": target.pk})
    case_event_add(
        target,
        kind=MergeEventKind.MERGED_FROM,
        at=now,
        actor=by,
        body=f"{source.reference} was merged into this case; its timeline is shown below.",
        data={"from": source.pk},
    )
    _change_status(source, to=Status.CLOSED, actor=by, note=note, at=now, transitions=MERGE_TRANSITIONS)
    source.save()
    audit_record(at=now, actor=by, action="case.merged", obj=source, changes={"merged_into": target.pk})
    audit_record(at=now, actor=by, action="case.merged_from", obj=target, changes={"merged_from": source.pk})
    # Pending follow-ups of the duplicate are cancelled and webhooks hear of it, as for any close.
    signals.case_closed.send(sender=Case, case=source, actor=by, at=now)
    return target
