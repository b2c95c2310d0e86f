"""Time to compute the three options: a 1,000-remedy catalog, an employee with 10,000 grants.

    .venv/bin/python bench/options.py                      # a temporary SQLite database
    .venv/bin/python bench/options.py --database-url postgres://postgres@127.0.0.1:5432/mg_bench_options

Prints p50 / p90 / p99 / max of `options_for_demand` (target: p99 under 10 ms), with the number
of queries per call and the CPU time per call (which a busy machine does not inflate). A
PostgreSQL database is created by the bench (it must not exist yet) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _server_command(database_url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server of `database_url` (from its `postgres` database)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql)


def _database_name(database_url: str) -> str:
    from urllib.parse import urlsplit

    name = urlsplit(database_url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Use a plain database name, not {name!r}.")
    return name


def _setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "makegood.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    if database_url.startswith("postgres"):
        # A database of its own, so that the bench can never touch real data.
        _server_command(database_url, f'CREATE DATABASE "{_database_name(database_url)}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(*, remedies: int, grants: int, seed: int) -> tuple[object, object]:
    from django.db import transaction
    from django.utils import timezone

    from makegood.accounts.models import Role, Team
    from makegood.accounts.services import staff_create_or_update
    from makegood.cases.models import Case, Customer
    from makegood.remedies.models import Effort, Grant, RemedyKind, RemedyType, RoleAuthority

    rng = random.Random(seed)
    kinds = list(RemedyKind.values)
    with transaction.atomic():
        team = Team.objects.create(name="Bench", slug="bench", receives_unrouted=True)
        user = staff_create_or_update(username="bench-frontline", role=Role.FRONTLINE, team=team)
        RoleAuthority.objects.update_or_create(
            role=Role.FRONTLINE,
            defaults={
                "currency": "USD",
                "cap_per_case": Decimal("60.00"),
                "cap_per_day": Decimal("400.00"),
                "budget_per_month": Decimal("250000.00"),
                "allowed_kinds": kinds,
            },
        )
        catalog = []
        for i in range(remedies):
            kind = kinds[i % len(kinds)]
            variable = kind in {"refund_full", "refund_partial", "coupon", "gift_card", "return_exchange"}
            lo = Decimal(rng.choice(["1.00", "5.00", "10.00", "20.00"]))
            catalog.append(
                RemedyType(
                    catalog="bench",
                    code=f"remedy-{i}",
                    kind=kind,
                    name=f"{kind} #{i}",
                    currency="USD",
                    is_variable=variable,
                    cost=Decimal(0) if variable else Decimal(rng.randint(100, 8000)) / 100,
                    value=Decimal(0) if variable else Decimal(rng.randint(200, 15000)) / 100,
                    cost_per_unit=Decimal(rng.choice(["1", "0.35", "0.4", "0.85", "0.3"])) if variable else Decimal(0),
                    value_per_unit=Decimal(rng.choice(["1", "0.7", "0.95", "0.8"])) if variable else Decimal(0),
                    min_amount=lo if variable else None,
                    max_amount=lo * rng.choice([20, 50, 100]) if variable else None,
                    max_per_case=rng.choice([None, 1, 2]),
                    channels=rng.choice([[], [], ["web", "email"], ["in_person"]]),
                    immediate=rng.random() < 0.5,
                    effort=rng.choice(Effort.values),
                    issues_code=kind in {"coupon", "gift_card"},
                )
            )
        RemedyType.objects.bulk_create(catalog)
        remedy_ids = list(RemedyType.objects.values_list("pk", "kind", "name"))

        now = timezone.now()
        customers = Customer.objects.bulk_create(
            [Customer(name=f"Customer {i}", email=f"c{i}@example.com") for i in range(500)]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    customer=customers[i],
                    channel="web",
                    status="resolved",
                    team=team,
                    story="Bench history.",
                    received_at=now - timedelta(days=365 - i * 0.7),
                    first_response_due_at=now,
                    owner=user,
                )
                for i in range(500)
            ]
        )
        ledger = []
        for i in range(grants):
            remedy_id, kind, name = rng.choice(remedy_ids)
            cost = Decimal(rng.randint(100, 2500)) / 100
            ledger.append(
                Grant(
                    case=cases[i % len(cases)],
                    remedy_type_id=remedy_id,
                    kind=kind,
                    name=name,
                    cost=cost,
                    value=cost * 2,
                    currency="USD",
                    granted_by=user,
                    charged_to=user,
                    # Spread over the last year; a few hundred fall in the current month.
                    granted_at=now - timedelta(minutes=rng.randint(60, 365 * 24 * 60)),
                )
            )
        Grant.objects.bulk_create(ledger, batch_size=2000)
        case = Case.objects.create(
            customer=customers[0],
            channel="web",
            team=team,
            story="The blender arrived broken; second time this year.",
            expectation="A replacement by Friday, or my money back.",
            received_at=now,
            first_response_due_at=now,
            owner=user,
            loss_kind="faulty_product",
            loss_amount=Decimal("120.00"),
            loss_currency="USD",
            severity="severe",
            is_repeat_failure=True,
            feeling="frustrated",
        )
    return case, user


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="Default: a temporary SQLite file.")
    parser.add_argument("--remedies", type=int, default=1000)
    parser.add_argument("--grants", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mg-bench-options-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        _setup(url)
        try:
            from django.db import connection

            from makegood.remedies.selectors import options_for_demand

            case, user = _populate(remedies=args.remedies, grants=args.grants, seed=args.seed)

            from django.contrib.auth.models import User

            from makegood.remedies.selectors import catalog_changed

            state = {"warm": True, "wall": 0.0, "cpu": 0.0, "queries": 0}

            def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
                state["queries"] += 1
                return execute(sql, params, many, context)

            def once() -> object:
                # A fresh user, as in a request.
                fresh = User.objects.get(pk=user.pk)  # type: ignore[attr-defined]
                if state["warm"]:
                    # What the view's fetch-and-authorize (case_get_for_user) has already loaded.
                    fresh.has_perm("cases.view_case")
                    fresh.staff  # noqa: B018
                state["queries"] = 0
                with connection.execute_wrapper(counting):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    result = options_for_demand(
                        case=case, user=fresh, demand_kind="refund_full", demand_amount="180.00"
                    )
                    state["wall"] = (time.perf_counter() - started) * 1000
                    state["cpu"] = (time.process_time() - cpu_started) * 1000
                return result

            result = once()
            for _ in range(20):  # warm up (the first call parses the catalog)
                once()
            timings, cpu = [], []
            for _ in range(args.runs):
                once()
                timings.append(state["wall"])
                cpu.append(state["cpu"])
            queries = state["queries"]
            timings.sort()
            state["warm"] = False
            cold_user = []
            for _ in range(max(100, args.runs // 5)):
                once()
                cold_user.append(state["wall"])
            cold_user.sort()
            state["warm"] = True
            catalog_changed()
            once()
            cold = state["wall"]

            print(f"database: {connection.vendor}; catalog: {args.remedies} remedies; ledger: {args.grants} grants")
            print(
                f"options_for_demand x {args.runs}: {queries} queries per call; load average {os.getloadavg()[0]:.1f}"
            )
            print(
                f"  p50 {_percentile(timings, 0.50):.2f} ms   p90 {_percentile(timings, 0.90):.2f} ms   "
                f"p99 {_percentile(timings, 0.99):.2f} ms   max {timings[-1]:.2f} ms   "
                f"mean {statistics.fmean(timings):.2f} ms"
            )
            print(
                f"  CPU time per call (other processes on the machine cannot inflate it): "
                f"p50 {_percentile(sorted(cpu), 0.5):.2f} ms   p99 {_percentile(sorted(cpu), 0.99):.2f} ms"
            )
            print(
                f"  with the permission and team queries inside the call too: p50 {_percentile(cold_user, 0.5):.2f} ms"
                f"   p99 {_percentile(cold_user, 0.99):.2f} ms"
            )
            print(f"  first call after a catalog change (parses the catalog): {cold:.2f} ms")
            print("  options:")
            for option in result.options:  # type: ignore[attr-defined]
                amount = f" {option.amount}" if option.amount is not None else ""
                print(f"    {option.kind:<20} {option.name}{amount}: cost {option.cost}, value {option.value}")
            p99 = _percentile(timings, 0.99)
            print(f"target p99 < 10 ms: {'met' if p99 < 10 else 'NOT met'} ({p99:.2f} ms)")
        finally:
            from django.db import connections

            connections.close_all()
            if url.startswith("postgres"):
                _server_command(url, f'DROP DATABASE "{_database_name(url)}"')


if __name__ == "__main__":
    main()
