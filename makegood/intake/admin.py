"""Admin for intake's records: read-only, they are written by intake alone."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from makegood.intake.mail.ingest import Outcome, inbound_retry
from makegood.intake.models import IdempotencyKey, InboundMessage, InboundStatus

logger = logging.getLogger(__name__)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.action(description="Retry the selected rejected messages", permissions=["retry"])
def retry_messages(modeladmin: InboundMessageAdmin, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
    """Read rejected messages again once their cause is fixed (a setting, a team, a bug)."""
    for inbound in queryset.filter(status=InboundStatus.REJECTED):
        try:
            result = inbound_retry(inbound=inbound)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{inbound.message_id}: {' '.join(exc.messages)}", messages.ERROR)
        except Exception as exc:
            logger.exception("Retrying inbound message %s failed", inbound.message_id)
            modeladmin.message_user(request, f"{inbound.message_id}: failed again ({exc})", messages.ERROR)
        else:
            level = messages.WARNING if result.outcome == Outcome.REJECTED else messages.SUCCESS
            modeladmin.message_user(request, f"{inbound.message_id}: {result.describe()}", level)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    """Every e-mail read. Administrators see why one was rejected and retry it after fixing the cause."""

    list_display = ["received_at", "status", "from_address", "subject", "reason", "case"]
    list_filter = ["status"]
    list_select_related = ["case"]
    search_fields = ["message_id", "from_address", "subject", "error"]
    date_hierarchy = "received_at"
    exclude = ["raw"]
    readonly_fields = ["raw_size"]
    actions = [retry_messages]

    @admin.display(description="Reason")
    def reason(self, obj: InboundMessage) -> str:
        return obj.error[:200]

    @admin.display(description="Raw message kept")
    def raw_size(self, obj: InboundMessage) -> str:
        size = len(obj.raw_message)
        return f"{size} bytes" if size else "no"

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.retry_inboundmessage")


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["scope", "key", "case", "created_at"]
    list_filter = ["scope"]
    list_select_related = ["case"]
    search_fields = ["scope", "key"]
