"""Admin for cases and their records.

Cases are read-only here: every change to a case goes through the services (which write the
timeline and the audit log). Response targets are editable: that is how an administrator
changes the first-response clock per channel.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from makegood.cases.models import (
    Attachment,
    AuditEntry,
    Case,
    CaseEvent,
    Customer,
    ResponseTarget,
    parse_reference,
)


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin[ResponseTarget]):
    list_display = ["channel", "target"]
    list_editable = ["target"]
    list_display_links = ["channel"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ["name", "email", "phone", "created_at"]
    search_fields = ["name", "email", "phone"]
    show_full_result_count = False


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["at", "kind", "actor", "body"]
    readonly_fields = ["at", "kind", "actor", "body"]
    ordering = ["at", "pk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseEvent]:
        return super().get_queryset(request).select_related("actor")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["filename", "content_type", "size", "created_at"]
    readonly_fields = ["filename", "content_type", "size", "created_at"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = [
        "reference",
        "channel",
        "status",
        "team",
        "customer",
        "owner",
        "received_at",
        "first_response_due_at",
        "first_responded_at",
    ]
    list_filter = ["status", "channel", "team"]
    list_select_related = ["customer", "team", "owner"]
    search_fields = ["customer__name", "customer__email", "customer__phone", "external_id"]
    search_help_text = "A reference (MG-2026-000123), or the customer's name, e-mail or phone."
    ordering = ["-received_at"]
    show_full_result_count = False
    inlines = [CaseEventInline, AttachmentInline]

    @admin.display(description="Reference", ordering="pk")
    def reference(self, obj: Case) -> str:
        return obj.reference

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Case], search_term: str
    ) -> tuple[QuerySet[Case], bool]:
        parsed = parse_reference(search_term)
        if parsed is not None:
            year, pk = parsed
            # The year as the reference writes it (UTC), not the site's time zone's.
            start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
            return queryset.filter(pk=pk, received_at__gte=start, received_at__lt=end), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """The append-only audit log: no add, change or delete, for anyone."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "action"]
    show_full_result_count = False
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
