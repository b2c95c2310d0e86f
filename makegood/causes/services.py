"""Writing root causes: the taxonomy, and the one path that sets a case's cause."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from makegood.accounts.roles import can_view_case
from makegood.cases.audit import audit_record
from makegood.cases.models import Case
from makegood.cases.services import CaseActionError
from makegood.cases.timeline import case_event_add, case_lock
from makegood.causes.defaults import DEFAULT_TAXONOMY, IMPORTED_CATEGORY
from makegood.causes.models import CaseCause, Cause, CauseCategory, CauseEventKind, Choice, Failure, Source

# Sent inside the transaction that set (or changed) a case's cause: `case`, `case_cause`,
# `previous_cause_id`. The improvement loop routes the case's customer suggestions with it.
case_cause_changed = Signal()

MAX_NAME = 150


def cause_required(case: Case, user: User) -> None:
    """The resolve guard (registered in apps.py): no root cause, no resolution."""
    if not CaseCause.objects.filter(case_id=case.pk).exists():
        raise ValidationError(
            {"cause": ["Choose the root cause, and whether the system or a person failed, before resolving."]}
        )


def _choice_of(cause: Cause, suggested: list[dict[str, object]]) -> str:
    ids = [item.get("cause") for item in suggested]
    if not ids:
        return Choice.NOT_SUGGESTED
    if ids[0] == cause.pk:
        return Choice.FIRST
    return Choice.OTHER if cause.pk in ids else Choice.OWN


@transaction.atomic
def case_cause_set(
    *,
    case: Case,
    user: User,
    cause: Cause,
    failure: str,
    suggested: list[dict[str, object]] | None = None,
    source: str = Source.NONE,
    at: datetime | None = None,
) -> CaseCause:
    """Set or change the case's root cause and failure (system or person): a timeline line and an
    audit entry each time. `suggested` is what the person was shown (to count how often they took
    the first suggestion); it is kept from the first time a cause was set when not given again.
    """
    if not user.has_perm("cases.respond_case") or not can_view_case(user, case):
        raise CaseActionError("You cannot set the root cause of this case.")
    errors: dict[str, list[str]] = {}
    if failure not in Failure.values:
        errors["failure"] = ["Say whether the system (a process) or a person failed."]
    if not cause.active or not cause.category.active:
        errors["cause"] = [f"“{cause.label}” is retired; choose a current cause."]
    if source not in Source.values:
        errors["source"] = [f"Unknown source {source!r}."]
    if errors:
        raise ValidationError(errors)
    case = case_lock(case, with_customer=False)
    now = at or timezone.now()
    current = CaseCause.objects.filter(case=case).select_related("cause__category").first()
    previous = (current.cause_id, current.failure) if current is not None else (None, "")
    if previous == (cause.pk, failure):
        return current  # type: ignore[return-value]
    if current is None:
        current = CaseCause(case=case, received_at=case.received_at)
        current.suggested = suggested or []
        current.source = source if suggested else Source.NONE
    elif suggested is not None:
        current.suggested, current.source = suggested, source
    current.cause, current.failure, current.set_by, current.set_at = cause, failure, user, now
    current.choice = _choice_of(cause, current.suggested)
    current.save()
    failure_label = Failure(failure).label.lower()
    body = f"{cause.label} ({failure_label})."
    if previous[0] is not None and previous[0] != cause.pk:
        body = f"Changed to {body}"
    case_event_add(
        case,
        kind=CauseEventKind.CAUSE_SET,
        at=now,
        actor=user,
        body=body,
        data={"cause": cause.pk, "label": cause.label, "failure": failure, "choice": current.choice},
    )
    audit_record(
        actor=user,
        action="case.cause_set",
        obj=case,
        changes={"cause": [previous[0], cause.pk], "failure": [previous[1] or None, failure], "choice": current.choice},
        at=now,
    )
    case_cause_changed.send(sender=CaseCause, case=case, case_cause=current, previous_cause_id=previous[0])
    return current


def _clean_name(name: str, field: str = "name") -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({field: ["Give it a name."]})
    if len(name) > MAX_NAME:
        raise ValidationError({field: [f"At most {MAX_NAME} characters."]})
    return name


@transaction.atomic
def cause_category_create(*, name: str, owner: User | None = None, description: str = "") -> CauseCategory:
    name = _clean_name(name)
    if CauseCategory.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [f"There is already a category “{name}”."]})
    position = CauseCategory.objects.count()
    return CauseCategory.objects.create(name=name, owner=owner, description=description, position=position)


@transaction.atomic
def cause_create(
    *, category: CauseCategory, name: str, owner: User | None = None, keywords: str = "", description: str = ""
) -> Cause:
    name = _clean_name(name)
    if Cause.objects.filter(category=category, name__iexact=name).exists():
        raise ValidationError({"name": [f"“{category.name}” already has a cause “{name}”."]})
    return Cause.objects.create(category=category, name=name, owner=owner, keywords=keywords, description=description)


def cause_find_or_create(label: str, *, known: dict[str, Cause] | None = None) -> Cause:
    """The cause a free-text label names (`Category / Cause` or `Cause`, any case), else a new one
    under the "Imported" category, for an administrator to file properly later."""
    label = " ".join(label.split())
    category_name, _, cause_name = label.rpartition(" / ")
    causes = Cause.objects.select_related("category")
    if category_name:
        found = causes.filter(category__name__iexact=category_name, name__iexact=cause_name).first()
    else:
        matches = list(causes.filter(name__iexact=cause_name)[:2])
        found = matches[0] if len(matches) == 1 else None
    if found is not None:
        return found
    imported, _ = CauseCategory.objects.get_or_create(
        name=IMPORTED_CATEGORY,
        defaults={"description": "Causes named by imported history, to be filed.", "position": 1000},
    )
    name = _clean_name(label[:MAX_NAME], "root_cause")
    cause, _ = Cause.objects.get_or_create(category=imported, name=name)
    return cause


def taxonomy_load_defaults() -> int:
    """Create the default categories and causes that are missing; returns how many causes were added."""
    added = 0
    for position, (category_name, (description, causes)) in enumerate(DEFAULT_TAXONOMY.items()):
        category, _ = CauseCategory.objects.get_or_create(
            name=category_name, defaults={"description": description, "position": position}
        )
        for cause_name, keywords in causes.items():
            _, created = Cause.objects.get_or_create(
                category=category, name=cause_name, defaults={"keywords": keywords.replace(", ", "\n")}
            )
            added += created
    return added
