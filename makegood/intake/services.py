"""Intake that is safe to retry: the same idempotency key and request give the same case, once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from makegood.accounts.models import Team
from makegood.cases.models import Case
from makegood.intake.models import IdempotencyKey
from makegood.intake.opening import case_create, intake_prepare
from makegood.rows import row_insert

MAX_KEY = 255  # IdempotencyKey.key's column


@dataclass(frozen=True)
class IntakeResult:
    case: Case
    # True when an earlier request with the same key opened the case and this one only found it.
    replayed: bool


class IdempotencyConflict(Exception):
    """The key was used before for a different request."""


def request_digest(fields: dict[str, str]) -> str:
    """A fingerprint of the request as the client sent it (key order and JSON spacing do not matter)."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def intake_case_open(
    *,
    scope: str,
    idempotency_key: str | None,
    channel: str,
    customer_name: str,
    story: str,
    customer_email: str = "",
    customer_phone: str = "",
    expectation: str = "",
    subject: str = "",
    external_id: str = "",
    team_slug: str = "",
    created_by: User | None = None,
    contact_required: bool = True,
) -> IntakeResult:
    """Open a case through `case_open`, at most once per (scope, key).

    `scope` keeps clients apart (`api:<user id>`): two integrations may use the same key. The key
    is stored in the case's own transaction, so there is never a key without its case or the
    reverse. Raises ValidationError (bad fields, unknown team) or IdempotencyConflict.
    """
    fields = {
        "channel": channel,
        "customer_name": customer_name,
        "customer_email": customer_email,
        "customer_phone": customer_phone,
        "story": story,
        "expectation": expectation,
        "subject": subject,
        "external_id": external_id,
        "team": team_slug,
    }
    if idempotency_key is not None and not _usable_key(idempotency_key):
        raise ValidationError({"idempotency_key": [f"Use 1 to {MAX_KEY} printable characters."]})
    intake = intake_prepare(
        channel=channel,
        customer_name=customer_name,
        customer_email=customer_email,
        customer_phone=customer_phone,
        story=story,
        expectation=expectation,
        subject=subject,
        external_id=external_id,
        team=_team(team_slug),
        created_by=created_by,
        contact_required=contact_required,
    )
    try:
        with transaction.atomic():
            case = case_create(intake)
            if idempotency_key is not None:
                row_insert(
                    IdempotencyKey(scope=scope, key=idempotency_key, request_digest=request_digest(fields), case=case)
                )
    except IntegrityError:
        # The unique constraint on (scope, key) is the one judge of "seen before", also for two
        # requests racing each other: the loser's case is rolled back with its key, and it answers
        # with the winner's case. Not looking the key up first saves a query on every new
        # complaint; a retry costs a rolled-back transaction instead, and retries are rare.
        if idempotency_key is None:
            raise
        earlier = _replay(scope=scope, key=idempotency_key, digest=request_digest(fields))
        if earlier is None:
            raise
        return earlier
    return IntakeResult(case=case, replayed=False)


def _usable_key(key: str) -> bool:
    return bool(key.strip()) and len(key) <= MAX_KEY and key.isprintable()


def _team(slug: str) -> Team | None:
    if not slug:
        return None
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise ValidationError({"team": [f"No team with the slug {slug!r}."]})
    return team


def _replay(*, scope: str, key: str, digest: str) -> IntakeResult | None:
    found = (
        IdempotencyKey.objects.filter(scope=scope, key=key)
        .select_related("case__customer", "case__team", "case__owner")
        .first()
    )
    if found is None:
        return None
    if found.request_digest != digest:
        raise IdempotencyConflict(
            f"This Idempotency-Key was already used for a different request (case {found.case.reference}). "
            "Use a new key for a new complaint, or resend exactly the same request."
        )
    return IntakeResult(case=found.case, replayed=True)
