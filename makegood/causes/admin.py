"""Administrators edit the taxonomy, its owners and the keyword rules here."""

from __future__ import annotations

from django.contrib import admin

from makegood.causes.models import Cause, CauseCategory, CauseModel


class CauseInline(admin.TabularInline):
    model = Cause
    fields = ("name", "owner", "keywords", "active")
    extra = 1


@admin.register(CauseCategory)
class CauseCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "position", "active")
    list_editable = ("position", "active")
    inlines = [CauseInline]


@admin.register(Cause)
class CauseAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "owner", "active")
    list_filter = ("category", "active")
    search_fields = ("name", "keywords")
    fields = ("category", "name", "description", "owner", "keywords", "active")


@admin.register(CauseModel)
class CauseModelAdmin(admin.ModelAdmin):
    list_display = ("trained_at", "labels", "causes", "holdout", "model_top1", "rules_top1", "beats_rules")
    readonly_fields = [f.name for f in CauseModel._meta.fields if f.name != "blob"]
    exclude = ("blob",)

    def has_add_permission(self, request: object) -> bool:
        return False
