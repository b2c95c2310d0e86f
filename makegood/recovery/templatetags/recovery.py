"""Template filters for the recovery conversation: step names for stored codes, and the case's
feeling names (the core's filters, under the name recovery's templates load)."""

from __future__ import annotations

from django import template

from makegood.cases.templatetags.case_page import feeling_label, percent
from makegood.recovery.models import StepKind

register = template.Library()

_STEP_LABELS = dict(StepKind.choices)


@register.filter
def step_label(kind: str) -> str:
    """`repeat_back` -> `Repeat back`; an unknown code is shown as it is."""
    return str(_STEP_LABELS.get(kind, kind))


register.filter("feeling_label", feeling_label)
register.filter("percent", percent)
