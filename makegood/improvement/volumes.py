"""Weekly volumes from CSV (`week,volume`), for the page and the API alike."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError

MAX_ROWS = 5000


def volumes_parse_csv(text: str) -> dict[date, int]:
    """Rows of `week,volume` (a header row is optional); every bad row is reported with its line."""
    weeks: dict[date, int] = {}
    errors: list[str] = []
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if line == 1 and not row[0].strip()[:1].isdigit():
            continue  # the header
        if len(weeks) + len(errors) >= MAX_ROWS:
            errors.append(f"More than {MAX_ROWS} rows: send them in parts.")
            break
        if len(row) < 2:
            errors.append(f"Line {line}: give a week and a volume.")
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            errors.append(f"Line {line}: {row[0].strip()!r} is not a date such as 2026-03-02.")
            continue
        try:
            volume = int(row[1].strip().replace(",", ""))
        except ValueError:
            errors.append(f"Line {line}: {row[1].strip()!r} is not a whole number.")
            continue
        if volume < 0:
            errors.append(f"Line {line}: the volume cannot be negative.")
            continue
        weeks[day] = volume
    if errors:
        raise ValidationError({"file": errors})
    if not weeks:
        raise ValidationError({"file": ["No rows: the file needs lines of week,volume."]})
    return weeks
