"""Template filters for the recovery conversation: step and feeling names for stored codes."""

from __future__ import annotations

from django import template

from makegood.cases.models import Feeling
from makegood.recovery.models import StepKind

register = template.Library()

_STEP_LABELS = dict(StepKind.choices)
_FEELING_LABELS = dict(Feeling.choices)


@register.filter
def step_label(kind: str) -> str:
    """`repeat_back` -> `Repeat back`; an unknown code is shown as it is."""
    return str(_STEP_LABELS.get(kind, kind))


@register.filter
def feeling_label(feeling: str) -> str:
    return str(_FEELING_LABELS.get(feeling, feeling))


@register.filter
def percent(confidence: float | None) -> str:
    """0.784 -> `78%`; nothing for no confidence."""
    if confidence is None:
        return ""
    return f"{round(confidence * 100)}%"
