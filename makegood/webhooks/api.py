"""REST endpoint for webhooks: administrators read the deliveries (what was sent, what failed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from makegood.accounts.requests import token_user
from makegood.cases.schemas import MAX_PAGE, ErrorOut, ValidationErrorOut
from makegood.webhooks.models import WebhookDelivery
from makegood.webhooks.selectors import deliveries_recent

router = Router(tags=["webhooks"])


class DeliveryFilters(Schema):
    state: Literal["pending", "delivered", "failed"] | None = Field(None, description="Only deliveries in this state.")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)


class DeliveryOut(Schema):
    id: int
    endpoint: str | None = Field(description="The endpoint's URL (null once the endpoint is deleted).")
    event: str
    event_id: UUID = Field(description="The payload's `id` and the `Makegood-Delivery` header.")
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]


class DeliveryPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[DeliveryOut]


def _out(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "endpoint": delivery.endpoint.url if delivery.endpoint is not None else None,
        "event": delivery.event,
        "event_id": delivery.event_id,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "delivered_at": delivery.delivered_at,
        "created_at": delivery.created_at,
        "payload": delivery.payload,
    }


@router.get(
    "/deliveries",
    response={200: DeliveryPageOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Webhook deliveries",
    operation_id="webhook_delivery_list",
)
def webhook_delivery_list(request: HttpRequest, filters: Query[DeliveryFilters]) -> dict[str, Any]:
    """Newest first, with their payloads and the last answer from the endpoint (administrators)."""
    if not token_user(request).has_perm("webhooks.view_webhookdelivery"):
        raise PermissionDenied("Only administrators may read webhook deliveries.")
    deliveries = deliveries_recent(state=filters.state)
    page = list(deliveries[filters.offset : filters.offset + filters.limit])
    return {
        "count": deliveries.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(delivery) for delivery in page],
    }
