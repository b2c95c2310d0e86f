"""Template tags of the pages the core composes: a stage's panel, a stage's timeline line, and the
names of the case's own stored codes (its feeling)."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from makegood.cases import panels
from makegood.cases.models import Feeling

register = template.Library()

_FEELING_LABELS = dict(Feeling.choices)


@register.simple_tag(takes_context=True)
def panel(context: Context, shown: panels.ShownPanel) -> SafeString:
    """Render a registered panel inside the page's context, with its own names added (as `include`)."""
    assert context.template is not None
    with context.push(shown.context):
        return context.template.engine.get_template(shown.template).render(context)


@register.filter
def timeline_template(kind: str) -> str:
    """The template a stage registered for this kind of timeline line; "" for the core's kinds."""
    return panels.timeline_template(kind)


@register.filter
def feeling_label(feeling: str) -> str:
    """`scared` -> `Scared`; an unknown code is shown as it is."""
    return str(_FEELING_LABELS.get(feeling, feeling))


@register.filter
def percent(confidence: float | None) -> str:
    """0.784 -> `78%`; nothing for no confidence."""
    if confidence is None:
        return ""
    return f"{round(confidence * 100)}%"
