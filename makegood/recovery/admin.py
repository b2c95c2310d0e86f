"""Admin for the guided recovery: the script's prompts are editable; the records are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from makegood.recovery.models import ScriptPrompt, Suggestion
from makegood.recovery.scripts import DEFAULT_PROMPTS


@admin.register(ScriptPrompt)
class ScriptPromptAdmin(admin.ModelAdmin[ScriptPrompt]):
    """What the guided screen says at each step, per language. A step without a prompt here
    shows the built-in default (`recovery.scripts.DEFAULT_PROMPTS`)."""

    list_display = ["language", "step", "prompt"]
    list_filter = ["language", "step"]
    search_fields = ["prompt"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        step = str(initial.get("step", ""))
        if step in DEFAULT_PROMPTS and "prompt" not in initial:
            initial["prompt"] = DEFAULT_PROMPTS[step]
        return initial


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin[Suggestion]):
    """Customers' ideas for doing better, as recorded when thanking them."""

    list_display = ["text", "case", "recorded_by", "created_at"]
    search_fields = ["text"]
    list_select_related = ["case", "recorded_by"]
    readonly_fields = ["case", "text", "recorded_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
