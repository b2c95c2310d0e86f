"""How the insight pages write durations and shares."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """3725 -> "1 h 2 min"; 42 -> "42 s"; None -> "-"."""
    if seconds is None:
        return "-"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


@register.filter
def share(value: float | None) -> str:
    """0.8333 -> "83%"; None -> "no data"."""
    if value is None:
        return "no data"
    return f"{value:.0%}"
