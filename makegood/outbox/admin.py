"""Everything that left Makegood or is about to, for administrators: read-only, failed ones in view.

A message that failed for good can be sent once more ("Send again"), after its cause is fixed.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from makegood.outbox.models import OutboxMessage
from makegood.outbox.pipeline import message_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = [
        "created_at",
        "purpose",
        "target",
        "state",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    ]
    list_filter = ["state", "purpose"]
    search_fields = ["target", "key"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["send_again"]
    readonly_fields = fields = (
        "purpose",
        "target",
        "key",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_by",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
        "payload_json",
    )

    @admin.display(description="payload")
    def payload_json(self, message: OutboxMessage) -> str:
        return format_html("<pre>{}</pre>", json.dumps(message.payload, indent=2, sort_keys=True, default=str))

    @admin.action(description="Send the selected failed messages again", permissions=["retry"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        from makegood.outbox.enqueue import send_on_commit

        again = 0
        for message in queryset:
            if message_retry(message=message):
                send_on_commit(message.pk)
                again += 1
        self.message_user(request, f"{again} message(s) will be sent again.", level=messages.INFO)

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outbox.retry_outboxmessage")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
