"""Customers' suggestions in the inbox of the owner of their case's cause.

Suggestions that say nearly the same thing are grouped (with a count), within one cause: two
suggestions are the same when the words that carry meaning overlap enough (Jaccard similarity
of their word stems at least `SAME_AT_LEAST`). A suggestion whose case has no cause yet waits,
unrouted, and moves under the cause when one is set. The owner marks each group passed along,
adopted or not adopted; adopting thanks every customer in it by e-mail, saying what changed.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from makegood.cases.audit import audit_record
from makegood.cases.timeline import case_event_add
from makegood.causes.models import CaseCause
from makegood.improvement.access import can_manage
from makegood.improvement.models import (
    ImprovementEventKind,
    SuggestionGroup,
    SuggestionItem,
    SuggestionStatus,
)
from makegood.improvement.outbound import customer_email_enqueue

SAME_AT_LEAST = 0.5
OPEN_STATUSES = (SuggestionStatus.NEW, SuggestionStatus.PASSED_ALONG)
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "could",
        "do",
        "for",
        "from",
        "have",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "more",
        "my",
        "of",
        "on",
        "or",
        "our",
        "please",
        "should",
        "so",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "will",
        "with",
        "would",
        "you",
        "your",
        "just",
        "also",
        "maybe",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def meaning_words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text.lower().replace("'", "")) if w not in _STOP and len(w) > 1)


def similarity(a: str, b: str) -> float:
    wa, wb = meaning_words(a), meaning_words(b)
    if not wa or not wb:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    return len(wa & wb) / len(wa | wb)


def _group_for(cause_id: int | None, text: str, at: datetime) -> SuggestionGroup:
    candidates = SuggestionGroup.objects.filter(status__in=OPEN_STATUSES)
    candidates = candidates.filter(cause_id=cause_id) if cause_id is not None else candidates.filter(cause__isnull=True)
    best, best_score = None, SAME_AT_LEAST
    for group in candidates.only("pk", "text"):
        score = similarity(group.text, text)
        if score >= best_score:
            best, best_score = group, score
    if best is None:
        return SuggestionGroup.objects.create(cause_id=cause_id, text=text, created_at=at, last_at=at)
    return best


def _join(item_case_id: int, suggestion_id: int, text: str, cause_id: int | None, at: datetime) -> SuggestionItem:
    group = _group_for(cause_id, text, at)
    item = SuggestionItem.objects.create(suggestion_id=suggestion_id, group=group, case_id=item_case_id, created_at=at)
    SuggestionGroup.objects.filter(pk=group.pk).update(size=F("size") + 1, last_at=at)
    return item


def suggestion_file(
    *, suggestion_id: int, case_id: int, text: str, at: datetime | None = None
) -> SuggestionItem | None:
    """File a customer's suggestion (once) under its case's cause, grouped with its near-duplicates."""
    if SuggestionItem.objects.filter(suggestion_id=suggestion_id).exists() or not text.strip():
        return None
    cause_id = CaseCause.objects.filter(case_id=case_id).values_list("cause_id", flat=True).first()
    return _join(case_id, suggestion_id, text.strip(), cause_id, at or timezone.now())


def suggestions_route(*, case_id: int, cause_id: int) -> int:
    """The case's cause was set or changed: its undecided suggestions move under the new cause."""
    moved = 0
    items = SuggestionItem.objects.filter(case_id=case_id, group__status=SuggestionStatus.NEW).exclude(
        group__cause_id=cause_id
    )
    for item in items.select_related("group", "suggestion"):
        old = item.group
        item.delete()
        SuggestionGroup.objects.filter(pk=old.pk).update(size=F("size") - 1)
        SuggestionGroup.objects.filter(pk=old.pk, size__lte=0).delete()
        _join(case_id, item.suggestion_id, item.suggestion.text, cause_id, item.created_at)
        moved += 1
    return moved


@transaction.atomic
def suggestion_group_decide(
    *, group: SuggestionGroup, user: User, status: str, what_changed: str = ""
) -> SuggestionGroup:
    """Passed along, adopted or not adopted. Adopted: each customer is thanked and told what changed."""
    group = SuggestionGroup.objects.select_for_update(of=("self",)).select_related("cause__category").get(pk=group.pk)
    owner_id = group.cause.effective_owner_id if group.cause is not None else None
    if not (can_manage(user) or owner_id == user.pk):
        raise PermissionDenied("Only the cause's owner or a process owner answers its suggestions.")
    if status not in (SuggestionStatus.PASSED_ALONG, SuggestionStatus.ADOPTED, SuggestionStatus.NOT_ADOPTED):
        raise ValidationError({"status": ["Mark it passed along, adopted or not adopted."]})
    if group.status == SuggestionStatus.ADOPTED:
        raise ValidationError({"status": ["Already adopted: its customers have been thanked."]})
    what_changed = what_changed.strip()
    if status == SuggestionStatus.ADOPTED and not what_changed:
        raise ValidationError({"what_changed": ["Say what changed: the customers are told."]})
    now = timezone.now()
    before = group.status
    group.status, group.what_changed, group.decided_by, group.decided_at = status, what_changed, user, now
    group.save()
    audit_record(
        actor=user, action="improvement.suggestion_decided", obj=group, changes={"status": [before, status]}, at=now
    )
    if status == SuggestionStatus.ADOPTED:
        for item in group.items.select_related("case__customer"):
            case_event_add(
                item.case,
                kind=ImprovementEventKind.SUGGESTION_ADOPTED,
                at=now,
                actor=user,
                body=what_changed,
                data={"group": group.pk},
            )
            if item.case.customer.email:
                customer_email_enqueue("suggestion_thanks", item.pk)
    return group
