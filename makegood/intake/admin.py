"""Admin for intake's records: read-only, they are written by intake alone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from makegood.intake.models import IdempotencyKey, InboundMessage


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "status", "from_address", "subject", "case"]
    list_filter = ["status"]
    list_select_related = ["case"]
    search_fields = ["message_id", "from_address", "subject"]
    date_hierarchy = "received_at"
    exclude = ["raw"]
    readonly_fields = ["raw_size"]

    @admin.display(description="Raw message kept")
    def raw_size(self, obj: InboundMessage) -> str:
        size = len(obj.raw or b"")
        return f"{size} bytes" if size else "no"


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["scope", "key", "case", "created_at"]
    list_filter = ["scope"]
    list_select_related = ["case"]
    search_fields = ["scope", "key"]
