"""The insight pages' charts: SVG drawn on the server like the fix-the-system pages'
(`improvement/charts.py`: its frame, scale and colours), so no script, no CDN, readable in print.
Each page shows the same numbers as a table too, and offers them as CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString

from makegood.improvement.charts import ACCENT, ALARM, BAR, INK, _nice_max, _svg

# Line styles that tell groups apart in black and white (print), not only by colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3")
COLOURS = (ACCENT, INK, ALARM, BAR)


@dataclass(frozen=True)
class ShareBar:
    label: str
    share: float | None  # 0..1; None: no data
    note: str = ""
    href: str = ""


def share_bars_svg(
    bars: Sequence[ShareBar],
    *,
    title: str,
    desc: str,
    goal: float | None = None,
    goal_label: str = "",
    bands: Sequence[tuple[float, float, str]] = (),
) -> SafeString:
    """Horizontal bars from 0 to 100%, with shaded bands (industry ranges) and a dashed goal line."""
    label_w, bar_w, row_h, top = 240, 420, 28, 34
    width, height = label_w + bar_w + 110, top + row_h * max(1, len(bars)) + 26

    def x(share: float) -> float:
        return label_w + bar_w * min(max(share, 0.0), 1.0)

    body: list[str] = []
    for low, high, name in bands:
        body.append(
            f'<rect x="{x(low):.1f}" y="{top - 8}" width="{x(high) - x(low):.1f}" height="{height - top - 10}" '
            f'fill="#e4e7eb" stroke="none"><title>{escape(name)}</title></rect>'
            f'<text x="{(x(low) + x(high)) / 2:.1f}" y="{top - 12}" text-anchor="middle" font-size="10">'
            f"{escape(name)}</text>"
        )
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(f'<text x="{x(tick):.1f}" y="{height - 6}" text-anchor="middle" font-size="10">{tick:.0%}</text>')
    body.append(f'<line x1="{label_w}" y1="{top - 8}" x2="{label_w}" y2="{height - 18}" stroke="{INK}"/>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        shown = "no data" if bar.share is None else f"{bar.share:.0%}"
        row = (
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{x(bar.share or 0) - label_w:.1f}" height="{row_h - 10}" '
            f'fill="{BAR}" stroke="{INK}" stroke-width="0.5"><title>{escape(bar.label)}: {shown}</title></rect>'
            f'<text x="{x(bar.share or 0) + 4:.1f}" y="{y + 16}">{shown}{escape(bar.note)}</text>'
        )
        if bar.href:
            row = f'<a href="{escape(bar.href)}" class="chart__link">{row}</a>'
        body.append(row)
    if goal is not None:
        body.append(
            f'<line x1="{x(goal):.1f}" y1="{top - 8}" x2="{x(goal):.1f}" y2="{height - 18}" stroke="{ALARM}" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{x(goal) + 4:.1f}" y="{top - 12}" fill="{ALARM}" font-size="10">{escape(goal_label)}</text>'
        )
    return _svg(width, height, title, desc, body, "chart--shares")


@dataclass(frozen=True)
class Curve:
    label: str
    points: Sequence[tuple[float, float]]  # (x, y) steps, x ascending, y in 0..1


def step_curves_svg(curves: Sequence[Curve], *, title: str, desc: str, x_label: str, y_label: str) -> SafeString:
    """Step functions (Kaplan-Meier), each group its own dash pattern and colour, with a legend."""
    left, right, top, bottom, width, height = 56, 170, 24, 40, 780, 300
    plot_w, plot_h = width - left - right, height - top - bottom
    most_x = _nice_max(max((p[0] for c in curves for p in c.points), default=1))

    def sx(v: float) -> float:
        return left + plot_w * v / most_x

    def sy(v: float) -> float:
        return top + plot_h * (1 - v)

    body = [f'<text x="{left}" y="14">{escape(y_label)}</text>']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(
            f'<line x1="{left}" y1="{sy(tick):.1f}" x2="{left + plot_w}" y2="{sy(tick):.1f}" stroke="#d2d6dc"/>'
            f'<text x="{left - 6}" y="{sy(tick) + 4:.1f}" text-anchor="end">{tick:.0%}</text>'
        )
    for tick in (0, most_x / 4, most_x / 2, 3 * most_x / 4, most_x):
        body.append(f'<text x="{sx(tick):.1f}" y="{height - 20}" text-anchor="middle">{tick:g}</text>')
    body.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle">{escape(x_label)}</text>')
    for i, curve in enumerate(curves):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        path, last_y = [], 1.0
        for px, py in curve.points:
            path.append(f"{sx(px):.1f},{sy(last_y):.1f} {sx(px):.1f},{sy(py):.1f}")
            last_y = py
        if curve.points:
            path.append(f"{sx(most_x):.1f},{sy(last_y):.1f}")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<polyline points="{sx(0):.1f},{sy(1):.1f} {" ".join(path)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}><title>{escape(curve.label)}</title></polyline>'
        )
        ly = top + 16 + i * 20
        body.append(
            f'<line x1="{width - right + 12}" y1="{ly - 4}" x2="{width - right + 40}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/><text x="{width - right + 46}" y="{ly}">{escape(curve.label)}</text>'
        )
    return _svg(width, height, title, desc, body, "chart--curves")


@dataclass(frozen=True)
class MonthBar:
    label: str
    spent: float
    retained: float | None
    low: float | None
    high: float | None


def money_months_svg(months: Sequence[MonthBar], *, title: str, desc: str, unit: str) -> SafeString:
    """Per month: compensation spent (grey) beside revenue retained (blue) with its interval."""
    left, top, bottom, width, height = 64, 24, 40, 780, 280
    plot_h = height - top - bottom
    slot = (width - left - 10) / max(1, len(months))
    most = _nice_max(max([m.spent for m in months] + [m.high or m.retained or 0 for m in months] + [0]))

    def sy(v: float) -> float:
        return top + plot_h * (1 - max(v, 0) / most)

    body = [f'<text x="{left}" y="14">{escape(unit)}</text>']
    for tick in (0, most / 2, most):
        body.append(
            f'<line x1="{left}" y1="{sy(tick):.1f}" x2="{width - 10}" y2="{sy(tick):.1f}" stroke="#d2d6dc"/>'
            f'<text x="{left - 6}" y="{sy(tick) + 4:.1f}" text-anchor="end">{tick:,.0f}</text>'
        )
    for i, m in enumerate(months):
        x0 = left + i * slot + slot * 0.1
        w = slot * 0.38
        body.append(
            f'<rect x="{x0:.1f}" y="{sy(m.spent):.1f}" width="{w:.1f}" height="{sy(0) - sy(m.spent):.1f}" '
            f'fill="{BAR}" stroke="{INK}" stroke-width="0.5">'
            f"<title>{escape(m.label)}: spent {m.spent:,.2f}</title></rect>"
        )
        if m.retained is not None:
            body.append(
                f'<rect x="{x0 + w:.1f}" y="{sy(m.retained):.1f}" width="{w:.1f}" '
                f'height="{sy(0) - sy(m.retained):.1f}" fill="{ACCENT}" stroke="{INK}" stroke-width="0.5">'
                f"<title>{escape(m.label)}: retained {m.retained:,.2f}</title></rect>"
            )
            if m.low is not None and m.high is not None:
                cx = x0 + 1.5 * w
                body.append(
                    f'<line x1="{cx:.1f}" y1="{sy(m.low):.1f}" x2="{cx:.1f}" y2="{sy(m.high):.1f}" stroke="{INK}" '
                    f'stroke-width="1.5"/>'
                )
        body.append(
            f'<text x="{x0 + w:.1f}" y="{height - 22}" text-anchor="middle" font-size="10">{escape(m.label)}</text>'
        )
    body.append(
        f'<rect x="{left}" y="{height - 12}" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{left + 14}" y="{height - 3}">compensation spent</text>'
        f'<rect x="{left + 160}" y="{height - 12}" width="10" height="10" fill="{ACCENT}"/>'
        f'<text x="{left + 174}" y="{height - 3}">revenue retained (line: 95% interval)</text>'
    )
    return _svg(width, height, title, desc, body, "chart--money")
