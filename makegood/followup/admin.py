"""Admin for follow-ups: the policy per channel is editable; follow-ups themselves are read-only
(every change goes through the services, which write the timeline and the audit log)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from makegood.followup.models import FollowUp, FollowUpPolicy


@admin.register(FollowUpPolicy)
class FollowUpPolicyAdmin(admin.ModelAdmin[FollowUpPolicy]):
    """When to ask after resolution, when to remind, when to give up. A channel without a row
    uses the defaults: ask after 1 day, remind after 2 more, "no response" 5 days after asking."""

    list_display = ["channel", "delay", "remind_after", "give_up_after"]
    list_display_links = ["channel"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin[FollowUp]):
    list_display = ["pk", "case", "method", "state", "due_at", "sent_at", "answered_at"]
    list_filter = ["state", "method"]
    list_select_related = ["case"]
    show_full_result_count = False
    exclude = ["nonce"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
