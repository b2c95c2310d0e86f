"""Admin for teams, staff profiles and API tokens. Tokens are issued on the command line
(`makegood create_api_token`); here they can be looked at, renamed and revoked, never read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import ManyToManyField, Model, QuerySet
from django.forms import ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils import timezone

from makegood.accounts.models import ApiToken, Holiday, OpeningHours, Role, StaffProfile, Team

# What only a superuser may hand out: superuser status itself, permissions outside the roles,
# and groups that are not roles. Anything else would let an administrator make anyone (themselves
# included) see every case and change every setting.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


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


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, less what would let a non-superuser escalate privileges.

    Administrators manage staff through roles (the role groups) and teams (staff profiles); only a
    superuser sees and sets superuser status, raw permissions and other groups, and only a
    superuser may change a superuser (their password included).
    """

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and getattr(obj, "is_superuser", False) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and getattr(obj, "is_superuser", False) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        """An administrator's form offers the role groups only; groups a superuser gave (not roles)
        are kept rather than dropped because the administrator could not see them."""
        kept: list[Group] = []
        if change and not request.user.is_superuser and isinstance(form.fields.get("groups"), ModelMultipleChoiceField):
            kept = list(form.instance.groups.exclude(name__in=Role.values))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)
