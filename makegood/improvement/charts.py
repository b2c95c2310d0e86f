"""Charts as SVG drawn on the server: no script, no CDN, crisp in print (black strokes, no colour
needed to read them), each with a <title> and <desc> for screen readers. Every page that shows
one also shows the numbers as a table and offers them as CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="system-ui, sans-serif" font-size="12"'
INK, BAR, ACCENT, ALARM = "#1f2933", "#7b8794", "#0b6bcb", "#c81e1e"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], css_class: str) -> SafeString:
    head = (
        f'<svg class="chart {css_class}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet" {FONT}>'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text above went through escape()


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5):
        for power in range(0, 12):
            candidate = step * 10**power
            if candidate >= value:
                return float(candidate)
    return value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as text
    cumulative: float  # share of the total up to and including this bar
    href: str = ""


def pareto_svg(bars: Sequence[Bar], *, title: str, desc: str) -> SafeString:
    """Horizontal bars, biggest first, with the cumulative share beside each and the 80% line."""
    label_w, bar_w, cum_w, row_h, top = 300, 380, 70, 24, 28
    width, height = label_w + bar_w + cum_w + 20, top + row_h * max(1, len(bars)) + 10
    most = _nice_max(max((b.value for b in bars), default=0))
    body = [
        f'<text x="{label_w + bar_w + 10}" y="16" font-weight="600">cumulative</text>',
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 8}" stroke="{INK}"/>',
    ]
    crossed = False
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = bar_w * (bar.value / most) if most else 0
        label = escape(bar.label if len(bar.label) <= 44 else bar.label[:43] + "…")
        text = f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
        rect = (
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 8}" fill="{BAR}" stroke="{INK}" '
            f'stroke-width="0.5"><title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}">{escape(bar.shown)}</text>'
        )
        row = text + rect + f'<text x="{label_w + bar_w + 10}" y="{y + 15}">{bar.cumulative:.0%}</text>'
        if bar.href:
            row = f'<a href="{escape(bar.href)}" class="chart__link">{row}</a>'
        body.append(row)
        if not crossed and bar.cumulative >= 0.8:
            crossed = True
            body.append(
                f'<line x1="8" y1="{y + row_h}" x2="{width - 8}" y2="{y + row_h}" stroke="{ACCENT}" '
                f'stroke-dasharray="4 3"/><text x="{width - 10}" y="{y + row_h - 3}" text-anchor="end" '
                f'fill="{ACCENT}">80% of the total</text>'
            )
    return _svg(width, height, title, desc, body, "chart--pareto")


def trend_svg(
    weeks: Sequence[date],
    values: Sequence[float],
    *,
    title: str,
    desc: str,
    unit: str,
    live_markers: Sequence[tuple[date, str]] = (),
    alarm_markers: Sequence[tuple[date, str]] = (),
) -> SafeString:
    """A weekly line; dashed verticals where fixes went live, red triangles where the CUSUM fired."""
    left, right, top, bottom, width, height = 48, 16, 24, 36, 760, 260
    plot_w, plot_h = width - left - right, height - top - bottom
    most = _nice_max(max(values, default=0))
    n = max(1, len(weeks) - 1)

    def x(i: float) -> float:
        return left + plot_w * i / n

    def y(v: float) -> float:
        return top + plot_h * (1 - v / most)

    def index_of(day: date) -> float | None:
        if not weeks or day < weeks[0]:
            return None
        return min((day - weeks[0]).days / 7, len(weeks) - 1)

    body = [f'<text x="{left}" y="14">{escape(unit)}</text>']
    for tick in (0, most / 2, most):
        body.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" stroke="#d2d6dc"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    for i, week in enumerate(weeks):
        if i % 8 == 0 or i == len(weeks) - 1:
            body.append(f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle">{week:%d %b %y}</text>')
    for day, label in live_markers:
        at = index_of(day)
        if at is not None:
            body.append(
                f'<line x1="{x(at):.1f}" y1="{top}" x2="{x(at):.1f}" y2="{top + plot_h}" stroke="{ACCENT}" '
                f'stroke-width="2" stroke-dasharray="6 4">'
                f"<title>Fix live {day:%d %b %Y}: {escape(label)}</title></line>"
                f'<text x="{x(at) + 4:.1f}" y="{top + 12}" fill="{ACCENT}">fix live</text>'
            )
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    body.append(f'<polyline points="{points}" fill="none" stroke="{INK}" stroke-width="2"/>')
    body.extend(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{INK}"/>' for i, v in enumerate(values))
    for day, label in alarm_markers:
        at = index_of(day)
        if at is not None:
            cx, cy = x(at), top + plot_h + 2
            body.append(
                f'<path d="M{cx:.1f},{cy - 12:.1f} L{cx - 6:.1f},{cy:.1f} L{cx + 6:.1f},{cy:.1f} Z" fill="{ALARM}" '
                f'stroke="{INK}" stroke-width="0.5">'
                f"<title>CUSUM alarm, week of {day:%d %b %Y}: {escape(label)}</title></path>"
            )
    return _svg(width, height, title, desc, body, "chart--trend")


def comparison_svg(
    *,
    before: float,
    after: float,
    ratio: float,
    low: float,
    high: float,
    expected: int,
    unit: str,
    title: str,
    desc: str,
) -> SafeString:
    """Left: the rate before and after as two bars. Right: the rate ratio with its 95% interval,
    against "no change" (1) and the fall that was expected."""
    width, height = 760, 200
    most = _nice_max(max(before, after))
    body = [f'<text x="20" y="18" font-weight="600">{escape(unit)}</text>']
    for i, (name, value) in enumerate((("Before", before), ("After", after))):
        h = 130 * value / most if most else 0
        bx = 40 + i * 110
        body.append(
            f'<rect x="{bx}" y="{170 - h:.1f}" width="70" height="{h:.1f}" '
            f'fill="{BAR if i == 0 else ACCENT}" stroke="{INK}"/>'
            f'<text x="{bx + 35}" y="{164 - h:.1f}" text-anchor="middle">{value:.2f}</text>'
            f'<text x="{bx + 35}" y="188" text-anchor="middle">{name}</text>'
        )
    scale_lo, scale_hi = 0.0, max(2.0, high * 1.1 if high < 50 else 2.0)
    left, span = 330, 400

    def sx(v: float) -> float:
        return left + span * (min(max(v, scale_lo), scale_hi) - scale_lo) / (scale_hi - scale_lo)

    target = 1 - expected / 100
    body += [
        f'<text x="{left}" y="18" font-weight="600">Rate ratio after / before, 95% interval</text>',
        f'<line x1="{left}" y1="150" x2="{left + span}" y2="150" stroke="{INK}"/>',
        f'<line x1="{sx(1):.1f}" y1="40" x2="{sx(1):.1f}" y2="150" stroke="{INK}" stroke-dasharray="3 3"/>'
        f'<text x="{sx(1):.1f}" y="168" text-anchor="middle">1 (no change)</text>',
        f'<line x1="{sx(target):.1f}" y1="40" x2="{sx(target):.1f}" y2="150" stroke="{ACCENT}" stroke-dasharray="6 3"/>'
        f'<text x="{sx(target):.1f}" y="186" text-anchor="middle" fill="{ACCENT}">expected {target:.2f}</text>',
        f'<line x1="{sx(low):.1f}" y1="95" x2="{sx(high):.1f}" y2="95" stroke="{INK}" stroke-width="3"/>'
        f'<line x1="{sx(low):.1f}" y1="85" x2="{sx(low):.1f}" y2="105" stroke="{INK}" stroke-width="2"/>'
        f'<line x1="{sx(high):.1f}" y1="85" x2="{sx(high):.1f}" y2="105" stroke="{INK}" stroke-width="2"/>'
        f'<rect x="{sx(ratio) - 6:.1f}" y="89" width="12" height="12" fill="{INK}"/>'
        f'<text x="{sx(ratio):.1f}" y="78" text-anchor="middle">{ratio:.2f} ({low:.2f} to {high:.2f})</text>',
    ]
    return _svg(width, height, title, desc, body, "chart--comparison")
