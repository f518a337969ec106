"""Life Logger's benchmark: every number next to its floor, measured in the same run.

``make bench`` (or ``.venv/bin/python -m bench``) generates a seeded database,
then measures in-process latencies against raw ``sqlite3`` + ``json.dumps``
floors (interleaved, so a noisy neighbour hits both alike), throughput under
gunicorn against a bare Flask endpoint under the same configuration, and a
worker's peak memory. It prints a table and every target as PASS/FAIL, and
rewrites the measured part of ``docs/performance.md`` and its plot.
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import runpy
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from bench import load
from bench.generate import DAY, Dataset, build

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1"

STATS_RANGES = [("1 day", 1), ("1 week", 7), ("1 month", 30), ("3 months", 91), ("1 year", 365), ("3 years", 1095), ("10 years", 3650)]
EVENTS_RANGES = [("1 day", 1), ("1 month", 30), ("1 year", 365)]

# The floors: what the same question costs with no Flask, no ORM, no marshmallow.
STATS_FLOOR_SQL = """
SELECT l.name, SUM(MIN(COALESCE(e.ended_at, :now), :end) - MAX(e.started_at, :start))
FROM events e JOIN labels l ON l.id = e.label_id
WHERE e.user_id = :user_id
  AND e.started_at >= COALESCE(
        (SELECT started_at FROM events WHERE user_id = :user_id AND started_at <= :start
         ORDER BY started_at DESC LIMIT 1), :start)
  AND e.started_at < :end
  AND COALESCE(e.ended_at, :now) > :start
GROUP BY l.name
"""
EVENTS_FLOOR_SQL = """
SELECT e.id, l.name, e.started_at, e.ended_at, e.note
FROM events e JOIN labels l ON l.id = e.label_id
WHERE e.user_id = :user_id AND e.started_at >= :start AND e.started_at < :end
ORDER BY e.started_at, e.id
"""


# --- samples and results ---------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Sample:
    """Repeated timings of one thing, in seconds."""

    times: list[float]

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.times)

    @property
    def p95_ms(self) -> float:
        return 1000 * percentile(self.times, 0.95)


@dataclass
class Row:
    """One line of the table: a measurement, and its floor when it has one."""

    group: str
    name: str
    value: Sample | float
    floor: Sample | float | None = None
    floor_name: str = ""
    events: int | None = None
    unit: str = "ms"
    # Set when the ratio is not value / floor: the median of ratios of rounds
    # measured side by side (throughput), which one noisy round cannot swing.
    paired_ratio: float | None = None

    def ratio(self) -> float | None:
        if self.paired_ratio is not None:
            return self.paired_ratio
        if self.floor is None:
            return None
        if isinstance(self.value, Sample):
            return self.value.median_ms / self.floor.median_ms
        return self.value / self.floor


@dataclass
class Target:
    name: str
    passed: bool
    detail: str


@dataclass
class Results:
    dataset: Dataset
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    plot_points: dict = field(default_factory=dict)
    load_client: str = ""
    load_seconds: float = 0
    load_before: tuple = ()
    load_after: tuple = ()
    began: float = field(default_factory=time.perf_counter)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(format_row(row), flush=True)
        return row

    def check(self, name: str, passed: bool, detail: str) -> None:
        self.targets.append(Target(name, passed, detail))
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}", flush=True)


def format_row(row: Row) -> str:
    def show(value):
        if value is None:
            return "-"
        if isinstance(value, Sample):
            return f"{value.median_ms:9.2f} / {value.p95_ms:8.2f} ms"
        return f"{value:9.1f} {row.unit}" if row.unit == "s" else f"{value:9.0f} {row.unit}"

    ratio = row.ratio()
    events = "" if row.events is None else f"{row.events:>7}"
    return f"{row.group:<9} {row.name:<38} {events:>7}  {show(row.value):>24}  {show(row.floor):>24}  {'' if ratio is None else f'{ratio:5.2f}x'}"


def interleaved(calls: dict[str, Callable[[], object]], reps: int, warmup: int = 3) -> dict[str, Sample]:
    """Time each call ``reps`` times, alternating between them (and their order)."""
    names = list(calls)
    for _ in range(warmup):
        for name in names:
            calls[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names if rep % 2 == 0 else reversed(names):
            began = time.perf_counter()
            calls[name]()
            times[name].append(time.perf_counter() - began)
    return {name: Sample(values) for name, values in times.items()}


# --- in-process ------------------------------------------------------------


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def range_query(start: int, end: int, **extra) -> str:
    return urlencode({"start": iso(start), "end": iso(end), **extra})


class InProcess:
    """The app behind Flask's test client, on the benchmark's database."""

    def __init__(self, data: Dataset):
        from lifelogger import create_app

        self.data = data
        self.app = create_app({"DATABASE_URL": f"sqlite:///{data.path}", "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4})
        self.client = self.app.test_client()
        gc.collect()  # as wsgi.py does once the app is built
        gc.freeze()

    def caller(self, method: str, path: str, token: str, **kwargs) -> Callable[[], bytes]:
        headers = {"Authorization": f"Bearer {token}"}
        url = API + path

        def call() -> bytes:
            with self.client.open(url, method=method, headers=headers, **kwargs) as response:
                body = response.get_data()
                if response.status_code >= 300:
                    raise RuntimeError(f"{method} {path}: {response.status_code} {body[:300]!r}")
                return body

        return call


def floor_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def floor_stats(connection, user_id: int, start: int, end: int, now: int) -> Callable[[], list]:
    params = {"user_id": user_id, "start": start, "end": end, "now": now}
    return lambda: connection.execute(STATS_FLOOR_SQL, params).fetchall()


def floor_events(connection, user_id: int, start: int, end: int, payload: dict) -> Callable[[], str]:
    params = {"user_id": user_id, "start": start, "end": end}

    def call() -> str:
        connection.execute(EVENTS_FLOOR_SQL, params).fetchall()
        return json.dumps(payload, separators=(",", ":"))

    return call


def bench_stats(results: Results, app: InProcess, floor: sqlite3.Connection, scale: float) -> None:
    data = results.dataset
    heavy = data.heavy
    end = data.now
    points = []
    for label, days in STATS_RANGES:
        start = end - days * DAY
        call = app.caller("GET", f"/stats?{range_query(start, end)}", heavy.token)
        raw = floor_stats(floor, heavy.user_id, start, end, end)
        check_stats_agree(json.loads(call()), raw())
        events = count_events(floor, heavy.user_id, start, end)
        reps = max(5, int(min(60, 400 / max(1, days ** 0.5)) * scale))
        samples = interleaved({"app": call, "floor": raw}, reps)
        row = results.add(Row("stats", f"GET /stats, {label}", samples["app"], samples["floor"], "raw SQL", events))
        points.append((events, row.value.median_ms, row.floor.median_ms, label))
        if days in (365, 3650):
            limit = 1.5 * row.floor.median_ms + 2
            results.check(
                f"/stats {label} <= 1.5x floor + 2 ms",
                row.value.median_ms <= limit,
                f"{row.value.median_ms:.2f} ms vs floor {row.floor.median_ms:.2f} ms "
                f"(ratio {row.ratio():.2f}x, limit {limit:.2f} ms)",
            )
    results.plot_points["stats_by_range"] = points

    # One day's stats for users whose logs differ 3650-fold, in one database.
    start = end - DAY
    users = [("1-day user", data.tiny), ("1-year user", data.typical), ("10-year user", heavy)]
    calls = {name: app.caller("GET", f"/stats?{range_query(start, end)}", user.token) for name, user in users}
    samples = interleaved(calls, max(20, int(200 * scale)), warmup=10)
    by_size = []
    for name, user in users:
        results.add(Row("stats", f"GET /stats, 1 day, {name} ({user.events} in log)", samples[name], events=count_events(floor, user.user_id, start, end)))
        by_size.append((user.events, samples[name].median_ms, name))
    results.plot_points["stats_day_by_log_size"] = by_size
    heavy_ms, tiny_ms = samples["10-year user"].median_ms, samples["1-day user"].median_ms
    difference = abs(heavy_ms - tiny_ms) / min(heavy_ms, tiny_ms)
    results.check(
        "/stats 1 day independent of log size (< 20%)",
        difference < 0.20,
        f"10-year user {heavy_ms:.2f} ms vs 1-day user {tiny_ms:.2f} ms: {100 * difference:.1f}% apart "
        f"({data.total_events} events in the database)",
    )


def check_stats_agree(app_body: dict, floor_rows: list) -> None:
    """The floor answers the same question: same minutes per label."""
    floor_minutes = {name: round(seconds / 60, 2) for name, seconds in floor_rows if seconds and seconds > 0}
    if app_body["minutes"] != floor_minutes:
        raise RuntimeError(f"stats disagree with the floor: {app_body['minutes']} != {floor_minutes}")


def count_events(connection, user_id: int, start: int, end: int) -> int:
    return connection.execute(
        "SELECT count(*) FROM events WHERE user_id = ? AND started_at >= ? AND started_at < ?", (user_id, start, end)
    ).fetchone()[0]


def bench_events(results: Results, app: InProcess, floor: sqlite3.Connection, scale: float) -> None:
    data = results.dataset
    heavy = data.heavy
    end = data.now
    for label, days in EVENTS_RANGES:
        start = end - days * DAY
        call = app.caller("GET", f"/events?{range_query(start, end)}", heavy.token)
        payload = json.loads(call())
        rows = floor.execute(EVENTS_FLOOR_SQL, {"user_id": heavy.user_id, "start": start, "end": end}).fetchall()
        if [event["id"] for event in payload["events"]] != [row[0] for row in rows]:
            raise RuntimeError("/events disagrees with the floor")
        reps = max(5, int(min(60, 300 / days ** 0.5) * scale))
        samples = interleaved({"app": call, "floor": floor_events(floor, heavy.user_id, start, end, payload)}, reps)
        row = results.add(Row("events", f"GET /events, {label}", samples["app"], samples["floor"], "raw SQL + json.dumps", len(rows)))
        if days == 365:
            results.check(
                "/events 1 year <= 2x floor (query + json.dumps)",
                row.ratio() <= 2,
                f"{row.value.median_ms:.2f} ms vs floor {row.floor.median_ms:.2f} ms (ratio {row.ratio():.2f}x)",
            )


def bench_overhead(results: Results, app: InProcess, scale: float) -> None:
    from bench.bare import app as bare_app

    bare_client = bare_app.test_client()

    def bare() -> bytes:
        with bare_client.get("/ping") as response:
            return response.get_data()

    samples = interleaved({"me": app.caller("GET", "/me", results.dataset.heavy.token), "bare": bare}, max(50, int(500 * scale)), warmup=20)
    results.add(Row("overhead", "GET /me (token + session lookup)", samples["me"], samples["bare"], "bare Flask endpoint"))


def bench_switching(results: Results, app: InProcess, data_path: Path, scale: float) -> None:
    """POST /events/start on the 10-year user, with a clock moved between switches."""
    from lifelogger.core import timeutil

    data = results.dataset
    user = data.heavy
    labels = list(user.label_ids)
    real_now = timeutil.now
    clock = {"now": max(data.now, int(time.time())) + 1}
    timeutil.now = lambda: timeutil.from_epoch(clock["now"])

    floor = floor_connection(data_path)
    floor.execute("PRAGMA synchronous=FULL")
    other = data.typical
    floor_clock = {"now": clock["now"]}

    def floor_switch() -> None:
        floor_clock["now"] += 60
        floor.execute("BEGIN IMMEDIATE")
        floor.execute("UPDATE events SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", (floor_clock["now"], other.user_id))
        floor.execute(
            "INSERT INTO events (user_id, label_id, started_at) VALUES (?, ?, ?)",
            (other.user_id, other.label_ids["Reading"], floor_clock["now"]),
        )
        floor.execute("COMMIT")

    try:
        for title, step in (("a switch (idle timer fresh)", 10), ("a switch after >= 1 min idle (+ idle timer refresh)", 90)):
            counter = iter(range(10**9))

            def switch(step=step, counter=counter) -> None:
                clock["now"] += step
                label = labels[next(counter) % len(labels)]
                app.caller("POST", "/events/start", user.token, json={"label": label})()

            samples = interleaved({"app": switch, "floor": floor_switch}, max(20, int(150 * scale)), warmup=5)
            row = results.add(Row("switch", f"POST /events/start, {title}", samples["app"], samples["floor"], "raw UPDATE+INSERT+COMMIT"))
            results.check(
                f"switching p95 < 10 ms, {title}",
                row.value.p95_ms < 10,
                f"p95 {row.value.p95_ms:.2f} ms, median {row.value.median_ms:.2f} ms "
                f"(raw sqlite3 switch with synchronous=FULL: p95 {row.floor.p95_ms:.2f} ms)",
            )
    finally:
        timeutil.now = real_now
        floor.close()


# --- under gunicorn --------------------------------------------------------


def app_env(data: Dataset) -> dict[str, str]:
    return {
        "LIFELOGGER_DATABASE_URL": f"sqlite:///{data.path}",
        "LIFELOGGER_SECRET_KEY": "bench",
        "LIFELOGGER_SESSION_IDLE_TIMEOUT": "3600",
    }


def bench_throughput(results: Results, seconds: float) -> None:
    data = results.dataset
    token = {"Authorization": f"Bearer {data.heavy.token}"}
    month = f"{API}/stats?{range_query(data.now - 30 * DAY, data.now)}"
    results.load_client = load.load_client()
    results.load_seconds = seconds
    for workers in (2, 4):
        connections = 4 * workers
        with load.Server("bench.bare:app", workers) as bare, load.Server("wsgi:app", workers, app_env(data)) as app:
            bare.wait_ready("/ping")
            app.wait_ready(f"{API}/me", token)
            targets = {
                "bare": (bare, "/ping", {}),
                "me": (app, f"{API}/me", token),
                "stats": (app, month, token),
            }
            for server, path, headers in targets.values():
                load.load(server.port, path, 1, connections, headers)  # warm-up
            rounds = {name: [] for name in targets}
            # Short alternating rounds (1 s each, wrk's resolution), so the
            # machine's other load hits every endpoint alike; each endpoint's
            # round is later compared with the bare endpoint's of the same turn.
            for turn in range(max(1, round(seconds))):
                for name in targets if turn % 2 == 0 else reversed(list(targets)):
                    server, path, headers = targets[name]
                    cpu_before = server.cpu_seconds()
                    result = load.load(server.port, path, 1, connections, headers)
                    result.cpu_seconds = server.cpu_seconds() - cpu_before
                    rounds[name].append(result)
        totals = {name: sum(results_, load.LoadResult(0, 0.0, 0)) for name, results_ in rounds.items()}
        for name, total in totals.items():
            if total.errors:
                raise RuntimeError(f"{name}: {total.errors} failed requests under load")

        def paired(name: str) -> float:
            """The median over turns of this endpoint's req/s over the bare endpoint's."""
            return statistics.median(mine.rps / bare.rps for mine, bare in zip(rounds[name], rounds["bare"]) if bare.rps)

        bare_rps = totals["bare"].rps
        results.add(Row("gunicorn", f"GET /ping (bare Flask), {workers} workers", bare_rps, unit="req/s"))
        me = results.add(
            Row("gunicorn", f"GET /me, {workers} workers", totals["me"].rps, bare_rps, "bare endpoint", unit="req/s", paired_ratio=paired("me"))
        )
        results.add(
            Row(
                "gunicorn", f"GET /stats 1 month, {workers} workers", totals["stats"].rps, bare_rps, "bare endpoint",
                unit="req/s", paired_ratio=paired("stats"),
            )
        )
        # The same runs seen from the server: CPU time its workers spent per
        # request, which other jobs on the machine disturb less than req/s.
        bare_cpu = totals["bare"].cpu_us_per_request
        results.add(Row("cpu", f"worker CPU per GET /ping, {workers} workers", bare_cpu, unit="µs"))
        for name, title in (("me", "GET /me"), ("stats", "GET /stats 1 month")):
            results.add(Row("cpu", f"worker CPU per {title}, {workers} workers", totals[name].cpu_us_per_request, bare_cpu, "bare endpoint", unit="µs"))
        results.check(
            f"GET /me throughput >= 60% of bare, {workers} workers",
            me.ratio() >= 0.6,
            f"{100 * me.ratio():.0f}% (median of {len(rounds['me'])} paired 1 s rounds; in all, {totals['me'].rps:.0f} vs "
            f"{bare_rps:.0f} req/s); worker CPU per request "
            f"{totals['me'].cpu_us_per_request:.0f} vs {bare_cpu:.0f} µs",
        )


def bench_memory(results: Results) -> None:
    data = results.dataset
    token = {"Authorization": f"Bearer {data.heavy.token}"}
    everything = f"{API}/events?{range_query(data.now - (data.heavy.days + 1) * DAY, data.now + DAY)}"
    with load.Server("wsgi:app", 1, app_env(data)) as server:
        server.wait_ready(f"{API}/me", token)
        (worker,) = server.worker_pids()
        before = load.peak_rss_mb(worker)
        times = []
        for _ in range(3):
            began = time.perf_counter()
            status, body = load.get(server.port, everything, token)
            times.append(time.perf_counter() - began)
            if status != 200:
                raise RuntimeError(f"ten-year /events: {status}")
        events = len(json.loads(body)["events"])
        peak = load.peak_rss_mb(worker)
    results.add(Row("memory", "worker peak RSS after GET /me", before, unit="MB"))
    results.add(Row("memory", "worker peak RSS after ten-year GET /events", peak, events=events, unit="MB"))
    results.add(Row("events", "GET /events, 10 years, over HTTP (1 worker)", Sample(times), events=events))
    results.check("peak RSS serving ten-year /events < 200 MB", peak < 200, f"{peak:.0f} MB ({events} events, {len(body) / 1e6:.1f} MB of JSON)")


# --- a largest import ------------------------------------------------------

IMPORT_LABELS = ["Programming", "Exercise", "Sleep", "Reading", "Cooking", "Commute", "Meetings", "Email", "Music", "Games", "Family", "Walk"]


def largest_import(limit: int) -> tuple[bytes, int]:
    """A lifelogger-csv file just under ``limit`` bytes: back-to-back events from 1950 on, some with notes."""
    lines = ["label,started_at,ended_at,duration_minutes,note"]
    size, count = len(lines[0]) + 1, 0
    moment = int(datetime(1950, 1, 1, tzinfo=timezone.utc).timestamp())
    while True:
        minutes = 20 + (count * 37) % 100
        note = f"entry {count}" if count % 5 == 0 else ""
        line = f"{IMPORT_LABELS[count % len(IMPORT_LABELS)]},{iso(moment)},{iso(moment + 60 * minutes)},{minutes},{note}"
        if size + len(line) + 1 > limit:
            return ("\n".join(lines) + "\n").encode(), count
        lines.append(line)
        size += len(line) + 1
        moment += 60 * minutes
        count += 1


def bench_import(results: Results) -> None:
    """POST /import of the largest file accepted, over HTTP to one gunicorn worker: dry run, then for real."""
    from lifelogger import config

    data = results.dataset
    body, count = largest_import(config.SETTINGS["MAX_IMPORT_BYTES"][1])
    token = {"Authorization": f"Bearer {data.tiny.token}", "Content-Type": "text/csv"}
    timings = {}
    with load.Server("wsgi:app", 1, app_env(data)) as server:
        server.wait_ready(f"{API}/me", {"Authorization": token["Authorization"]})
        for dry_run in ("true", "false"):
            began = time.perf_counter()
            status, answer = load.request(server.port, "POST", f"{API}/import?format=lifelogger-csv&dry_run={dry_run}", body, token)
            timings[dry_run] = time.perf_counter() - began
            report = json.loads(answer)
            if status != 200 or report.get("imported") != count:
                raise RuntimeError(f"import (dry_run={dry_run}): {status} {answer[:300]!r}")
        (worker,) = server.worker_pids()
        peak = load.peak_rss_mb(worker)
    megabytes = len(body) / 2**20
    for dry_run, title in (("true", "dry run"), ("false", "for real")):
        results.add(Row("import", f"POST /import, {megabytes:.0f} MiB CSV, {title} (HTTP, 1 worker)", timings[dry_run], events=count, unit="s"))
    results.add(Row("memory", "worker peak RSS after the largest import", peak, events=count, unit="MB"))
    timeout = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"]  # what the server would allow it
    results.check(
        f"largest import ({megabytes:.0f} MiB) within gunicorn's {timeout} s worker timeout",
        max(timings.values()) < timeout,
        f"{count:,} events: dry run {timings['true']:.1f} s, import {timings['false']:.1f} s",
    )


# --- main ------------------------------------------------------------------

PARTS = ["stats", "events", "overhead", "throughput", "memory", "switch", "import"]


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} × {cpu}{memory}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def git_revision() -> str:
    try:
        revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "lifelogger", "bench"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return revision + (" + local changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Life Logger's benchmark.")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--users", type=int, default=100, help="other users in the database (default 100)")
    parser.add_argument("--days", type=int, default=365, help="days of log for each other user (default 365)")
    parser.add_argument("--heavy-days", type=int, default=3650, help="days of log for the heavy user (default 3650)")
    parser.add_argument("--seconds", type=float, default=10, help="load per endpoint and worker count (default 10)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply in-process repetitions (default 1)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md", help="markdown to update")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument("--keep", type=Path, help="keep the generated database at this path")
    parser.add_argument("--only", help=f"comma-separated parts to run ({','.join(PARTS)}); implies --no-write")
    args = parser.parse_args(argv)
    parts = PARTS if not args.only else [part.strip() for part in args.only.split(",")]
    if set(parts) - set(PARTS):
        parser.error(f"--only takes {', '.join(PARTS)}")
    if args.only:
        args.no_write = True
    command = "make bench" if os.environ.get("LIFELOGGER_BENCH_VIA_MAKE") else "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])

    import bcrypt

    workdir = Path(tempfile.mkdtemp(prefix="lifelogger-bench-"))
    path = args.keep or workdir / "bench.sqlite3"
    if path.exists():
        parser.error(f"{path} exists")
    print(f"Generating {args.users} users × {args.days} days + one user × {args.heavy_days} days + one user × 1 day (seed {args.seed}) ...", flush=True)
    data = build(
        path,
        seed=args.seed,
        other_users=args.users,
        other_days=args.days,
        heavy_days=args.heavy_days,
        password_hash=bcrypt.hashpw(b"bench", bcrypt.gensalt(4)).decode(),
    )
    print(f"  {data.total_events} events for {len(data.users)} users in {data.seconds:.1f} s; the heavy user has {data.heavy.events}", flush=True)
    results = Results(data)
    results.load_before = os.getloadavg()
    print(f"{'':9} {'measurement':<38} {'events':>7}  {'median / p95 (or value)':>24}  {'floor':>24}  ratio", flush=True)
    try:
        app = InProcess(data)
        floor = floor_connection(path)
        if "stats" in parts:
            bench_stats(results, app, floor, args.scale)
        if "events" in parts:
            bench_events(results, app, floor, args.scale)
        if "overhead" in parts:
            bench_overhead(results, app, args.scale)
        floor.close()
        with app.app.app_context():
            from lifelogger.db import db

            db.engine.dispose()
        if "throughput" in parts:
            bench_throughput(results, args.seconds)
        if "memory" in parts:
            bench_memory(results)
        if "switch" in parts:
            # Last: it adds events "in the future" of the ranges measured above.
            bench_switching(results, InProcess(data), path, args.scale)
        if "import" in parts:
            # After the rest: it adds 250,000 events to the 1-day user.
            bench_import(results)
    finally:
        if not args.keep:
            for leftover in workdir.glob("*"):
                leftover.unlink()
            workdir.rmdir()
    elapsed = time.perf_counter() - results.began + data.seconds
    results.load_after = os.getloadavg()
    passed = sum(target.passed for target in results.targets)
    print(f"\n{passed}/{len(results.targets)} targets PASS; the benchmark took {elapsed:.0f} s.")
    for target in results.targets:
        print(f"  {'PASS' if target.passed else 'FAIL'}  {target.name}: {target.detail}")
    if not args.no_write:
        from bench import report

        report.write(args.output, results, machine=machine(), command=command, revision=git_revision(), elapsed=elapsed)
        print(f"Wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output} and its plot.")
    return 0 if passed == len(results.targets) else 1
