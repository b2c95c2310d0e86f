"""Makegood's intake benchmark: API intakes per second against the framework's floor, and list speed.

    .venv/bin/python bench/intake.py [--rounds 3] [--requests 3000] [--concurrency 8] [--cases 100000]
                                     [--list-cases 1000000] [--skip-pg] [--skip-sqlite] [--no-empty]
                                     [--lists-only]

For SQLite (a fresh WAL database file) and PostgreSQL (a fresh database on 127.0.0.1, dropped
afterwards), this:

1. migrates, creates the teams and people, issues an API token (`makegood create_api_token
   bench --role frontline`);
2. on the empty database, then after loading `--cases` cases (customers, cases and their
   timeline events, spread over teams, statuses and channels like a year of real data, straight
   through the ORM's `bulk_create`), starts gunicorn with 2 workers on a free loopback port,
   configured as in production (`DEBUG` off, the database task queue, no access log);
3. at `--cases`, reads the server time (`Server-Timing: app;dur=`) of the queue page, its polled
   rows and `GET /api/v1/cases` for a frontline employee of the busiest team;
4. from a separate process (aiohttp), runs `--rounds` rounds of `--requests` `POST /api/v1/cases`
   over `--concurrency` connections (each with its own Idempotency-Key and a varied customer),
   each followed by as many `GET /healthz` (a view that does nothing: the framework's floor), and
   prints each round's rate, p50/p99, server CPU per request, ratio to the floor and load average;
5. loads cases up to `--list-cases` (printing progress) and reads the list times again;
6. prints the medians of the rounds and the targets.

`--lists-only` skips the intake rounds (and the empty database): the lists at `--cases` and at
`--list-cases` only.

Traffic goes only to 127.0.0.1; every loop and wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
QUEUE_USER, QUEUE_PASSWORD = "bench_queue", "bench-queue-password"
BUSIEST_TEAM = "Online Desk"  # receives unrouted complaints, and the most cases
TEAM_WEIGHTS = {
    "Online Desk": 35,
    "Riverside Store": 20,
    "Old Town Store": 15,
    "Northgate Store": 12,
    "Harbour Store": 10,
    "Airport Kiosk": 8,
}
CHANNELS = ("web", "email", "phone", "in_person", "chat", "social")
SERVER_TIME_SAMPLES = 20
WARMUP_REQUESTS = 100
TARGET_RATIO, TARGET_P99_MS, TARGET_PG_SHARE, TARGET_LIST_MS = 0.25, 50.0, 0.80, 100.0


# Running commands -------------------------------------------------------------------------------


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def makegood(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    return run([str(BIN / "makegood"), *args], env, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Database:
    label: str
    url: str


@contextmanager
def sqlite_database(keep: str = "") -> Iterator[Database]:
    """A fresh SQLite file, deleted afterwards; with `keep`, that file, kept (made if missing)."""
    if keep:
        yield Database("SQLite", f"sqlite:///{Path(keep).resolve()}")
        return
    with tempfile.TemporaryDirectory(prefix="mg-bench-") as tmp:
        # WAL comes from the settings' init_command, as in production.
        yield Database("SQLite", f"sqlite:///{tmp}/bench.sqlite3")


@contextmanager
def postgres_database(keep: str = "") -> Iterator[Database]:
    """A fresh PostgreSQL database, dropped afterwards; with `keep`, that database, kept (made if missing)."""
    import psycopg

    name = keep or f"mg_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database("PostgreSQL", f"{PG_SERVER}/{name}")
    finally:
        if not keep:
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def analyze_like_autovacuum(db: Database) -> None:
    """On PostgreSQL, ANALYZE, as autovacuum does within a minute of a table's first 50 new rows.

    This machine's PostgreSQL runs with `autovacuum = off` (its CI configuration): a new database
    would never get statistics, and the plans each connection keeps (the foreign keys' checks among
    them) would scan whole tables, made when the tables were empty, for as long as they grow.
    """
    if db.label != "PostgreSQL":
        return
    import psycopg

    with psycopg.connect(db.url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("ANALYZE")


def app_env(db: Database, settings_module: str = "makegood.settings") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST"))}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(40),
        DATABASE_URL=db.url,
        ALLOWED_HOSTS=HOST,
        DEBUG="false",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
        DJANGO_SETTINGS_MODULE=settings_module,
        # One token sends thousands of intakes a minute here: the API's rate limits would refuse most.
        MAKEGOOD_RATE_API_TOKEN="",
        MAKEGOOD_RATE_API_ADDRESS="",
    )
    return env


@dataclass
class Server:
    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's worker processes, from /proc."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            # After the name: state, ppid, ..., utime (14th field of the line) and stime (15th).
            if int(fields[1]) == self.pid:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total


@contextmanager
def gunicorn(env: dict[str, str], log_dir: Path, workers: int) -> Iterator[Server]:
    port = free_port()
    log = (log_dir / f"gunicorn-{port}.log").open("w")
    args = [str(BIN / "gunicorn"), "makegood.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    args += ["--log-level", "warning", "--error-logfile", "-"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                log.flush()
                raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{Path(log.name).read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz within 240 s")
            time.sleep(0.2)
        yield Server(base, proc.pid)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        log.close()


# The load client (a separate process) -------------------------------------------------------------

FIRST = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kemal", "Lena", "Mo", "Nia")
LAST = ("Abara", "Berg", "Cruz", "Dunn", "Ekström", "Fox", "Gupta", "Holm", "Ito", "Jones", "Kaur", "Lind")
STORIES = (
    "The {thing} I ordered arrived broken and the courier left it in the rain.",
    "I was charged twice for the {thing}, and nobody has answered my e-mails for a week.",
    "Your workshop kept my {thing} for three weeks instead of three days.",
    "The staff member at the counter was rude when I asked about the {thing}.",
    "My refund for the {thing} still has not arrived after fourteen days.",
)
THINGS = ("e-bike battery", "helmet", "rear wheel", "kids' bike", "bike computer", "pannier bags")


def intake_body(i: int) -> dict[str, Any]:
    """A varied complaint; about one customer in five comes back (same e-mail), as in real intake."""
    n = i % max(1, int(0.8 * 10_000))
    rng = random.Random(i)
    customer = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "email": f"bench.customer{n}@example.com"}
    if i % 3 == 0:
        customer["phone"] = f"+1 415-555-{n % 10_000:04d}"
    thing = rng.choice(THINGS)
    return {
        "channel": CHANNELS[i % len(CHANNELS)],
        "customer": customer,
        "story": rng.choice(STORIES).format(thing=thing) + f" (ticket {i})",
        "expectation": rng.choice(("A refund.", "A replacement this week.", "An apology.", "")),
        "subject": f"Problem with my {thing}",
        "external_id": f"bench-{i}",
    }


async def _load(base: str, kind: str, token: str, total: int, concurrency: int, first: int) -> dict[str, Any]:
    import aiohttp

    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    numbers = iter(range(first, first + total))
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(i: int) -> None:
            started = time.perf_counter()
            try:
                if kind == "intake":
                    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
                    request = session.post(f"{base}/api/v1/cases", json=intake_body(i), headers=headers)
                else:
                    request = session.get(f"{base}/healthz")
                async with request as response:
                    await response.read()
                    statuses[str(response.status)] += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                statuses[type(exc).__name__] += 1
            latencies.append((time.perf_counter() - started) * 1000)

        async def worker() -> None:
            for i in numbers:  # one shared iterator: each number is sent exactly once
                await one(i)

        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed, client_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    ok = statuses["201" if kind == "intake" else "200"]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "ok": ok,
        "statuses": dict(statuses),
        "elapsed": elapsed,
        "rps": ok / elapsed if elapsed else 0.0,
        "p50": cuts[49],
        "p99": cuts[98],
        "client_cpu_ms": client_cpu * 1000 / max(1, total),
    }


def client_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("kind", choices=("intake", "healthz"))
    parser.add_argument("--token", default="")
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.base).hostname != HOST:
        raise SystemExit("The benchmark only sends traffic to 127.0.0.1.")
    result = asyncio.run(_load(args.base, args.kind, args.token, args.requests, args.concurrency, args.first))
    print(json.dumps(result))


def load(base: str, kind: str, *, token: str = "", requests: int, concurrency: int, first: int = 0) -> dict[str, Any]:
    """Run the load client in its own process, so that it never shares an interpreter with the server."""
    args = [sys.executable, __file__, "_client", base, kind, "--token", token]
    args += ["--requests", str(requests), "--concurrency", str(concurrency), "--first", str(first)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=900, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# Bulk loading (a separate process with the benchmark database's settings) --------------------------


LOAD_CHUNK = 50_000  # cases per transaction of the bulk load (memory stays flat at 1,000,000)


def _bulk_case(
    rng: random.Random,
    at: Any,
    now: Any,
    customers: list[Any],
    teams: dict[str, Any],
    staff: dict[str, list[Any]],
    names: list[str],
    weights: list[int],
) -> Any:
    """One case received `at`, in the state a case of that age would be in."""
    from datetime import timedelta

    from makegood.cases.models import DEFAULT_RESPONSE_TARGETS, Case, Status

    age = now - at
    if age < timedelta(days=1):
        status = rng.choices((Status.NEW, Status.OPEN, Status.RESOLVED), (30, 45, 25))[0]
    elif age < timedelta(days=7):
        status = rng.choices((Status.NEW, Status.OPEN, Status.RESOLVED), (5, 20, 75))[0]
    else:
        status = rng.choices((Status.NEW, Status.OPEN, Status.RESOLVED, Status.CLOSED), (0.3, 0.8, 90, 9))[0]
    channel = rng.choices(CHANNELS, (25, 22, 18, 15, 12, 8))[0]
    team_name = rng.choices(names, weights)[0]
    target = DEFAULT_RESPONSE_TARGETS[channel]
    owner = rng.choice(staff[team_name]) if status != Status.NEW else None
    responded = at + target * rng.uniform(0.3, 3) if owner is not None and rng.random() < 0.95 else None
    resolved = (
        (responded or at) + timedelta(hours=rng.uniform(1, 72)) if status in (Status.RESOLVED, Status.CLOSED) else None
    )
    thing = rng.choice(THINGS)
    return Case(
        customer=rng.choice(customers),
        channel=channel,
        status=status,
        team=teams[team_name],
        subject=f"Problem with my {thing}",
        story=rng.choice(STORIES).format(thing=thing),
        expectation=rng.choice(("A refund.", "A replacement this week.", "")),
        received_at=at,
        acknowledged_at=at,
        first_response_due_at=at + target,
        first_responded_at=responded,
        resolved_at=resolved,
        owner=owner,
        owned_at=at + target * 0.2 if owner is not None else None,
    )


def _bulk_events(cases: list[Any]) -> list[Any]:
    """The timeline lines each case would have: received, acknowledged, ownership, response, resolution."""
    from makegood.cases.kinds import EventKind
    from makegood.cases.models import CaseEvent, Status

    events: list[Any] = []
    for case in cases:
        events.append(CaseEvent(case=case, kind=EventKind.RECEIVED, at=case.received_at, body=case.story))
        events.append(CaseEvent(case=case, kind=EventKind.ACKNOWLEDGED, at=case.received_at, body="Acknowledged."))
        if case.owner is not None and case.owned_at is not None:
            events.append(CaseEvent(case=case, kind=EventKind.OWNERSHIP_TAKEN, at=case.owned_at, actor=case.owner))
            data = {"from": Status.NEW, "to": Status.OPEN}
            events.append(CaseEvent(case=case, kind=EventKind.STATUS_CHANGED, at=case.owned_at, data=data))
        if case.first_responded_at is not None:
            kind = EventKind.CONTACT if case.channel in ("phone", "in_person", "chat") else EventKind.REPLY_SENT
            events.append(CaseEvent(case=case, kind=kind, at=case.first_responded_at, actor=case.owner, body="Sorry."))
        if case.resolved_at is not None:
            data = {"from": Status.OPEN, "to": Status.RESOLVED}
            events.append(CaseEvent(case=case, kind=EventKind.STATUS_CHANGED, at=case.resolved_at, data=data))
    return events


def bulk_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-events", dest="events", action="store_false", help="cases and customers only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone

    from makegood.accounts.models import Role, Team
    from makegood.accounts.services import staff_create_or_update, team_get_or_create
    from makegood.cases.models import Case, CaseEvent, Customer, Status
    from makegood.desk.search_index import search_index_create, search_index_drop

    rng = random.Random(args.seed)
    started = time.monotonic()
    now = timezone.now()
    teams: dict[str, Team] = {}
    for name in TEAM_WEIGHTS:
        team = team_get_or_create(name)
        team.receives_unrouted = name == BUSIEST_TEAM
        team.save(update_fields=["receives_unrouted"])
        teams[name] = team
    staff: dict[str, list[User]] = {}
    for n, (name, team) in enumerate(teams.items()):
        staff[name] = [
            staff_create_or_update(username=f"bench_{n}_{k}", role=Role.FRONTLINE, team=team) for k in range(4)
        ]
    staff_create_or_update(username=QUEUE_USER, role=Role.FRONTLINE, team=teams[BUSIEST_TEAM], password=QUEUE_PASSWORD)

    names, weights = list(TEAM_WEIGHTS), list(TEAM_WEIGHTS.values())
    already = Case.objects.count()
    # The search index's triggers rebuild a case's document on each of its lines: loading a
    # million cases through them takes an hour here. The index is dropped for the load and built
    # again from the loaded rows at the end, which leaves it as the triggers would have.
    if args.cases >= LOAD_CHUNK:
        search_index_drop(connection)
    customer_base = Customer.objects.count()
    # Appending (a larger size on the same database) spreads the new cases over the same year.
    received = sorted(now - timedelta(seconds=rng.uniform(60, 365 * 86400)) for _ in range(args.cases))
    for start in range(0, args.cases, LOAD_CHUNK):
        chunk = received[start : start + LOAD_CHUNK]
        first_customer = customer_base + start * 7 // 10  # integers: 0.7 * 350,000 is 244,999.99…
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                (
                    Customer(
                        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        email=f"bulk{i}@example.org" if i % 5 else "",
                        phone="" if i % 5 and i % 3 else f"+1646{2_000_000 + i:07d}",  # stored in E.164
                        created_at=now - timedelta(days=366),
                    )
                    for i in range(first_customer, first_customer + max(1, len(chunk) * 7 // 10))
                ),
                batch_size=2000,
            )
            cases = [_bulk_case(rng, at, now, customers, teams, staff, names, weights) for at in chunk]
            Case.objects.bulk_create(cases, batch_size=2000)
            if args.events:
                CaseEvent.objects.bulk_create(_bulk_events(cases), batch_size=2000)
        done = start + len(chunk)
        print(
            f"  loading: {already + done:,} cases ({done / args.cases:.0%} of this load, "
            f"{time.monotonic() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
    if args.cases >= LOAD_CHUNK:
        print("  loading: rebuilding the search index", file=sys.stderr, flush=True)
        search_index_create(connection)
    if connection.vendor == "postgresql":
        # What autovacuum does by itself within a minute of such a load (PostgreSQL 13 on vacuums
        # after inserts too): the statistics, and the visibility map that index-only scans need.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    busiest = Case.objects.filter(team=teams[BUSIEST_TEAM])
    print(
        json.dumps(
            {
                "seconds": time.monotonic() - started,
                "cases": Case.objects.count(),
                "events": CaseEvent.objects.count(),
                "customers": Customer.objects.count(),
                "busiest_team_cases": busiest.count(),
                "busiest_team_open": busiest.filter(status__in=(Status.NEW, Status.OPEN)).count(),
            }
        )
    )


# Server time of the list pages --------------------------------------------------------------------


# Requests not counted: each worker's first request of a page fills its caches (on PostgreSQL, its
# connection's catalogue caches too). Two were too few: the kernel hands consecutive requests to
# whichever worker is waiting, and that can be the same one twice, leaving the other one cold.
WARM_UP_REQUESTS = 6


def server_time(response: Any) -> float:
    header = response.headers.get("Server-Timing", "")
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name == "app" and params.startswith("dur="):
            return float(params[4:])
    raise SystemExit(f"No Server-Timing header in the response of {response.url}")


def sample_server_times(opener: urllib.request.OpenerDirector, url: str, headers: dict[str, str]) -> dict[str, Any]:
    times, wall = [], []
    for _ in range(SERVER_TIME_SAMPLES + WARM_UP_REQUESTS):
        started = time.perf_counter()
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            body = response.read()
            if response.status != 200:
                raise SystemExit(f"GET {url}: HTTP {response.status}")
            times.append(server_time(response))
        wall.append((time.perf_counter() - started) * 1000)
    times, wall = times[WARM_UP_REQUESTS:], wall[WARM_UP_REQUESTS:]
    return {
        "median": statistics.median(times),
        "max": max(times),
        "wall_median": statistics.median(wall),
        "bytes": len(body),
    }


def logged_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=30) as response:
        response.read()
    csrf = next((c.value for c in jar if c.name == "csrftoken"), "")
    form = urllib.parse.urlencode(
        {"username": QUEUE_USER, "password": QUEUE_PASSWORD, "csrfmiddlewaretoken": csrf, "next": "/queue/"}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request, timeout=30) as response:
        response.read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit(f"Could not log in as {QUEUE_USER}")
    return opener


# The benchmark -----------------------------------------------------------------------------------


def measured(server: Server, send: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The load's result, with the server's CPU time per request and the machine's load average."""
    cpu_before = server.cpu_seconds()
    result = send()
    cpu = server.cpu_seconds() - cpu_before
    total = sum(result["statuses"].values())
    return {**result, "server_cpu_ms": cpu * 1000 / max(1, total), "load": os.getloadavg()[0]}


def load_cases(env: dict[str, str], cases: int, *, events: bool = True) -> dict[str, Any]:
    """Bulk-load `cases` more cases (0: only the teams and people); progress goes to the terminal."""
    done = subprocess.run(
        [sys.executable, __file__, "_bulk", "--cases", str(cases), *([] if events else ["--no-events"])],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        timeout=3 * 3600,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the bulk load failed ({done.returncode})")
    bulk: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if cases:
        print(
            f"loaded {cases:,} cases in {bulk['seconds']:.0f} s: now {bulk['cases']:,} cases, {bulk['events']:,} "
            f"events, {bulk['customers']:,} customers; the busiest team has {bulk['busiest_team_cases']:,} cases, "
            f"{bulk['busiest_team_open']:,} open",
            flush=True,
        )
    return bulk


def list_times(server: Server, token: str) -> dict[str, dict[str, Any]]:
    base = server.base
    opener = logged_in(base)
    plain = urllib.request.build_opener()
    pages = {
        "queue page (/queue/)": (opener, f"{base}/queue/", {}),
        "queue rows (/queue/rows/, polled)": (opener, f"{base}/queue/rows/", {"HX-Request": "true"}),
        "GET /api/v1/cases": (plain, f"{base}/api/v1/cases", {"Authorization": f"Bearer {token}"}),
    }
    times = {}
    for name, (client, url, headers) in pages.items():
        cpu_before = server.cpu_seconds()
        t = times[name] = sample_server_times(client, url, headers)
        # The workers' CPU (not the database server's): unlike the server time, it hardly moves
        # with what else runs on the machine.
        t["cpu_ms"] = (server.cpu_seconds() - cpu_before) * 1000 / (SERVER_TIME_SAMPLES + 2)
        print(
            f"  {name:36} server time median {t['median']:6.1f} ms, max {t['max']:6.1f} ms "
            f"(wall median {t['wall_median']:.1f} ms, {t['bytes']:,} bytes; workers' CPU per request "
            f"{t['cpu_ms']:.1f} ms; load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return times


def intake_rounds(server: Server, db: Database, token: str, args: argparse.Namespace, size: int) -> dict[str, Any]:
    """`--rounds` rounds of intakes then the floor, interleaved; each round's figures and their medians."""
    base = server.base
    load(base, "intake", token=token, requests=WARMUP_REQUESTS, concurrency=args.concurrency, first=10**7 + size)
    load(base, "healthz", requests=WARMUP_REQUESTS, concurrency=args.concurrency)
    rounds = []
    for n in range(args.rounds):
        analyze_like_autovacuum(db)
        first = 2 * 10**7 + size + n * args.requests
        intake = measured(
            server,
            lambda first=first: load(  # type: ignore[misc]
                base, "intake", token=token, requests=args.requests, concurrency=args.concurrency, first=first
            ),
        )
        floor = measured(server, lambda: load(base, "healthz", requests=args.requests, concurrency=args.concurrency))
        r = {"intake": intake, "floor": floor, "ratio": intake["rps"] / floor["rps"] if floor["rps"] else 0.0}
        rounds.append(r)
        bad = {k: v for k, v in intake["statuses"].items() if k != "201"}
        print(
            f"  round {n + 1}: intake {intake['rps']:5.0f}/s p50 {intake['p50']:5.1f} ms p99 {intake['p99']:5.1f} ms, "
            f"CPU per intake {intake['server_cpu_ms']:.2f} ms | floor {floor['rps']:5.0f}/s "
            f"CPU {floor['server_cpu_ms']:.2f} ms | ratio {r['ratio']:.3f} | load average "
            f"{intake['load']:.1f}" + (f" | failures {bad}" if bad else ""),
            flush=True,
        )

    def median(pick: Callable[[dict[str, Any]], float]) -> float:
        return statistics.median(pick(r) for r in rounds)

    return {
        "rounds": rounds,
        "rps": median(lambda r: r["intake"]["rps"]),
        "p50": median(lambda r: r["intake"]["p50"]),
        "p99": median(lambda r: r["intake"]["p99"]),
        "cpu_ms": median(lambda r: r["intake"]["server_cpu_ms"]),
        "client_cpu_ms": median(lambda r: r["intake"]["client_cpu_ms"]),
        "floor_rps": median(lambda r: r["floor"]["rps"]),
        "floor_cpu_ms": median(lambda r: r["floor"]["server_cpu_ms"]),
        "ratio": median(lambda r: r["ratio"]),
        "load": median(lambda r: r["intake"]["load"]),
        "failures": sum(sum(v for k, v in r["intake"]["statuses"].items() if k != "201") for r in rounds),
    }


def bench_database(db: Database, args: argparse.Namespace, log_dir: Path) -> dict[str, Any]:
    """Intake at an empty database and at `--cases`; the lists at `--cases` and at `--list-cases`."""
    env = app_env(db, args.settings)
    print(f"\n== {db.label} ==", flush=True)
    makegood(env, "migrate", "--no-input", "-v", "0")
    makegood(env, "createcachetable")
    loaded = load_cases(env, 0)["cases"]  # the teams and the people (and what a kept database holds)
    token = makegood(env, "create_api_token", "bench", "--role", "frontline", "--team", BUSIEST_TEAM)
    token = token.strip().splitlines()[-1].strip()
    result: dict[str, Any] = {"label": db.label, "intake": {}, "lists": {}}
    if args.reuse:
        # A kept database loaded by an earlier run: the lists again at its size, nothing loaded.
        print(f"-- {db.label}, lists at {loaded:,} cases (a kept database)", flush=True)
        with gunicorn(env, log_dir, args.workers) as server:
            result["lists"][loaded] = list_times(server, token)
        return result
    sizes = sorted({0, args.cases} if args.empty and not args.lists_only else {args.cases})
    for size in sizes:
        if size > loaded:
            loaded = load_cases(env, size - loaded)["cases"]
        what = "lists" if args.lists_only else "intake"
        print(f"-- {db.label}, {what} at {size:,} cases loaded ({loaded:,} in the database)", flush=True)
        with gunicorn(env, log_dir, args.workers) as server:
            if size:
                result["lists"][loaded] = list_times(server, token)
            if not args.lists_only:
                result["intake"][size] = intake_rounds(server, db, token, args, size)
    if args.list_cases > loaded:
        # Cases and customers only: no list reads the timeline (six rows a case).
        loaded = load_cases(env, args.list_cases - loaded, events=False)["cases"]
        print(f"-- {db.label}, lists at {loaded:,} cases", flush=True)
        with gunicorn(env, log_dir, args.workers) as server:
            result["lists"][loaded] = list_times(server, token)
    return result


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\n== Summary: medians of {args.rounds} rounds ({args.requests} requests each, {args.concurrency} "
        f"connections, gunicorn {args.workers} workers) =="
    )
    # Other work on the machine shows here: figures are only comparable when it is otherwise idle.
    load_1, load_5, load_15 = os.getloadavg()
    print(f"{os.cpu_count()} CPUs; load average now (1/5/15 min) {load_1:.1f} {load_5:.1f} {load_15:.1f}")
    for r in results:
        for size, i in r["intake"].items():
            print(
                f"{r['label']:10} at {size:>9,} cases: intake {i['rps']:4.0f}/s p50 {i['p50']:5.1f} ms p99 "
                f"{i['p99']:5.1f} ms, CPU per intake {i['cpu_ms']:.2f} ms | floor {i['floor_rps']:4.0f}/s, CPU "
                f"{i['floor_cpu_ms']:.2f} ms | ratio to the floor {i['ratio']:.3f} | load average {i['load']:.1f}"
                + (f" | {i['failures']} failures" if i["failures"] else "")
            )
    for r in results:
        for cases, times in r["lists"].items():
            print(
                f"{r['label']:10} lists at {cases:>9,} cases (server time median/max, workers' CPU): "
                + ", ".join(
                    f"{name.split(' (')[0]} {t['median']:.0f}/{t['max']:.0f} ms, CPU {t['cpu_ms']:.0f} ms"
                    for name, t in times.items()
                )
            )
    sqlite = next((r for r in results if r["label"] == "SQLite"), None)
    postgres = next((r for r in results if r["label"] == "PostgreSQL"), None)
    if sqlite and args.cases in sqlite["intake"]:
        i = sqlite["intake"][args.cases]
        verdict = "met" if i["ratio"] >= TARGET_RATIO and i["p99"] < TARGET_P99_MS else "MISSED"
        print(
            f"target on SQLite at {args.cases:,} cases: ratio >= {TARGET_RATIO} with p99 < {TARGET_P99_MS:.0f} ms: "
            f"{verdict} ({i['ratio']:.3f}, p99 {i['p99']:.1f} ms)"
        )
    if sqlite and postgres:
        for size in sorted(set(sqlite["intake"]) & set(postgres["intake"])):
            share = postgres["intake"][size]["rps"] / sqlite["intake"][size]["rps"]
            verdict = "met" if share >= TARGET_PG_SHARE else "MISSED"
            print(f"target PostgreSQL >= {TARGET_PG_SHARE:.0%} of SQLite at {size:,} cases: {verdict} ({share:.0%})")
    for r in results:
        for cases, times in r["lists"].items():
            worst = max(t["max"] for t in times.values())
            verdict = "met" if worst < TARGET_LIST_MS else "MISSED"
            print(
                f"target on {r['label']}: queue and case list < {TARGET_LIST_MS:.0f} ms at {cases:,} cases: "
                f"{verdict} (worst {worst:.0f} ms)"
            )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_client":
        return client_main(sys.argv[2:])
    if len(sys.argv) > 1 and sys.argv[1] == "_bulk":
        return bulk_main(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000, help="intakes (and floor requests) per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of intakes and the floor; medians reported")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument("--cases", type=int, default=100_000, help="cases loaded for the second intake measurement")
    parser.add_argument("--no-empty", dest="empty", action="store_false", help="skip intake on the empty database")
    parser.add_argument(
        "--list-cases", type=int, default=1_000_000, help="load up to this many cases for the lists (0: skip)"
    )
    parser.add_argument(
        "--lists-only", action="store_true", help="no intake rounds: the lists at --cases and at --list-cases"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--settings",
        default="makegood.settings",
        help="settings module, to try a change (put its directory on PYTHONPATH)",
    )
    parser.add_argument("--skip-pg", action="store_true", help="SQLite only")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--keep-sqlite", default="", metavar="PATH", help="load into this SQLite file and keep it")
    parser.add_argument("--keep-pg", default="", metavar="NAME", help="load into this PostgreSQL database and keep it")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep-*: measure the lists on the kept databases, load nothing"
    )
    args = parser.parse_args()
    if args.reuse and not ((args.keep_sqlite or args.skip_sqlite) and (args.keep_pg or args.skip_pg)):
        parser.error("--reuse needs --keep-sqlite PATH (or --skip-sqlite) and --keep-pg NAME (or --skip-pg)")
    if (
        not 1 <= args.requests <= 1_000_000
        or not 1 <= args.concurrency <= 1000
        or not 0 <= args.cases <= 10_000_000
        or not 1 <= args.rounds <= 20
        or not 0 <= args.list_cases <= 10_000_000
    ):
        parser.error(
            "--requests 1..1000000, --concurrency 1..1000, --cases and --list-cases 0..10000000, --rounds 1..20"
        )
    results = []
    with tempfile.TemporaryDirectory(prefix="mg-bench-logs-") as logs:
        log_dir = Path(logs)
        if not args.skip_sqlite:
            with sqlite_database(args.keep_sqlite) as db:
                results.append(bench_database(db, args, log_dir))
        if not args.skip_pg:
            with postgres_database(args.keep_pg) as db:
                results.append(bench_database(db, args, log_dir))
    report(results, args)


if __name__ == "__main__":
    main()
