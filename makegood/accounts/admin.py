"""Admin for teams, staff profiles and API tokens. Tokens are issued on the command line
(`makegood create_api_token`); here they can be looked at, renamed and revoked, never read."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from makegood.accounts.models import ApiToken, Holiday, OpeningHours, StaffProfile, Team


class OpeningHoursInline(admin.TabularInline[OpeningHours, Team]):
    model = OpeningHours
    extra = 0
    verbose_name_plural = "Opening hours (none: open round the clock)"


class HolidayInline(admin.TabularInline[Holiday, Team]):
    model = Holiday
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "slug", "location", "time_zone", "receives_unrouted"]
    list_filter = ["receives_unrouted"]
    search_fields = ["name", "slug", "location"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, HolidayInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin[StaffProfile]):
    list_display = ["user", "team"]
    list_filter = ["team"]
    list_select_related = ["user", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]


@admin.action(description="Revoke the selected tokens")
def revoke_tokens(modeladmin: ApiTokenAdmin, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
    count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    modeladmin.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "name", "user__username"]
    fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]
    actions = [revoke_tokens]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token's plain text is shown once, when issued: use `makegood create_api_token`.
        return False
