"""Importing past complaints in bulk: the second write path for cases, and why it exists.

`case_open` (intake) writes one live complaint per transaction: it matches the customer, starts
the first-response clock, detects the feeling, acknowledges the customer and announces the case
to follow-up and webhooks. History needs none of that (the complaint was handled long ago; its
customer must not be e-mailed), and one transaction per row tops out at a few hundred rows a
second on SQLite. So this path writes what every case must have, in batches of `BATCH` rows per
transaction with `bulk_create`: the case (closed, back-dated), its customer, its RECEIVED line on
the timeline and an audit entry, plus its root cause, and nothing else: no acknowledgement, no
follow-up, no webhook, no signal. Re-importing rows with an `external_id` creates nothing twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from makegood.accounts.models import Team
from makegood.cases.kinds import EventKind
from makegood.cases.models import AuditEntry, Case, CaseEvent, Customer, Status
from makegood.causes.models import CaseCause, Cause
from makegood.causes.services import cause_find_or_create
from makegood.history.bulk import bulk_insert, reserve_ids
from makegood.history.rows import FIELDS, REQUIRED, Rejected, Row, row_parse

BATCH = 1000
MAX_REJECTED_KEPT = 1000


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    already_there: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_count: int = 0

    def reject(self, number: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTED_KEPT:
            self.rejected.append((number, reason))


def mapping_check(mapping: Mapping[str, str], columns: Iterable[str]) -> list[str]:
    """Problems with a field -> column mapping (unknown field or column, a required field missing)."""
    problems = []
    known = set(columns)
    for name, column in mapping.items():
        if name not in FIELDS:
            problems.append(f"Unknown field {name!r}; the fields are: {', '.join(FIELDS)}.")
        elif column not in known:
            problems.append(f"The file has no column {column!r} (for {name}).")
    problems += [f"Map a column to {name}." for name in REQUIRED if name not in mapping]
    return problems


def csv_rows(stream: io.TextIOBase | Iterable[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str | None]]]]:
    """The header and the rows (numbered by line of the file: the header is line 1)."""
    reader = csv.DictReader(stream)
    header = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
        for row in reader:
            yield reader.line_num, row

    return header, rows()


class _Resolver:
    """Teams and causes named by the rows, each looked up (or, for causes, created) once."""

    def __init__(self, default_team: Team | None) -> None:
        self.default_team = default_team
        self.teams: dict[str, Team | None] = {}
        self.causes: dict[str, Cause] = {}

    def team(self, name: str) -> Team | None:
        if not name:
            return self.default_team
        if name not in self.teams:
            self.teams[name] = Team.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name)).first()
        found = self.teams[name]
        if found is None:
            raise Rejected(f"No team {name!r}.")
        return found

    def cause(self, label: str) -> Cause:
        key = " ".join(label.split()).lower()
        if key not in self.causes:
            self.causes[key] = cause_find_or_create(label)
        return self.causes[key]


def _customers(rows: list[Row]) -> list[int]:
    """The customer of each row: an existing one matched on e-mail, then phone, else a new one
    (rows without contact details, which history often has, each get their own)."""
    emails = {r.customer_email for r in rows if r.customer_email}
    phones = {r.customer_phone for r in rows if r.customer_phone}
    by_email = dict(Customer.objects.filter(email__in=emails).values_list("email", "pk")) if emails else {}
    by_phone = dict(Customer.objects.filter(phone__in=phones).values_list("phone", "pk")) if phones else {}
    missing = [
        r
        for r in rows
        if not (r.customer_email and r.customer_email in by_email)
        and not (r.customer_phone and r.customer_phone in by_phone)
    ]
    ids = iter(reserve_ids(Customer, len(missing)))
    new: list[dict[str, object]] = []
    chosen: list[int] = []
    for row in rows:
        pk = by_email.get(row.customer_email) if row.customer_email else None
        pk = pk or (by_phone.get(row.customer_phone) if row.customer_phone else None)
        if pk is None:
            pk = next(ids)
            new.append({"id": pk, "name": row.customer_name, "email": row.customer_email, "phone": row.customer_phone})
            if row.customer_email:
                by_email[row.customer_email] = pk
            if row.customer_phone:
                by_phone[row.customer_phone] = pk
        chosen.append(pk)
    bulk_insert(Customer, new, pks=[int(str(c["id"])) for c in new])
    return chosen


def _write(batch: list[tuple[Row, Team | None, Cause | None]], *, actor: User | None, run_id: int | None) -> None:
    rows = [row for row, _team, _cause in batch]
    customers = _customers(rows)
    case_ids = reserve_ids(Case, len(rows))
    actor_id = actor.pk if actor is not None else None
    bulk_insert(
        Case,
        [
            {
                "customer_id": customer_id,
                "channel": row.channel,
                "status": Status.CLOSED,
                "team_id": team.pk if team is not None else None,
                "subject": row.subject,
                "story": row.story,
                "expectation": row.expectation,
                "external_id": row.external_id,
                "received_at": row.received_at,
                "acknowledged_at": row.received_at,
                # History has no clock to run: met at receipt, so that nothing counts it as a breach.
                "first_response_due_at": row.received_at,
                "first_responded_at": row.received_at,
                "resolved_at": row.received_at,
                "closed_at": row.received_at,
                "created_by_id": actor_id,
            }
            for (row, team, _cause), customer_id in zip(batch, customers, strict=True)
        ],
        pks=case_ids,
    )
    bulk_insert(
        CaseEvent,
        [
            {
                "case_id": case_id,
                "kind": EventKind.RECEIVED,
                "at": row.received_at,
                "actor_id": actor_id,
                "body": row.story,
                "data": {"imported": True, "import_run": run_id, "line": row.number},
            }
            for case_id, row in zip(case_ids, rows, strict=True)
        ],
    )
    now = timezone.now()
    label = actor.get_username() if actor is not None else "system"
    bulk_insert(
        AuditEntry,
        [
            {
                "at": now,
                "actor_id": actor_id,
                "actor_label": label,
                "action": "case.imported",
                "object_type": Case._meta.label_lower,
                "object_id": str(case_id),
                "changes": {
                    "received_at": row.received_at.isoformat(),
                    "external_id": row.external_id,
                    "import_run": run_id,
                },
            }
            for case_id, row in zip(case_ids, rows, strict=True)
        ],
    )
    bulk_insert(
        CaseCause,
        [
            {
                "case_id": case_id,
                "cause_id": cause.pk,
                "failure": row.failure,
                "received_at": row.received_at,
                "set_by_id": actor_id,
                "set_at": now,
                "imported": True,
                "suggested": [],
            }
            for case_id, (row, _team, cause) in zip(case_ids, batch, strict=True)
            if cause is not None
        ],
    )


def history_import(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    mapping: Mapping[str, str],
    *,
    actor: User | None = None,
    team: Team | None = None,
    channel: str = "web",
    date_format: str = "",
    total: int = 0,
    run_id: int | None = None,
    progress: Callable[[int, ImportReport], None] | None = None,
) -> ImportReport:
    """Import the rows in batches (one transaction each); `progress(processed, report)` after each."""
    report = ImportReport(total=total)
    resolver = _Resolver(team)
    seen: set[str] = set()
    processed = 0
    pending: list[tuple[Row, Team | None]] = []

    def flush() -> None:
        ids = [row.external_id for row, _t in pending if row.external_id]
        existing = set(Case.objects.filter(external_id__in=ids).values_list("external_id", flat=True)) if ids else set()
        fresh = [item for item in pending if not item[0].external_id or item[0].external_id not in existing]
        report.already_there += len(pending) - len(fresh)
        if fresh:
            with transaction.atomic():
                # Causes first named by this batch are created in its transaction (one commit).
                resolved = [
                    (row, team, resolver.cause(row.root_cause) if row.root_cause else None) for row, team in fresh
                ]
                _write(resolved, actor=actor, run_id=run_id)
        report.imported += len(fresh)
        pending.clear()
        if progress is not None:
            progress(processed, report)

    for number, raw in rows:
        processed += 1
        try:
            row = row_parse(number, raw, mapping, default_channel=channel, date_format=date_format)
            if row.external_id:
                if row.external_id in seen:
                    raise Rejected(f"external_id {row.external_id!r} appears earlier in this file.")
                seen.add(row.external_id)
            pending.append((row, resolver.team(row.team)))
        except Rejected as exc:
            report.reject(number, str(exc))
        if len(pending) >= BATCH:
            flush()
    flush()
    report.total = max(report.total, processed)
    return report
