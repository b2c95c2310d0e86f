"""Where one intake's CPU goes: `POST /api/v1/cases` in-process, part by part.

    DATABASE_URL=sqlite:////tmp/b.sqlite3 .venv/bin/python bench/intake_profile.py [--requests 400]

Run it against a database that `bench/intake.py _bulk --cases 100000` loaded (and that has an
API token: `makegood create_api_token bench --role frontline --team "Online Desk"`; the script
issues its own). It posts `bench/intake.py`'s bodies through Django's test client with the rate
limits off, as the benchmark's server runs:

1. without a profiler: CPU per intake (`time.thread_time`), and CPU inside the write transaction
   (from the first statement after `BEGIN` to the end of `COMMIT`), with each statement's own
   time there;
2. under cProfile: each part's share of the request (cumulative time of the functions that do
   it), scaled to the unprofiled CPU figure, as the table in `bench/README.md` shows.

The figures are CPU time of one thread, so other work on the machine moves them less than wall
time; the load average is printed all the same.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake import BUSIEST_TEAM, ROOT, intake_body

# The parts of a request, as (label, module path fragment, function name); a part's time is the
# cumulative time of its function. Nested parts are shown indented and are part of their parent.
PARTS: list[tuple[str, str, str]] = [
    ("whole request (test client → response)", "django/test/client.py", "request"),
    ("  ninja's operation (checks, parsing, the endpoint, rendering)", "ninja/operation.py", "run"),
    ("  token look-up (BearerToken.authenticate)", "makegood/api.py", "authenticate"),
    ("    ApiToken.find_active (ORM build + query)", "makegood/accounts/models.py", "find_active"),
    ("    ApiToken.find_active_row (one statement)", "makegood/accounts/models.py", "find_active_row"),
    ("    the owner, remembered", "makegood/api.py", "_owner"),
    ("  throttles (off here)", "ninja/throttling.py", "allow_request"),
    ("  body and header parsing and validation (ninja)", "ninja/operation.py", "_get_values"),
    ("  intake_prepare (before the transaction)", "makegood/intake/opening.py", "intake_prepare"),
    ("    validate_intake (normalise e-mail, phone)", "makegood/intake/opening.py", "validate_intake"),
    ("    customer_find (customer and repeat)", "makegood/cases/customers.py", "customer_find"),
    ("    feeling detector", "makegood/feelings/__init__.py", "name_feeling"),
    ("    first_response_due", "makegood/cases/clock.py", "first_response_due"),
    ("  case_create (inside the transaction)", "makegood/intake/opening.py", "case_create"),
    ("    customer insert", "makegood/cases/customers.py", "customer_create_or_match"),
    ("    customer_learn_details", "makegood/cases/customers.py", "customer_learn_details"),
    ("    rows built once (case, lines, audit, customer, key, outbox, task)", "makegood/rows.py", "rows_insert"),
    ("    timeline events (bulk insert)", "makegood/cases/timeline.py", "case_events_add"),
    ("    audit entry", "makegood/cases/audit.py", "audit_record"),
    ("    acknowledgement (outbox row + task row)", "makegood/cases/emails.py", "acknowledgement_enqueue"),
    ("      its task row", "django_tasks_db/backend.py", "enqueue"),
    ("      its task row (built once)", "makegood/worker/on_commit.py", "enqueue_in_transaction"),
    ("    case_opened signal (webhooks' check)", "django/dispatch/dispatcher.py", "send"),
    ("  commit", "django/db/backends/base/base.py", "commit"),
    ("  response rendering (schema + JSON)", "ninja/operation.py", "_result_to_response"),
]


def setup() -> tuple[Any, str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
    os.environ["MAKEGOOD_RATE_API_TOKEN"] = ""
    os.environ["MAKEGOOD_RATE_API_ADDRESS"] = ""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from makegood.accounts.models import ApiToken, Role
    from makegood.accounts.services import staff_create_or_update, team_get_or_create

    user = User.objects.filter(username="bench_profile").first() or staff_create_or_update(
        username="bench_profile", role=Role.FRONTLINE, team=team_get_or_create(BUSIEST_TEAM)
    )
    _, plain = ApiToken.issue(user=user, name="profile")
    return Client(HTTP_HOST="127.0.0.1"), plain


def post(client: Any, token: str, i: int) -> None:
    response = client.post(
        "/api/v1/cases",
        intake_body(i),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    if response.status_code != 201:
        raise SystemExit(f"POST /api/v1/cases: {response.status_code} {response.content[:300]!r}")


class StatementClock:
    """Times each statement (CPU of this thread) and the span from BEGIN to the end of COMMIT."""

    def __init__(self) -> None:
        self.per_statement: dict[str, list[float]] = defaultdict(list)
        self.transactions: list[float] = []
        self._began: float | None = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.thread_time()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.thread_time() - started
            self.per_statement[self.label(sql)].append(took * 1000)

    @staticmethod
    def label(sql: str) -> str:
        words = sql.split()
        if "SAVEPOINT" in sql.upper():
            return " ".join(w for w in words if w.upper() in ("SAVEPOINT", "RELEASE", "ROLLBACK", "TO"))
        head = " ".join(words[:3]).replace('"', "")
        if words and words[0].upper() == "SELECT":
            table = next((words[k + 1] for k, w in enumerate(words) if w.upper() == "FROM"), "?")
            head = f"SELECT … FROM {table}".replace('"', "")
        return head[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    client, token = setup()
    from django.db import connections

    from makegood.cases.models import Case

    connection = connections["default"]

    print(f"{Case.objects.count():,} cases; {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
    first = 20_000_000 + int(time.time()) % 1_000_000 * 100
    for i in range(50):  # warm-up: imports, caches, the feeling model
        post(client, token, first + i)
    first += 50

    # 1. CPU per intake, and inside the write transaction, without a profiler.
    clock = StatementClock()
    in_transaction: list[float] = []
    per_request: list[float] = []
    original_atomic_enter = type(connection).set_autocommit

    def timed_set_autocommit(self: Any, autocommit: bool, *a: Any, **kw: Any) -> Any:
        # Django turns autocommit off at the outermost atomic block's start and back on after COMMIT.
        if not autocommit:
            clock._began = time.thread_time()
        result = original_atomic_enter(self, autocommit, *a, **kw)
        if autocommit and clock._began is not None:
            in_transaction.append((time.thread_time() - clock._began) * 1000)
            clock._began = None
        return result

    type(connection).set_autocommit = timed_set_autocommit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(clock):
            for i in range(args.requests):
                started = time.thread_time()
                post(client, token, first + i)
                per_request.append((time.thread_time() - started) * 1000)
    finally:
        type(connection).set_autocommit = original_atomic_enter  # type: ignore[method-assign]
    first += args.requests
    cpu = statistics.median(per_request)
    print(f"CPU per intake (median of {args.requests}): {cpu:.2f} ms")
    if in_transaction:
        print(f"CPU inside the write transaction (median): {statistics.median(in_transaction):.2f} ms")
    print("statements per intake (CPU ms each, median; count per intake):")
    for label, times in sorted(clock.per_statement.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {label:60} {statistics.median(times):6.3f} ms x {len(times) / args.requests:.2f}")

    # 2. The parts, under cProfile, scaled to the unprofiled figure.
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    for i in range(args.requests):
        post(client, token, first + i)
    profile.disable()
    stats = pstats.Stats(profile)
    entries: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    total = None
    rows = []
    for label, path, name in PARTS:
        cumulative = sum(v[3] for (file, _, func), v in entries.items() if func == name and file.endswith(path))
        if total is None:
            total = cumulative or 1.0
        rows.append((label, cumulative / total))
    print(f"\nparts of one intake (cProfile shares scaled to {cpu:.2f} ms):")
    print("| part | CPU ms | share |\n| --- | ---: | ---: |")
    for label, share in rows:
        print(f"| {'↳ ' if label.startswith('    ') else ''}{label.strip()} | {share * cpu:.2f} | {share:.0%} |")
    if os.environ.get("PROFILE_TOP"):
        stats.sort_stats("cumulative").print_stats(int(os.environ["PROFILE_TOP"]))


if __name__ == "__main__":
    main()
