"""The insights at scale: `.venv/bin/python bench/insights.py [--cases N] [--skip-pg] [--skip-sqlite]`.

For each database (a fresh SQLite file, and a fresh PostgreSQL database on 127.0.0.1:5432 that is
dropped afterwards) it migrates, bulk-loads `--cases` cases (default 1,000,000) over the last 400
days across six teams and every channel, with the timeline lines the figures read (ownership, the
first reply, the resolution; a reopen now and then), follow-up answers for a third of the resolved
ones, compensation grants on one case in eight, and three purchases per case (3,000,000 by
default) for 0.7 customers per case plus walk-ins; then it prints:

- the full rollup (`figures_refresh(full=True)`) and an incremental one after 1,000 new lines;
- the dashboard's server time (`/insights/`, a process owner, every team) for 90 and 365 days;
- the loyalty page's (`/insights/loyalty/`, 90 days).

Each page: the median of 5 requests after one warm-up, timed around Django's test client in this
process (the view, its queries and the template). Targets at 1,000,000 cases: dashboard under
1 s on PostgreSQL and under 2 s on SQLite. Loading a million cases takes long on a small machine:
`--cases 100000` gives the shape in minutes.
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

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def child(cases: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from makegood.accounts.models import Role, Team
    from makegood.accounts.services import staff_create_or_update
    from makegood.cases.kinds import EventKind
    from makegood.cases.models import Case, CaseEvent, Customer, Status
    from makegood.followup.models import FollowUp, FollowUpAnswer, Method, Outcome, State, Via
    from makegood.insights.rollup import figures_refresh
    from makegood.purchases.models import Purchase
    from makegood.remedies.models import Grant, RemedyType

    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    now = timezone.now()
    teams = [Team.objects.create(name=f"Store {i}", slug=f"store-{i}", location=f"Town {i % 3}") for i in range(6)]
    staff = [
        staff_create_or_update(username=f"bench{i}", role=Role.FRONTLINE, team=teams[i % 6], password="x")
        for i in range(24)
    ]
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
    channels = ["web", "email", "phone", "in_person", "chat", "social"]
    started = time.perf_counter()
    n_customers = max(1, int(cases * 0.7))
    batch = 20_000
    for start in range(0, n_customers, batch):
        Customer.objects.bulk_create(
            [Customer(name=f"C{i}", email=f"c{i}@bench.example") for i in range(start, min(n_customers, start + batch))]
        )
    customer_ids = list(Customer.objects.values_list("pk", flat=True))
    for start in range(0, cases, batch):
        size = min(batch, cases - start)
        rows = []
        for _ in range(size):
            received = now - timedelta(seconds=rng.uniform(3600, 400 * 86400))
            resolved = rng.random() < 0.85
            rows.append(
                Case(
                    customer_id=rng.choice(customer_ids),
                    channel=rng.choice(channels),
                    team=rng.choice(teams),
                    story="x",
                    received_at=received,
                    first_response_due_at=received + timedelta(hours=1),
                    status=Status.CLOSED if resolved else Status.OPEN,
                    owner=rng.choice(staff),
                    resolved_at=received + timedelta(hours=rng.lognormvariate(2, 1.2)) if resolved else None,
                )
            )
        made = Case.objects.bulk_create(rows)
        events, follow_ups, grants = [], [], []
        for case in made:
            taken = case.received_at + timedelta(minutes=rng.lognormvariate(2, 1))
            events.append(CaseEvent(case=case, kind=EventKind.OWNERSHIP_TAKEN, at=taken, actor=case.owner))
            events.append(
                CaseEvent(case=case, kind=EventKind.REPLY_SENT, at=taken + timedelta(minutes=5), actor=case.owner)
            )
            if case.resolved_at:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.STATUS_CHANGED,
                        at=case.resolved_at,
                        actor=case.owner,
                        data={"from": "open", "to": "resolved"},
                    )
                )
                if rng.random() < 0.33:
                    follow_ups.append(
                        FollowUp(
                            case=case,
                            method=Method.EMAIL,
                            state=State.ANSWERED,
                            due_at=case.resolved_at,
                            sent_at=case.resolved_at,
                            nonce="b",
                        )
                    )
            if rng.random() < 0.125:
                grants.append(
                    Grant(
                        case=case,
                        remedy_type=remedy,
                        kind="voucher",
                        name="Voucher",
                        cost=Decimal("10"),
                        value=Decimal("25"),
                        currency="USD",
                        granted_by=case.owner,
                        charged_to=case.owner,
                        granted_at=case.received_at + timedelta(hours=1),
                    )
                )
        CaseEvent.objects.bulk_create(events)
        made_follow_ups = FollowUp.objects.bulk_create(follow_ups)
        FollowUpAnswer.objects.bulk_create(
            [
                FollowUpAnswer(
                    follow_up=f,
                    resolved=True,
                    satisfaction=(s := rng.randint(1, 5)),
                    via=Via.WEB,
                    outcome=Outcome.CLOSED if s >= 3 else Outcome.REOPENED,
                    answered_at=f.sent_at,
                )
                for f in made_follow_ups
            ]
        )
        Grant.objects.bulk_create(grants)
    purchases = 3 * cases
    walk_ins = max(1, cases // 10)
    Customer.objects.bulk_create([Customer(name=f"W{i}", email=f"w{i}@bench.example") for i in range(walk_ins)])
    customer_ids = list(Customer.objects.values_list("pk", flat=True))
    for start in range(0, purchases, batch):
        size = min(batch, purchases - start)
        Purchase.objects.bulk_create(
            [
                Purchase(
                    customer_id=rng.choice(customer_ids),
                    external_id=f"p{start + i}",
                    purchased_at=now - timedelta(seconds=rng.uniform(0, 500 * 86400)),
                    amount=Decimal(rng.randint(5, 300)),
                    currency="USD",
                )
                for i in range(size)
            ]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  loaded {cases:,} cases and {purchases:,} purchases in {time.perf_counter() - started:.0f} s")

    report = figures_refresh(full=True)
    print(f"  rollup, full rebuild: {report.seconds:.1f} s for {report.cases:,} cases")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    recent = list(Case.objects.order_by("-pk").values_list("pk", "owner_id")[:1000])
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case_id=pk, kind=EventKind.CONTACT, at=now, actor_id=owner_id, body="again")
            for pk, owner_id in recent
        ]
    )
    report = figures_refresh()
    print(f"  rollup, incremental (1,000 new lines): {report.seconds:.2f} s for {report.cases:,} cases")

    client = Client()
    client.force_login(owner)

    def timed(url: str) -> float:
        client.get(url)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times)

    today = timezone.localdate()
    for days in (90, 365):
        first = today - timedelta(days=days - 1)
        print(f"  dashboard, {days} days: {timed(f'/insights/?first_day={first.isoformat()}'):.3f} s")
    first = today - timedelta(days=89)
    print(f"  loyalty page, 90 days: {timed(f'/insights/loyalty/?first_day={first.isoformat()}'):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.cases)
        return
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "testserver",
    }
    runs = []
    if not args.skip_sqlite:
        folder = tempfile.mkdtemp(prefix="mg-insights-bench-")
        runs.append(("SQLite", f"sqlite:///{folder}/bench.sqlite3", None))
    if not args.skip_pg:
        name = f"mg_insights_bench_{os.getpid()}"
        runs.append(("PostgreSQL", f"{PG_SERVER}/{name}", name))
    for label, url, pg_name in runs:
        print(f"{label}, {args.cases:,} cases:", flush=True)
        if pg_name:
            subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f"CREATE DATABASE {pg_name}"], check=True)
        try:
            subprocess.run(
                [sys.executable, __file__, "--child", "--cases", str(args.cases)],
                env={**env, "DATABASE_URL": url},
                check=True,
            )
        finally:
            if pg_name:
                subprocess.run(
                    ["psql", PG_SERVER + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {pg_name}"], check=False
                )


if __name__ == "__main__":
    main()
