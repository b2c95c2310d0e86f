"""Search latency at 100,000 cases, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

    .venv/bin/python bench/search.py [--cases 100000] [--runs 20] [--skip-pg] [--skip-sqlite]

For each database (a fresh SQLite file in WAL mode; a fresh PostgreSQL database on 127.0.0.1,
dropped afterwards) this migrates, loads `--cases` cases with `bench/intake.py`'s bulk loader
(customers, cases spread over six teams, a year, every status and channel, and their timeline
events: the search index is filled by its triggers as the rows go in), then calls the search
selector (`makegood.desk.search.case_search`, what the page and `GET /api/v1/search` call) in
one process, for two people: a frontline employee of the busiest team (35% of the cases) and a
process owner who sees every team. Each query runs `--runs` times after one warm-up; the script
prints each query's median and the p50/p95 over all of them, and the target (100 ms).

The queries go from narrow to broad: a reference, an e-mail address, a phone number written
loosely, a full name, a word in a fifth of the stories, a prefix, a word in two fifths of them,
and a word with a status filter.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake import QUEUE_USER, ROOT, app_env, makegood, postgres_database, run, sqlite_database

TARGET_MS = 100.0
INTAKE = str(Path(__file__).resolve().parent / "intake.py")


def measure_main(argv: list[str]) -> None:
    """In a process whose environment points at the loaded database."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from makegood.accounts.models import Role
    from makegood.accounts.services import staff_create_or_update
    from makegood.cases.models import Case
    from makegood.desk.search import SearchFilters, case_search

    frontline = User.objects.get(username=QUEUE_USER)
    owner = staff_create_or_update(username="bench_owner", role=Role.PROCESS_OWNER, team=None)
    sample = Case.objects.select_related("customer").filter(team=frontline.staff.team).order_by("-pk")
    with_email = sample.exclude(customer__email="").first()
    with_phone = sample.exclude(customer__phone="").first()
    assert with_email is not None and with_phone is not None
    digits = with_phone.customer.phone[2:]  # +1 646 2xx xxxx, written as a person would type it
    queries: list[tuple[str, SearchFilters]] = [
        (with_email.reference, SearchFilters()),
        (with_email.customer.email.upper(), SearchFilters()),
        (f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", SearchFilters()),
        ("Hana Gupta", SearchFilters()),
        ("refund", SearchFilters()),
        ("pann", SearchFilters()),
        ("arrived", SearchFilters()),
        ("rude", SearchFilters(status="open")),
    ]
    results: dict[str, Any] = {}
    for who, user in (("frontline", frontline), ("process owner", owner)):
        rows = []
        for text, filters in queries:
            fresh = User.objects.get(pk=user.pk)
            case_search(fresh, text, filters=filters)
            times, found = [], 0
            for _ in range(args.runs):
                fresh = User.objects.get(pk=user.pk)  # nothing remembered between requests
                started = time.perf_counter()
                found = len(case_search(fresh, text, filters=filters).cases)
                times.append((time.perf_counter() - started) * 1000)
            label = text + (f" [status={filters.status}]" if filters.status else "")
            rows.append({"query": label, "found": found, "median": statistics.median(times), "times": times})
        results[who] = rows
    print(json.dumps(results))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench(db: Any, args: argparse.Namespace) -> list[str]:
    env = app_env(db)
    print(f"\n== {db.label} ==", flush=True)
    makegood(env, "migrate", "--no-input", "-v", "0")
    makegood(env, "createcachetable")
    started = time.monotonic()
    out = run([sys.executable, INTAKE, "_bulk", "--cases", str(args.cases)], env, timeout=3600)
    bulk = json.loads(out.strip().splitlines()[-1])
    seconds = time.monotonic() - started
    print(f"loaded {bulk['cases']:,} cases, {bulk['events']:,} events in {seconds:.0f} s", flush=True)
    out = run([sys.executable, __file__, "_measure", "--runs", str(args.runs)], env, timeout=1800)
    results = json.loads(out.strip().splitlines()[-1])
    summary = []
    for who, rows in results.items():
        for row in rows:
            query, found, median = row["query"][:40], row["found"], row["median"]
            print(f"  {who:13} {query:40} {found:3} found   median {median:7.1f} ms", flush=True)
        every = [t for row in rows for t in row["times"]]
        p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
        verdict = "under" if p95 < TARGET_MS else "OVER"
        line = (
            f"{db.label:10} {who:13} search p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
            f"  ({verdict} the {TARGET_MS:.0f} ms target)"
        )
        print(line, flush=True)
        summary.append(line)
    return summary


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        return measure_main(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not 1_000 <= args.cases <= 10_000_000 or not 1 <= args.runs <= 1000:
        parser.error("--cases 1000..10000000, --runs 1..1000")
    summary: list[str] = []
    if not args.skip_sqlite:
        with sqlite_database() as db:
            summary += bench(db, args)
    if not args.skip_pg:
        with postgres_database() as db:
            summary += bench(db, args)
    print(f"\n== Summary ({args.cases:,} cases, {args.runs} runs of each query) ==")
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
