"""History for the improvement tests: weekly complaints of a cause, through the import path."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from makegood.history.importer import history_import
from makegood.improvement.series import week_of

TODAY = date(2026, 6, 17)  # a Wednesday
MAPPING = {f: f for f in ("external_id", "received_at", "story", "root_cause", "team")}
_serial = [0]


def weekly(cause_label: str, counts: list[int], *, last_week: date | None = None, team: str = "") -> None:
    """`counts[i]` complaints of the cause in each week, the last one ending before TODAY's week."""
    last = last_week or week_of(TODAY) - timedelta(weeks=1)
    first = last - timedelta(weeks=len(counts) - 1)
    rows = []
    for i, n in enumerate(counts):
        day = first + timedelta(weeks=i, days=2)
        for _ in range(n):
            _serial[0] += 1
            moment = timezone.make_aware(datetime.combine(day, time(10)))
            rows.append(
                (
                    _serial[0],
                    {
                        "external_id": f"T-{_serial[0]}",
                        "received_at": moment.isoformat(),
                        "story": "It broke again.",
                        "root_cause": cause_label,
                        "team": team,
                    },
                )
            )
    history_import(rows, MAPPING)
