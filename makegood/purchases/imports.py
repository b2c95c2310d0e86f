"""Importing transactions from a CSV file in the browser: upload, map the columns, import in the
worker with a progress bar, then the rejected rows and why (also as CSV). Idempotent: a row whose
`external_id` was recorded before is counted as already there."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from makegood.purchases.models import PurchaseImport, RunStatus
from makegood.purchases.services import (
    FIELDS,
    MAX_BATCH,
    REQUIRED,
    RecordReport,
    Rejected,
    Transaction,
    transaction_clean,
    transactions_record,
)
from makegood.worker.on_commit import enqueue_on_commit

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_REJECTED_KEPT = 1000
HINTS = {
    "external_id": ("id", "transaction id", "order id", "receipt", "order"),
    "purchased_at": ("date", "purchased", "created", "timestamp", "time"),
    "amount": ("total", "value", "spend", "price"),
    "currency": ("currency code",),
    "kind": ("type",),
    "customer_email": ("email", "e-mail", "mail"),
    "customer_phone": ("phone", "mobile", "telephone"),
    "customer_name": ("name", "customer"),
}


def guess_mapping(columns: list[str]) -> dict[str, str]:
    lowered = {c.lower().strip(): c for c in columns}
    guess: dict[str, str] = {}
    for name in FIELDS:
        for hint in (name, name.replace("_", " "), *HINTS.get(name, ())):
            key = (
                hint
                if hint in lowered
                else next(iter(difflib.get_close_matches(hint, list(lowered), n=1, cutoff=0.85)), None)
            )
            if key is not None and lowered[key] not in guess.values():
                guess[name] = lowered[key]
                break
    return guess


def _rows(run: PurchaseImport) -> tuple[list[str], Iterator[tuple[int, dict[str, str | None]]]]:
    stream = io.TextIOWrapper(run.file.open("rb"), encoding="utf-8-sig", newline="")
    reader = csv.DictReader(stream)
    header = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
        try:
            for row in reader:
                yield reader.line_num, row
        finally:
            stream.close()

    return header, rows()


@transaction.atomic
def purchase_import_create(*, user: User, upload: UploadedFile) -> PurchaseImport:
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [f"At most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."]})
    head = upload.read(64 * 1024)
    upload.seek(0)
    try:
        head[: max(0, len(head) - 4)].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": ["The file is not UTF-8 text (save it as CSV UTF-8)."]}) from None
    run = PurchaseImport.objects.create(created_by=user, filename=(upload.name or "purchases.csv")[:255], file=upload)
    try:
        header, rows = _rows(run)
        total = sum(1 for _ in rows)
    except (csv.Error, UnicodeDecodeError):
        raise ValidationError({"file": ["The file is not a readable CSV file."]}) from None
    if not header:
        raise ValidationError({"file": ["The file is empty or has no header row."]})
    run.columns, run.total_rows, run.mapping = header, total, guess_mapping(header)
    run.save()
    return run


def mapping_check(mapping: dict[str, str], columns: list[str]) -> list[str]:
    problems = [f"Unknown field {name!r}." for name in mapping if name not in FIELDS]
    problems += [f"The file has no column {column!r}." for column in mapping.values() if column not in columns]
    problems += [f"Map a column to {name.replace('_', ' ')}." for name in REQUIRED if name not in mapping]
    if "customer_email" not in mapping and "customer_phone" not in mapping:
        problems.append("Map a column to the customer's e-mail address or phone number.")
    return problems


@transaction.atomic
def purchase_import_start(*, run: PurchaseImport, mapping: dict[str, str], date_format: str = "") -> PurchaseImport:
    run = PurchaseImport.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.UPLOADED:
        raise ValidationError({"__all__": ["This import has already started."]})
    problems = mapping_check(mapping, run.columns)
    if problems:
        raise ValidationError({"mapping": problems})
    run.mapping = {**mapping, "__date_format": date_format}
    run.status = RunStatus.QUEUED
    run.save()
    from makegood.purchases.tasks import run_purchase_import

    enqueue_on_commit(run_purchase_import, run.pk)
    return run


def purchase_import_execute(run_id: int) -> None:
    """The worker's task: claimed once, progress saved after every batch."""
    if not PurchaseImport.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return
    run = PurchaseImport.objects.get(pk=run_id)
    mapping = {k: v for k, v in run.mapping.items() if not k.startswith("__")}
    date_format = run.mapping.get("__date_format", "")
    total = RecordReport()
    rejected: list[dict[str, object]] = []
    rejected_count = done = 0
    batch: list[Transaction] = []

    def flush() -> None:
        report = transactions_record(batch)
        total.created += report.created
        total.already_there += report.already_there
        batch.clear()
        PurchaseImport.objects.filter(pk=run_id).update(
            processed_rows=done,
            imported=total.created,
            already_there=total.already_there,
            rejected_count=rejected_count,
        )

    try:
        _header, rows = _rows(run)
        for line, raw in rows:
            done += 1
            try:
                batch.append(transaction_clean({f: raw.get(c) for f, c in mapping.items()}, date_format=date_format))
            except Rejected as exc:
                rejected_count += 1
                if len(rejected) < MAX_REJECTED_KEPT:
                    rejected.append({"line": line, "reason": str(exc)})
            if len(batch) >= MAX_BATCH:
                flush()
        flush()
    except Exception as exc:
        PurchaseImport.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    PurchaseImport.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        processed_rows=done,
        imported=total.created,
        already_there=total.already_there,
        rejected=rejected,
        rejected_count=rejected_count,
        finished_at=timezone.now(),
    )
