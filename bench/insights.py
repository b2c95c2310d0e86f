"""The insights at scale: `.venv/bin/python bench/insights.py [--cases N] [--skip-pg] [--skip-sqlite]`.

For each database (a fresh SQLite file, and a fresh PostgreSQL database on 127.0.0.1:5432 that is
dropped afterwards) it migrates, bulk-loads `--cases` cases (default 1,000,000) over the last 400
days across six teams (four staff each, who own their team's cases) and every channel, with the
timeline lines the figures read (ownership, the first reply, the resolution; a reopen now and
then), follow-up answers for a third of the resolved ones, compensation grants on one case in
eight, and three transactions per case (3,000,000 by default) for 0.7 customers per case plus
walk-ins, printing its progress; then it prints:

- the load average of the machine at the start and the end (other work on the same cores slows every figure);
- the full rollup (`figures_refresh(full=True)`: every case's figures and every day's rollup) and
  an incremental one after 1,000 new timeline lines (only those cases and the days they fall on);
- the dashboard's server time (`/insights/`, a process owner, every team) for 90 and 365 days;
- the loyalty page's (`/insights/loyalty/`, 90 days).

Each page: the median of 5 requests (the loyalty page's: of 3) after one warm-up, timed around
Django's test client in this process (the view, its queries and the template). Targets at
1,000,000 cases: dashboard under 1 s on PostgreSQL and under 2 s on SQLite. Loading a million
cases takes long on a small machine: `--cases 100000` gives the shape in minutes.

To pay for the load once: `--keep-sqlite PATH` and `--keep-pg NAME` load into that file or
database and keep it (`--load-only` stops after the load); `--reuse` then measures on the kept
databases without loading (migrating them first, so a later tree's columns are there), and
`--pages-only` skips the rollups too (the pages of a database already refreshed).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
BATCH = 10_000
CHANNELS = ["web", "email", "phone", "in_person", "chat", "social"]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
    import django

    django.setup()


def _progress(what: str, done: int, total: int, started: float) -> None:
    print(f"    {what}: {done:,} / {total:,} ({time.perf_counter() - started:.0f} s)", flush=True)


class Inserter:
    """Rows straight into a table with `executemany`, ids chosen here: the ORM's bulk_create spends
    most of a million rows preparing each value. The other columns get their model default once."""

    def __init__(self, connection: Any, model: Any, columns: list[str]) -> None:
        self.connection, self.columns = connection, ["id", *columns]
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.fixed = {
            name: f.get_db_prep_save(f.get_default(), connection)
            for name, f in fields.items()
            if name not in self.columns and not f.primary_key
        }
        names = [*self.columns, *self.fixed]
        quote = connection.ops.quote_name
        # PostgreSQL: COPY (executemany sends a row at a time); SQLite: executemany (in process).
        self.copy = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {quote(model._meta.db_table)}")
            self.next_id = (cursor.fetchone()[0] or 0) + 1
        self.sqlite = connection.vendor == "sqlite"
        self.model = model

    def moment(self, value: Any) -> Any:
        """A datetime as the database stores it (SQLite: naive UTC text)."""
        if value is None or not self.sqlite:
            return value
        return str(value.replace(tzinfo=None))

    def add(self, rows: list[tuple[Any, ...]]) -> list[int]:
        ids = list(range(self.next_id, self.next_id + len(rows)))
        self.next_id += len(rows)
        fixed = tuple(self.fixed.values())
        with self.connection.cursor() as cursor:
            if self.sqlite:
                cursor.executemany(self.sql, [(pk, *row, *fixed) for pk, row in zip(ids, rows, strict=True)])
            else:
                with cursor.cursor.copy(self.copy) as copy:
                    for pk, row in zip(ids, rows, strict=True):
                        copy.write_row((pk, *row, *fixed))
        return ids


def _reset_sequences(connection: Any, models: list[Any]) -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def load(cases: int) -> Any:
    """Bulk-load the cases, their timelines, answers, grants and purchases; returns the process owner."""
    import json
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from makegood.accounts.models import Role, Team
    from makegood.accounts.services import staff_create_or_update
    from makegood.cases.kinds import EventKind
    from makegood.cases.models import Case, CaseEvent, Customer, Status
    from makegood.desk.search_index import search_index_drop
    from makegood.followup.models import FollowUp, FollowUpAnswer, Method, Outcome, State, Via
    from makegood.purchases.models import Purchase
    from makegood.remedies.models import Grant, RemedyType

    # The desk's search index (triggers on every case and timeline line) is not what this measures
    # and would triple the load's time; the database is thrown away afterwards (search: bench/search.py).
    search_index_drop(connection)
    rng = random.Random(14)
    now = timezone.now()
    teams = [Team.objects.create(name=f"Store {i}", slug=f"store-{i}", location=f"Town {i % 3}") for i in range(6)]
    staff_of = {
        team.pk: [
            staff_create_or_update(username=f"bench{t}-{i}", role=Role.FRONTLINE, team=team, password="x").pk
            for i in range(4)
        ]
        for t, team in enumerate(teams)
    }
    owner = staff_create_or_update(username="owner", role=Role.PROCESS_OWNER, team=teams[0], password="x")
    remedy = RemedyType.objects.create(
        catalog="bench",
        code="voucher",
        kind="voucher",
        name="Voucher",
        currency="USD",
        cost=Decimal("10"),
        value=Decimal("25"),
    )
    started = time.perf_counter()
    customers = Inserter(connection, Customer, ["name", "email"])
    cases_in = Inserter(
        connection,
        Case,
        [
            "customer_id",
            "channel",
            "team_id",
            "story",
            "received_at",
            "first_response_due_at",
            "status",
            "owner_id",
            "resolved_at",
        ],
    )
    events_in = Inserter(connection, CaseEvent, ["case_id", "kind", "at", "actor_id", "data"])
    follow_ups_in = Inserter(connection, FollowUp, ["case_id", "method", "state", "due_at", "sent_at", "nonce"])
    answers_in = Inserter(
        connection, FollowUpAnswer, ["follow_up_id", "resolved", "satisfaction", "via", "outcome", "answered_at"]
    )
    grants_in = Inserter(
        connection,
        Grant,
        [
            "case_id",
            "remedy_type_id",
            "kind",
            "name",
            "cost",
            "value",
            "currency",
            "granted_by_id",
            "charged_to_id",
            "granted_at",
        ],
    )
    purchases_in = Inserter(connection, Purchase, ["customer_id", "external_id", "purchased_at", "amount", "currency"])
    at = purchases_in.moment
    money = (lambda d: str(d)) if connection.vendor == "sqlite" else (lambda d: d)
    empty = json.dumps({})
    resolved_data = json.dumps({"from": "open", "to": "resolved"})
    n_customers = max(1, int(cases * 0.7))
    walk_ins = max(1, cases // 10)
    with transaction.atomic():
        customer_ids = customers.add([(f"C{i}", f"c{i}@bench.example") for i in range(n_customers + walk_ins)])
    complainers = customer_ids[:n_customers]
    _progress("customers", len(customer_ids), len(customer_ids), started)
    team_ids = [t.pk for t in teams]
    for start in range(0, cases, BATCH):
        size = min(BATCH, cases - start)
        rows = []
        for _ in range(size):
            received = now - timedelta(seconds=rng.uniform(3600, 400 * 86400))
            resolved = received + timedelta(hours=rng.lognormvariate(2, 1.2)) if rng.random() < 0.85 else None
            team_id = rng.choice(team_ids)
            rows.append((received, resolved, team_id, rng.choice(staff_of[team_id])))
        with transaction.atomic():
            ids = cases_in.add(
                [
                    (
                        rng.choice(complainers),
                        rng.choice(CHANNELS),
                        team_id,
                        "x",
                        at(received),
                        at(received + timedelta(hours=1)),
                        Status.CLOSED if resolved else Status.OPEN,
                        owner_id,
                        at(resolved),
                    )
                    for received, resolved, team_id, owner_id in rows
                ]
            )
            events, follow_ups, grants = [], [], []
            for pk, (received, resolved, _team_id, owner_id) in zip(ids, rows, strict=True):
                taken = received + timedelta(minutes=rng.lognormvariate(2, 1))
                events.append((pk, EventKind.OWNERSHIP_TAKEN, at(taken), owner_id, empty))
                events.append((pk, EventKind.REPLY_SENT, at(taken + timedelta(minutes=5)), owner_id, empty))
                if resolved:
                    events.append((pk, EventKind.STATUS_CHANGED, at(resolved), owner_id, resolved_data))
                    if rng.random() < 0.03:
                        reopened = resolved + timedelta(days=rng.uniform(1, 20))
                        events.append((pk, EventKind.REOPENED, at(reopened), owner_id, empty))
                    if rng.random() < 0.33:
                        follow_ups.append((pk, Method.EMAIL, State.ANSWERED, at(resolved), at(resolved), "b"))
                if rng.random() < 0.125:
                    grants.append(
                        (
                            pk,
                            remedy.pk,
                            "voucher",
                            "Voucher",
                            money(Decimal("10")),
                            money(Decimal("25")),
                            "USD",
                            owner_id,
                            owner_id,
                            at(received + timedelta(hours=1)),
                        )
                    )
            events_in.add(events)
            follow_up_ids = follow_ups_in.add(follow_ups)
            answers = []
            for follow_up_id, row in zip(follow_up_ids, follow_ups, strict=True):
                score = rng.randint(1, 5)
                answers.append(
                    (
                        follow_up_id,
                        score >= 3,
                        score,
                        Via.WEB,
                        Outcome.CLOSED if score >= 3 else Outcome.REOPENED,
                        row[4],
                    )
                )
            answers_in.add(answers)
            grants_in.add(grants)
        if (start + size) % 100_000 == 0 or start + size == cases:
            _progress("cases (with timelines, answers, grants)", start + size, cases, started)
    purchases = 3 * cases
    for start in range(0, purchases, BATCH):
        size = min(BATCH, purchases - start)
        with transaction.atomic():
            purchases_in.add(
                [
                    (
                        rng.choice(customer_ids),
                        f"p{start + i}",
                        at(now - timedelta(seconds=rng.uniform(0, 500 * 86400))),
                        money(Decimal(rng.randint(5, 300))),
                        "USD",
                    )
                    for i in range(size)
                ]
            )
        if (start + size) % 500_000 == 0 or start + size == purchases:
            _progress("transactions", start + size, purchases, started)
    _reset_sequences(connection, [Customer, Case, CaseEvent, FollowUp, FollowUpAnswer, Grant, Purchase])
    _analyze(connection)
    print(
        f"  loaded {cases:,} cases and {purchases:,} transactions in {time.perf_counter() - started:.0f} s", flush=True
    )
    return owner


def _analyze(connection: Any) -> None:
    """Statistics for the planner; on PostgreSQL a VACUUM too, as autovacuum would do after the load
    or a full rollup (until it has, each index-only scan also reads the table: the percentiles'
    ordered walks fetched 800,000 rows from the heap at 1,000,000 cases)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM (ANALYZE)")


def rollups() -> None:
    from django.db import connection
    from django.utils import timezone

    from makegood.cases.kinds import EventKind
    from makegood.cases.models import Case, CaseEvent
    from makegood.insights.rollup import figures_refresh

    report = figures_refresh(full=True)
    print(f"  rollup, full rebuild: {report.seconds:.1f} s for {report.cases:,} cases", flush=True)
    _analyze(connection)
    recent = list(Case.objects.order_by("-pk").values_list("pk", "owner_id")[:1000])
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case_id=pk, kind=EventKind.CONTACT, at=now, actor_id=owner_id, body="again")
            for pk, owner_id in recent
        ]
    )
    report = figures_refresh()
    print(f"  rollup, incremental (1,000 new lines): {report.seconds:.2f} s for {report.cases:,} cases", flush=True)


def pages(owner: Any) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    _analyze(connection)  # after the incremental rollup too, or on a kept database (--pages-only)
    client = Client()
    client.force_login(owner)

    def timed(url: str, repeats: int = 5) -> float:
        client.get(url)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times)

    today = timezone.localdate()
    for days in (90, 365):
        first = today - timedelta(days=days - 1)
        print(f"  dashboard, {days} days: {timed(f'/insights/?first_day={first.isoformat()}'):.3f} s", flush=True)
    first = today - timedelta(days=89)
    loyalty = timed(f"/insights/loyalty/?first_day={first.isoformat()}", repeats=3)
    print(f"  loyalty page, 90 days: {loyalty:.3f} s   (median of 3)", flush=True)
    print(f"  load average (1, 5, 15 min) at the end: {_load_average()}", flush=True)


def _loaded() -> Any:
    """The process owner of a kept database (`--reuse`), having said what it holds."""
    from django.contrib.auth import get_user_model

    from makegood.cases.models import Case
    from makegood.purchases.models import Purchase

    print(
        f"  reusing the kept database: {Case.objects.count():,} cases and {Purchase.objects.count():,} transactions",
        flush=True,
    )
    return get_user_model().objects.get(username="owner")


def child(args: argparse.Namespace) -> None:
    _setup()
    from django.core.management import call_command

    print(f"  load average (1, 5, 15 min) at the start: {_load_average()}", flush=True)
    call_command("migrate", verbosity=0)
    owner = _loaded() if args.reuse else load(args.cases)
    if args.load_only:
        print(f"  load average (1, 5, 15 min) at the end: {_load_average()}", flush=True)
        return
    if not args.pages_only:
        rollups()
    pages(owner)


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep-sqlite", metavar="PATH", help="load into this SQLite file and keep it")
    parser.add_argument("--keep-pg", metavar="NAME", help="load into this PostgreSQL database and keep it")
    parser.add_argument("--load-only", action="store_true", help="stop after the load (with --keep-*)")
    parser.add_argument("--reuse", action="store_true", help="measure on the kept databases, no load")
    parser.add_argument("--pages-only", action="store_true", help="no rollups either (with --reuse)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if (args.reuse or args.load_only) and not (args.skip_sqlite or args.keep_sqlite):
        parser.error("--reuse and --load-only need --keep-sqlite PATH (or --skip-sqlite)")
    if (args.reuse or args.load_only) and not (args.skip_pg or args.keep_pg):
        parser.error("--reuse and --load-only need --keep-pg NAME (or --skip-pg)")
    if args.pages_only and not args.reuse:
        parser.error("--pages-only needs --reuse")
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "testserver",
    }
    runs = []
    if not args.skip_sqlite:
        path = args.keep_sqlite or f"{tempfile.mkdtemp(prefix='mg-insights-bench-')}/bench.sqlite3"
        if not args.reuse and Path(path).exists():
            parser.error(f"{path} exists: remove it, or measure on it with --reuse")
        runs.append(("SQLite", f"sqlite:///{Path(path).resolve()}", None))
    if not args.skip_pg:
        name = args.keep_pg or f"mg_insights_bench_{os.getpid()}"
        runs.append(("PostgreSQL", f"{PG_SERVER}/{name}", name))
    flags = [f"--{flag.replace('_', '-')}" for flag in ("reuse", "load_only", "pages_only") if getattr(args, flag)]
    for label, url, pg_name in runs:
        print(f"{label}, {args.cases:,} cases:" if not args.reuse else f"{label}, kept database:", flush=True)
        if pg_name and not args.reuse:
            subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f"CREATE DATABASE {pg_name}"], check=True)
        try:
            subprocess.run(
                [sys.executable, __file__, "--child", "--cases", str(args.cases), *flags],
                env={**env, "DATABASE_URL": url},
                check=True,
            )
        finally:
            if pg_name and not args.keep_pg:
                subprocess.run(
                    ["psql", PG_SERVER + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {pg_name}"], check=False
                )


if __name__ == "__main__":
    main()
