"""The browser's import: upload, map columns, preview, then run in the worker with progress."""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from makegood.accounts.models import Team
from makegood.cases.models import Channel
from makegood.history.importer import ImportReport, csv_rows, history_import, mapping_check
from makegood.history.models import ImportRun, RunStatus
from makegood.history.rows import FIELDS, Rejected, row_parse
from makegood.worker.on_commit import enqueue_on_commit

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PREVIEW_ROWS = 10

# Column names that usually hold a field (the guess the mapping page starts from).
HINTS = {
    "received_at": ("received", "date", "created", "date received"),
    "customer_name": ("name", "customer", "customer name"),
    "customer_email": ("email", "e-mail", "mail"),
    "customer_phone": ("phone", "telephone", "mobile"),
    "story": ("story", "narrative", "complaint", "description", "text", "consumer complaint narrative"),
    "subject": ("subject", "title", "sub-issue"),
    "channel": ("channel", "submitted via", "source"),
    "external_id": ("id", "external id", "complaint id", "ticket"),
    "root_cause": ("cause", "root cause", "issue", "category"),
    "team": ("team", "store", "location"),
}


def _text(run: ImportRun) -> io.TextIOWrapper:
    return io.TextIOWrapper(run.file.open("rb"), encoding="utf-8-sig", newline="")


def guess_mapping(columns: list[str]) -> dict[str, str]:
    lowered = {c.lower().strip(): c for c in columns}
    guess: dict[str, str] = {}
    for name, hints in HINTS.items():
        for hint in (name, *hints):
            match = lowered.get(hint) or next(
                iter(difflib.get_close_matches(hint, list(lowered), n=1, cutoff=0.85)), None
            )
            if match and match not in guess.values():
                guess[name] = lowered.get(match, match)
                break
    return guess


@transaction.atomic
def import_run_create(*, user: User, upload: UploadedFile) -> ImportRun:
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": [
                    f"At most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; import larger files with makegood import_cases."
                ]
            }
        )
    head = upload.read(64 * 1024)
    upload.seek(0)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Cut mid-character at worst: decode what is surely whole.
        try:
            head[:-4].decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": ["The file is not UTF-8 text (save it as CSV UTF-8)."]}) from None
    run = ImportRun.objects.create(created_by=user, filename=(upload.name or "import.csv")[:255], file=upload)
    with _text(run) as stream:
        header, rows = csv_rows(stream)
        if not header:
            raise ValidationError({"file": ["The file is empty or has no header row."]})
        run.total_rows = sum(1 for _ in rows)
    run.options = {"columns": header, "channel": Channel.WEB, "team": "", "date_format": ""}
    run.mapping = guess_mapping(header)
    run.save()
    return run


@dataclass(frozen=True)
class PreviewRow:
    number: int
    values: dict[str, str]
    problem: str


def import_run_preview(run: ImportRun, mapping: dict[str, str], options: dict[str, Any]) -> list[PreviewRow]:
    """The first rows as they would be imported, each with its problem if it would be rejected."""
    preview = []
    with _text(run) as stream:
        _header, rows = csv_rows(stream)
        for number, raw in rows:
            values = {name: (raw.get(column) or "")[:120] for name, column in mapping.items()}
            problem = ""
            try:
                row_parse(
                    number,
                    raw,
                    mapping,
                    default_channel=options.get("channel") or Channel.WEB,
                    date_format=options.get("date_format", ""),
                )
            except Rejected as exc:
                problem = str(exc)
            preview.append(PreviewRow(number, values, problem))
            if len(preview) >= PREVIEW_ROWS:
                break
    return preview


@transaction.atomic
def import_run_start(*, run: ImportRun, user: User, mapping: dict[str, str], options: dict[str, Any]) -> ImportRun:
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.UPLOADED:
        raise ValidationError({"__all__": ["This import has already started."]})
    problems = mapping_check(mapping, run.options.get("columns", []))
    if options.get("team") and not Team.objects.filter(slug=options["team"]).exists():
        problems.append(f"No team {options['team']!r}.")
    if problems:
        raise ValidationError({"mapping": problems})
    run.mapping = mapping
    run.options = {**run.options, **options}
    run.status = RunStatus.QUEUED
    run.save()
    from makegood.history.tasks import run_import

    enqueue_on_commit(run_import, run.pk)
    return run


def import_run_execute(run_id: int) -> None:
    """Run a queued import (the worker's task): claimed once, progress saved after every batch."""
    claimed = ImportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    options = run.options
    team = Team.objects.filter(slug=options.get("team") or "").first() if options.get("team") else None

    def progress(done: int, report: ImportReport) -> None:
        ImportRun.objects.filter(pk=run_id).update(
            processed_rows=done,
            imported=report.imported,
            already_there=report.already_there,
            rejected_count=report.rejected_count,
        )

    try:
        with _text(run) as stream:
            _header, rows = csv_rows(stream)
            report = history_import(
                rows,
                run.mapping,
                actor=run.created_by,
                team=team,
                channel=options.get("channel") or Channel.WEB,
                date_format=options.get("date_format", ""),
                total=run.total_rows,
                run_id=run.pk,
                progress=progress,
            )
    except Exception as exc:
        ImportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ImportRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        processed_rows=report.total,
        imported=report.imported,
        already_there=report.already_there,
        rejected=[{"line": n, "reason": r} for n, r in report.rejected],
        rejected_count=report.rejected_count,
        finished_at=timezone.now(),
    )


FIELD_LABELS = {name: name.replace("_", " ") for name in FIELDS}
