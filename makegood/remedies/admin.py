"""Admin: administrators edit the catalog and the authority policies here. The ledger, offers,
escalations and deliveries can be looked at, never changed (they are written by the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from makegood.remedies.models import (
    EmployeeAuthority,
    Escalation,
    Grant,
    Offer,
    OutboundEvent,
    Payment,
    RemedyType,
    RoleAuthority,
)


@admin.register(RemedyType)
class RemedyTypeAdmin(admin.ModelAdmin[RemedyType]):
    list_display = ["name", "kind", "catalog", "currency", "is_variable", "cost", "value", "immediate", "active"]
    list_filter = ["active", "catalog", "kind", "is_variable", "immediate", "effort"]
    search_fields = ["name", "code", "description"]
    # No bulk "update" actions: every change goes through save(), so option lists see it at once.
    actions = None


@admin.register(RoleAuthority)
class RoleAuthorityAdmin(admin.ModelAdmin[RoleAuthority]):
    list_display = ["role", "currency", "cap_per_case", "cap_per_day", "budget_per_month"]


@admin.register(EmployeeAuthority)
class EmployeeAuthorityAdmin(admin.ModelAdmin[EmployeeAuthority]):
    list_display = ["user", "cap_per_case", "cap_per_day", "budget_per_month"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["granted_at", "name", "amount", "cost", "currency", "case", "granted_by", "authorized_by"]
    list_filter = ["kind", "currency"]
    list_select_related = ["case", "granted_by", "authorized_by"]
    date_hierarchy = "granted_at"


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["made_at", "case", "made_by", "demand_kind", "demand_amount", "status"]
    list_filter = ["status"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["raised_at", "case", "raised_by", "status", "decided_by", "decided_at"]
    list_filter = ["status"]


@admin.register(OutboundEvent)
class OutboundEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "topic", "kind", "state", "attempts", "next_attempt_at", "delivered_at", "last_error"]
    list_filter = ["state", "kind"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    """Looked at here; paid or failed only through the payments to make or the payment system."""

    list_display = ["created_at", "case", "amount", "currency", "status", "route", "responsible", "due_at"]
    list_filter = ["status", "route", "currency"]
    list_select_related = ["case", "responsible"]
