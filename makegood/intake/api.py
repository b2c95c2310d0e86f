"""`POST /v1/cases`: another system opens a case, idempotently.

`/v1/cases` is also the core's list of cases (`GET`, in `makegood.cases.api`). Django answers a
URL with the first pattern that matches it, and ninja makes one pattern per router and path, so a
second router at the same path would answer the list with 405. The project's API
(`makegood/api.py`) therefore adds this operation to the core's collection router with
`case_open_add_to`: the endpoint, its schemas and its rules stay here, in intake.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Status

from makegood.accounts.requests import token_user
from makegood.cases.schemas import CaseOut, ErrorOut, ValidationErrorOut, case_out
from makegood.edges import rekeyed
from makegood.intake.schemas import INTAKE_FIELD_PATHS, CaseIn
from makegood.intake.services import MAX_KEY, IdempotencyConflict, intake_case_open


def case_create(
    request: HttpRequest,
    payload: CaseIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY,
        description=(
            "Makes retries safe: the same key with the same body returns the same case (with "
            "`Idempotent-Replayed: true`); the same key with another body is refused with 422."
        ),
    ),
) -> Status:
    """Open a case from another system; it is acknowledged at once and its first-response clock starts."""
    user = token_user(request)
    if not user.has_perm("cases.add_case"):
        return Status(403, {"detail": "Your role may not open cases."})
    customer = payload.customer
    try:
        result = intake_case_open(
            scope=f"api:{user.pk}",
            idempotency_key=idempotency_key,
            channel=payload.channel,
            customer_name=customer.name,
            customer_email=customer.email or "",
            customer_phone=customer.phone or "",
            story=payload.story,
            expectation=payload.expectation,
            subject=payload.subject,
            external_id=payload.external_id,
            team_slug=payload.team,
            created_by=user,
        )
    except ValidationError as exc:
        raise rekeyed(exc, INTAKE_FIELD_PATHS) from exc
    except IdempotencyConflict as exc:
        return Status(422, {"detail": str(exc), "errors": {"Idempotency-Key": [str(exc)]}})
    case = result.case
    response["Location"] = f"{request.path.rstrip('/')}/{case.reference}"
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, case_out(case))


def case_open_add_to(collection: Router) -> None:
    """Add `POST` (open a case) to the router that serves `/v1/cases`."""
    collection.post(
        "",
        response={201: CaseOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut},
        summary="Open a case",
        operation_id="case_open",
    )(case_create)
