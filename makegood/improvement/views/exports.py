"""The numbers behind each chart, as CSV (same permissions as the pages)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from makegood.accounts.requests import staff_user
from makegood.improvement.access import action_get_for_user, require_reports
from makegood.improvement.effect import action_effect
from makegood.improvement.selectors import cause_trend, pareto
from makegood.improvement.views.pages import RANKINGS, _days, cause_get_for_user


def _csv(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@require_GET
def pareto_csv(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_reports(user)
    by = request.GET.get("by", "count")
    rows = pareto(user, days=_days(request), by=by if by in RANKINGS else "count")
    return _csv(
        "causes.csv",
        ["category", "cause", "complaints", "system", "person", "dissatisfied", "compensation", "cumulative_share"],
        (
            [
                r.cause.category.name,
                r.cause.name,
                r.count,
                r.system,
                r.person,
                r.dissatisfied,
                "; ".join(f"{c} {a}" for c, a in sorted(r.cost.items())),
                f"{r.cumulative_share:.4f}",
            ]
            for r in rows
        ),
    )


@require_GET
def trend_csv(request: HttpRequest, cause_id: int) -> HttpResponse:
    user = staff_user(request)
    require_reports(user)
    cause = cause_get_for_user(user, cause_id)
    trend = cause_trend(cause)
    volumes: list[int | None] = list(trend.volumes) if trend.volumes else [None] * len(trend.weeks)
    lives = dict(trend.live_markers)
    alarms = dict(trend.alarm_markers)
    return _csv(
        f"cause-{cause.pk}-weekly.csv",
        ["week", "complaints", "volume", "fix_live", "cusum_alarm"],
        (
            [w.isoformat(), n, v if v is not None else "", _in_week(lives, w), _in_week(alarms, w)]
            for w, n, v in zip(trend.weeks, trend.counts, volumes, strict=True)
        ),
    )


def _in_week(marks: dict[date, str], week: date) -> str:
    return "; ".join(label for day, label in marks.items() if week <= day < week + timedelta(weeks=1))


@require_GET
def effect_csv(request: HttpRequest, action_id: int) -> HttpResponse:
    action = action_get_for_user(staff_user(request), action_id)
    effect = action_effect(action, today=timezone.localdate())
    rows: list[list[object]] = []
    if effect is not None:
        volumes: list[int | None] = list(effect.series.volumes or []) or [None] * len(effect.series.weeks)
        for i, (week, count, volume) in enumerate(zip(effect.series.weeks, effect.series.counts, volumes, strict=True)):
            rows.append([week.isoformat(), "before" if i < effect.change_at else "after", count, volume or ""])
    return _csv(f"fix-{action.pk}-effect.csv", ["week", "side", "complaints", "volume"], rows)
