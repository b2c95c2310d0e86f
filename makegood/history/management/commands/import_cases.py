"""`makegood import_cases FILE.csv --map field=column ...`: import past complaints."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from makegood.accounts.models import Team
from makegood.cases.models import Channel
from makegood.history.importer import ImportReport, csv_rows, history_import, mapping_check
from makegood.history.rows import FIELDS

BAR_WIDTH = 40


class Command(BaseCommand):
    help = (
        "Import past complaints from a CSV file. Historical rows need no contact details and send "
        "nothing (no acknowledgement, no follow-up); rows with an external_id already imported are skipped. "
        f"Fields: {', '.join(FIELDS)}."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8, with a header row).")
        parser.add_argument(
            "--map",
            nargs="+",
            action="extend",
            default=[],
            metavar="FIELD=COLUMN",
            help='Which column holds each field, e.g. received_at="Date received" story=Narrative root_cause=Issue.',
        )
        parser.add_argument("--team", default="", help="The team (slug or name) of rows without a team column.")
        parser.add_argument(
            "--channel", default=Channel.WEB, choices=Channel.values, help="Channel of rows without one."
        )
        parser.add_argument("--date-format", default="", help="strptime format of received_at, e.g. %%d/%%m/%%Y.")
        parser.add_argument("--user", default="", help="The staff username the import is recorded under.")

    def handle(self, *args: Any, **options: Any) -> None:
        mapping: dict[str, str] = {}
        for pair in options["map"]:
            name, sep, column = pair.partition("=")
            if not sep or not name.strip() or not column:
                raise CommandError(f"--map takes FIELD=COLUMN, not {pair!r}.")
            mapping[name.strip()] = column
        team = None
        if options["team"]:
            team = (
                Team.objects.filter(slug=options["team"]).first() or Team.objects.filter(name=options["team"]).first()
            )
            if team is None:
                raise CommandError(f"No team {options['team']!r}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as counting:
                total = max(0, sum(1 for _ in counting) - 1)
            stream = open(options["file"], encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}.") from exc
        started = time.monotonic()
        with stream:
            header, rows = csv_rows(stream)
            problems = mapping_check(mapping, header)
            if problems:
                raise CommandError(" ".join(problems) + f" Columns: {', '.join(header)}.")
            show = sys.stderr.isatty()
            report = history_import(
                rows,
                mapping,
                actor=actor,
                team=team,
                channel=options["channel"],
                date_format=options["date_format"],
                total=total,
                progress=(lambda done, rep: self._bar(done, total)) if show else None,
            )
        if show:
            sys.stderr.write("\n")
        self._summary(report, time.monotonic() - started)

    def _bar(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(BAR_WIDTH * min(share, 1.0))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,} rows")
        sys.stderr.flush()

    def _summary(self, report: ImportReport, elapsed: float) -> None:
        rate = report.total / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.imported:,} of {report.total:,} rows in {elapsed:.1f} s ({rate:,.0f} rows/s); "
                f"{report.already_there:,} already imported, {report.rejected_count:,} rejected."
            )
        )
        for number, reason in report.rejected[:50]:
            self.stdout.write(f"  line {number}: {reason}")
        if report.rejected_count > 50:
            self.stdout.write(f"  ... and {report.rejected_count - 50:,} more.")
