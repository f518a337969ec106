"""Measure Life Logger against its performance budgets; write the figures to a JSON file.

    python -m bench.measure [--peers] [--output docs/performance.json]

Generates the seeded dataset (bench/generate.py), then measures:

1. in-process (Flask's test client, the whole app in this process, many
   repetitions): p95 of ``GET /me``, ``GET /stats`` for a year and ten years,
   ``GET /events`` for a year and a switch (``POST /events/start``);
2. over HTTP (bench/client.py against gunicorn with the repository's
   configuration, bench/server.py): a year's stats, a year's and a day's
   events one request at a time, and a day's events from several
   connections at once;
3. with ``--peers``, the same HTTP questions to TimeTagger and aw-server
   loaded with the heavy user's log (bench/peers.py).

Every budget is printed as PASS/FAIL with its number and limit. Nothing here
writes docs: bench/report.py turns the JSON into docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from bench import peers as peer_servers
from bench.client import Client, throughput
from bench.generate import DAY, Dataset, build
from bench.server import ROOT, gunicorn
from bench.stats import summary, timings

API = "/api/v1"
RESULTS = ROOT / "docs" / "performance.json"

# (name, what, limit in ms): p95 in-process.
IN_PROCESS_BUDGETS = [
    ("me", "GET /api/v1/me", 2),
    ("stats_year", "GET /api/v1/stats, a year", 15),
    ("stats_ten_years", "GET /api/v1/stats, ten years", 100),
    ("events_year", "GET /api/v1/events, a year", 60),
    ("switch", "POST /api/v1/events/start (a switch)", 10),
]
# (operation, what, how many times faster than the faster peer): medians over HTTP.
PEER_BUDGETS = [
    ("stats_year", "stats for a year", 5),
    ("events_year", "a year's events", 1),
    ("events_day", "a day's events", 1),
]
CONCURRENT_FACTOR = 2


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def range_query(start: int, end: int) -> str:
    return urlencode({"start": iso(start), "end": iso(end)})


# --- in-process --------------------------------------------------------------


class InProcess:
    """The app behind Flask's test client, on the benchmark's database."""

    def __init__(self, data: Dataset):
        from lifelogger import create_app

        self.app = create_app({"DATABASE_URL": f"sqlite:///{data.path}", "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4})
        self.client = self.app.test_client()

    def caller(self, method: str, path: str, token: str, **kwargs):
        headers = {"Authorization": f"Bearer {token}"}

        def call() -> bytes:
            with self.client.open(API + path, method=method, headers=headers, **kwargs) as response:
                body = response.get_data()
                if response.status_code >= 300:
                    raise RuntimeError(f"{method} {path}: {response.status_code} {body[:300]!r}")
                return body

        return call

    def dispose(self) -> None:
        from lifelogger.db import db

        with self.app.app_context():
            db.engine.dispose()


def measure_reads(app: InProcess, data: Dataset, scale: float) -> dict:
    token, now = data.heavy.token, data.now
    calls = {
        "me": (app.caller("GET", "/me", token), 1000),
        "stats_year": (app.caller("GET", f"/stats?{range_query(now - 365 * DAY, now)}", token), 200),
        "stats_ten_years": (app.caller("GET", f"/stats?{range_query(now - 3650 * DAY, now)}", token), 40),
        "events_year": (app.caller("GET", f"/events?{range_query(now - 365 * DAY, now)}", token), 60),
    }
    results = {}
    for name, (call, repetitions) in calls.items():
        results[name] = summary(timings(call, max(5, int(repetitions * scale)), warmup=5))
        print(f"  in-process {name:<16} {results[name]}", flush=True)
    return results


def measure_switch(app: InProcess, data: Dataset, scale: float) -> dict:
    """POST /events/start on the ten-year user, the clock moved 90 s between switches.

    90 s: every switch also refreshes the session's idle timer (at most once a
    minute), the dearer of the two cases.
    """
    from lifelogger.core import timeutil

    labels = list(data.heavy.label_ids)
    clock = {"now": max(data.now, int(time.time())) + 1, "n": 0}
    real_now = timeutil.now
    timeutil.now = lambda: timeutil.from_epoch(clock["now"])
    start = app.caller  # one caller per label, built once

    callers = [start("POST", "/events/start", data.heavy.token, json={"label": label}) for label in labels]

    def switch() -> None:
        clock["now"] += 90
        clock["n"] += 1
        callers[clock["n"] % len(callers)]()

    try:
        result = summary(timings(switch, max(20, int(200 * scale)), warmup=5))
    finally:
        timeutil.now = real_now
    print(f"  in-process switch           {result}", flush=True)
    return result


# --- over HTTP, Life Logger and the peers alike -------------------------------


class LifeLogger:
    """Life Logger under gunicorn, answering the peers' questions."""

    name = "Life Logger"

    def __init__(self, data: Dataset):
        self.server = gunicorn(data.path)
        self.port = self.server.port
        self.headers = {"Authorization": f"Bearer {data.heavy.token}"}
        self.version = git_revision()

    def __enter__(self):
        self.server.__enter__()
        return self

    def __exit__(self, *exc):
        self.server.__exit__(*exc)

    def operations(self, client: Client, now: int) -> dict:
        return {
            "stats_year": lambda: client.json("GET", f"{API}/stats?{range_query(now - 365 * DAY, now)}"),
            "events_year": lambda: client.json("GET", f"{API}/events?{range_query(now - 365 * DAY, now)}"),
            "events_day": lambda: client.json("GET", f"{API}/events?{range_query(now - DAY, now)}"),
        }

    def day_read(self, now: int) -> dict:
        return {"path": f"{API}/events?{range_query(now - DAY, now)}", "headers": self.headers}


HTTP_REPETITIONS = {"stats_year": 40, "events_year": 20, "events_day": 300}


def measure_http(system, now: int, scale: float, seconds: float, connections: int) -> dict:
    """Median / p95 of each question one at a time on one connection, then the concurrent day read."""
    client = Client(system.port, getattr(system, "headers", {}))
    figures = {}
    for name, call in system.operations(client, now).items():
        figures[name] = summary(timings(call, max(5, int(HTTP_REPETITIONS[name] * scale)), warmup=2, max_seconds=30))
        print(f"  {system.name:<12} {name:<12} {figures[name]}", flush=True)
    client.close()
    figures["concurrent_day_reads"] = throughput(system.port, **system.day_read(now), connections=connections,
                                                 seconds=seconds, max_requests=200_000)
    print(f"  {system.name:<12} concurrent   {figures['concurrent_day_reads']}", flush=True)
    return figures


def heavy_events(data: Dataset) -> list[tuple[int, str, int, int | None]]:
    """The heavy user's log as (id, label, started_at, ended_at), for loading into the peers."""
    with sqlite3.connect(data.path) as conn:
        return conn.execute(
            "SELECT e.id, l.name, e.started_at, e.ended_at FROM events e JOIN labels l ON l.id = e.label_id "
            "WHERE e.user_id = ? ORDER BY e.started_at", (data.heavy.user_id,)
        ).fetchall()


def measure_peers(data: Dataset, args) -> tuple[dict, dict]:
    """Install (or reuse, with --peers-dir), start, load and measure each peer; its data is always fresh."""
    scratch = Path(tempfile.mkdtemp(prefix="lifelogger-peers-"))
    venvs = args.peers_dir or scratch
    venvs.mkdir(parents=True, exist_ok=True)
    events = heavy_events(data)
    http, about = {}, {}
    try:
        for peer_class in peer_servers.PEERS:
            print(f"{peer_class.__name__}:", flush=True)
            peer = peer_class(venvs, Path(tempfile.mkdtemp(dir=scratch)))
            with peer:
                loaded = peer_servers.load_timed(peer, events, data.now)
                print(f"  loaded {len(events)} events in {loaded:.1f} s", flush=True)
                about[peer.name] = {"version": peer.version, "events": len(events), "load_seconds": round(loaded, 1)}
                http[peer.name] = measure_http(peer, data.now, args.scale, args.seconds, args.connections)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return http, about


# --- budgets --------------------------------------------------------------------


def budget(name: str, passed: bool, value: str, limit: str) -> dict:
    print(f"  {'PASS' if passed else 'FAIL'}  {name}: {value} (limit {limit})", flush=True)
    return {"name": name, "passed": passed, "value": value, "limit": limit}


def judge(results: dict) -> list[dict]:
    """Every budget with its number and limit."""
    budgets = []
    for key, what, limit in IN_PROCESS_BUDGETS:
        p95 = results["in_process"][key]["p95_ms"]
        budgets.append(budget(f"in-process p95, {what}", p95 <= limit, f"{p95:.2f} ms", f"≤ {limit} ms"))
    http = results["http"]
    ours = http.get(LifeLogger.name)
    peers = {name: figures for name, figures in http.items() if name != LifeLogger.name}
    for key, what, factor in PEER_BUDGETS:
        name = f"{what} (median over HTTP), {'at least as fast as' if factor == 1 else f'≥ {factor}× faster than'} the faster peer"
        if not peers or ours is None:
            budgets.append({"name": name, "passed": None, "value": "not measured", "limit": "run with --peers"})
            continue
        fastest = min(peers, key=lambda peer: peers[peer][key]["median_ms"])
        mine, theirs = ours[key]["median_ms"], peers[fastest][key]["median_ms"]
        budgets.append(budget(name, mine * factor <= theirs, f"{mine:.2f} ms ({theirs / mine:.1f}× faster than {fastest}'s {theirs:.2f} ms)",
                              f"≤ {theirs / factor:.2f} ms"))
    name = f"concurrent day reads, ≥ {CONCURRENT_FACTOR}× the faster peer's throughput"
    if not peers or ours is None:
        budgets.append({"name": name, "passed": None, "value": "not measured", "limit": "run with --peers"})
    else:
        fastest = max(peers, key=lambda peer: peers[peer]["concurrent_day_reads"]["rps"])
        mine, theirs = ours["concurrent_day_reads"]["rps"], peers[fastest]["concurrent_day_reads"]["rps"]
        budgets.append(budget(name, mine >= CONCURRENT_FACTOR * theirs, f"{mine:,.0f} req/s ({mine / theirs:.1f}× {fastest}'s {theirs:,.0f})",
                              f"≥ {CONCURRENT_FACTOR * theirs:,.0f} req/s"))
    return budgets


# --- the run ----------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} × {cpu}; Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"


def git_revision() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", "lifelogger", "bench")
    return (git("rev-parse", "--short", "HEAD") or "unknown") + (" + local changes" if dirty else "")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__.splitlines()[0])
    parser.add_argument("--peers", action="store_true", help="also install, load and measure TimeTagger and aw-server")
    parser.add_argument("--peers-dir", type=Path, help="keep the peers' venvs and data here (default: a temporary folder)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--users", type=int, default=100, help="other users in the database (default 100)")
    parser.add_argument("--days", type=int, default=365, help="days of log for each other user (default 365)")
    parser.add_argument("--heavy-days", type=int, default=3650, help="days of log for the heavy user (default 3650)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the repetitions (default 1)")
    parser.add_argument("--seconds", type=float, default=5, help="length of each concurrent read load (default 5)")
    parser.add_argument("--connections", type=int, default=4, help="client connections for the concurrent reads (default 4)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS.relative_to(ROOT)})")
    return parser


def run(args, command: str) -> dict:
    """Generate, measure, judge; write and return the results."""
    import bcrypt

    began = time.perf_counter()
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="lifelogger-bench-"))
    try:
        print(f"Generating {args.users} users × {args.days} days + one × {args.heavy_days} days + one × 1 day (seed {args.seed}) ...", flush=True)
        data = build(workdir / "bench.sqlite3", seed=args.seed, other_users=args.users, other_days=args.days,
                     heavy_days=args.heavy_days, password_hash=bcrypt.hashpw(b"bench", bcrypt.gensalt(4)).decode())
        print(f"  {data.total_events} events for {len(data.users)} users in {data.seconds:.1f} s; the heavy user has {data.heavy.events}", flush=True)
        app = InProcess(data)
        results = {"in_process": measure_reads(app, data, args.scale)}
        app.dispose()
        with LifeLogger(data) as ours:
            results["http"] = {ours.name: measure_http(ours, data.now, args.scale, args.seconds, args.connections)}
        results["peers"] = {}
        if args.peers:
            peer_http, results["peers"] = measure_peers(data, args)
            results["http"].update(peer_http)
        # Last: switching adds events after the ranges measured above.
        results["in_process"]["switch"] = measure_switch(app, data, args.scale)
        app.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    others = [user for user in data.users if user not in (data.heavy, data.tiny)]
    results["dataset"] = {
        "seed": data.seed, "events": data.total_events, "users": len(data.users),
        "heavy_days": data.heavy.days, "heavy_events": data.heavy.events,
        "other_users": len(others), "other_days": others[0].days if others else 0,
        "generation_seconds": round(data.seconds, 1),
    }
    results["budgets"] = judge(results)
    results["run"] = {
        "command": command, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": git_revision(), "machine": machine(), "seconds": round(time.perf_counter() - began),
        "load_average_before": round(load_before[0], 2), "load_average_after": round(os.getloadavg()[0], 2),
        "connections": args.connections, "concurrent_seconds": args.seconds,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    failed = [b for b in results["budgets"] if b["passed"] is False]
    print(f"{len(results['budgets']) - len(failed)} of {len(results['budgets'])} budgets not failed; wrote {args.output}", flush=True)
    return results


def failed(results: dict) -> bool:
    return any(b["passed"] is False for b in results["budgets"])


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    results = run(args, "python -m bench.measure " + " ".join(argv if argv is not None else sys.argv[1:]))
    return 1 if args.strict and failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
