"""What every remedies endpoint shares: the router, who may act, the idempotency header and the
error responses each declares."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from ninja import Header, Router

from makegood.cases.schemas import ErrorOut, ValidationErrorOut
from makegood.remedies.services import MAX_KEY

router = Router(tags=["remedies"])

REPLAYED_HEADER = "Idempotent-Replayed"

IDEMPOTENCY_KEY: Any = Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=MAX_KEY,
    description=(
        "Makes retries safe: the same key with the same request returns the same grant (with "
        "`Idempotent-Replayed: true`) and grants nothing more; the same key for another grant is refused (422)."
    ),
)

E_CASE: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}

# A grant's service field names -> where they are in a request.
GRANT_PATHS = {
    "remedy_type": "remedy_type_id",
    "idempotency_key": "Idempotency-Key",
    "authorization": "authorization_id",
}


def may_grant(user: User) -> None:
    if not user.has_perm("remedies.grant_remedy"):
        raise PermissionDenied("Your role may not grant remedies.")


def may_decide(user: User) -> None:
    if not user.has_perm("remedies.decide_escalation"):
        raise PermissionDenied("Only managers decide on escalations.")
