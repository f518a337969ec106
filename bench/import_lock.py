"""How long an import holds SQLite's write lock, for the largest file allowed (16 MiB).

    .venv/bin/python -m bench.import_lock

Builds a 16 MiB lifelogger-csv file of ~320,000 events, imports it into a fresh
temp-file database through the app, and meanwhile

- a second connection tries ``BEGIN IMMEDIATE`` (no busy wait) every
  millisecond: the longest run of refusals is the longest one transaction
  held the write lock;
- another user taps (``POST /events/start``, which stops the running event) every 50 ms, as the app would:
  the slowest of those answers is what a tap felt during the import.

Also times a dry run of the same file, and a 15.9 MiB file of ``a,x,y`` rows
(refused at the 100th error).
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
import multiprocessing
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask_migrate import upgrade

from lifelogger import create_app
from lifelogger.db import db
from tests.support.api import ApiClient
from tests.support.config import base_config
from tests.support.factories import new_user

LABELS = [f"Project {n}" for n in range(20)]


def sixteen_mib_csv(limit: int) -> bytes:
    """Events of 20 minutes every 30 minutes from 2005 on, as many as fit in ``limit`` bytes."""
    parts, size, at = ["label,started_at,ended_at\n"], 26, datetime(2005, 1, 1, tzinfo=timezone.utc)
    number = 0
    while True:
        line = f"{LABELS[number % 20]},{at:%Y-%m-%dT%H:%M:%SZ},{at + timedelta(minutes=20):%Y-%m-%dT%H:%M:%SZ}\n"
        if size + len(line) > limit:
            return "".join(parts).encode()
        parts.append(line)
        size += len(line)
        at += timedelta(minutes=30)
        number += 1


def watch_the_lock(path: str, stop, results) -> None:
    """Try to take the write lock every millisecond; report the longest time it was held without a gap."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    longest, blocked_since = 0.0, None
    while not stop.is_set():
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            if blocked_since is not None:
                longest = max(longest, time.perf_counter() - blocked_since)
            blocked_since = None
        except sqlite3.OperationalError:
            blocked_since = blocked_since or time.perf_counter()
        time.sleep(0.001)
    conn.close()
    results.put(("held", longest))


def tap_as_another_user(url: str, token: str, stop, results) -> None:
    """Another user switching activity every 50 ms, as the app would: the slowest answer, and every status seen."""
    other = ApiClient(create_app(base_config(url)).test_client(), token=token)
    slowest, statuses, number = 0.0, set(), 0
    while not stop.is_set():
        started = time.perf_counter()
        response = other.post("/events/start", json={"label": LABELS[number % 2]})
        slowest = max(slowest, time.perf_counter() - started)
        statuses.add(response.status_code)
        number += 1
        time.sleep(0.05)
    results.put(("taps", (slowest, sorted(statuses))))


def measure(user, other, data: bytes, url: str, path: str, **query) -> tuple[int, float, int, dict]:
    """Import (or check) ``data`` while two other processes, as other app workers would, watch the lock and tap."""
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    helpers = [
        multiprocessing.Process(target=watch_the_lock, args=(path, stop, results)),
        multiprocessing.Process(target=tap_as_another_user, args=(url, other.token, stop, results)),
    ]
    for helper in helpers:
        helper.start()
    time.sleep(1)  # both running
    started = time.perf_counter()
    response = user.post("/import", query_string={"format": "lifelogger-csv", **query}, data=data, headers={"Content-Type": "text/csv"})
    elapsed = time.perf_counter() - started
    time.sleep(0.1)
    stop.set()
    seen = dict(results.get() for _helper in helpers)
    for helper in helpers:
        helper.join()
    return response.status_code, elapsed, len(response.data), seen


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.sqlite3")
        url = f"sqlite:///{path}"
        app = create_app(base_config(url, MAX_RANGE_DAYS=50 * 366))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        user = new_user(app, "bench", labels=LABELS)
        other = new_user(app, "other", labels=LABELS)
        limit = app.config["MAX_IMPORT_BYTES"]
        data = sixteen_mib_csv(limit)
        rows = data.count(b"\n") - 1
        print(f"file: {len(data):,} bytes, {rows:,} rows")
        for name, query in (("dry run", {"dry_run": "true"}), ("import", {})):
            status, elapsed, size, seen = measure(user, other, data, url, path, **query)
            slowest, statuses = seen["taps"]
            print(
                f"{name}: HTTP {status}, {elapsed:.2f} s in all, body {size:,} bytes; write lock held at most "
                f"{seen['held']:.3f} s at a time; another user's taps meanwhile: slowest {slowest * 1000:.0f} ms, HTTP {statuses}"
            )
        bad = b"label,started_at,ended_at\n" + b"a,x,y\n" * ((limit - 2**20 // 10 - 26) // 6)
        status, elapsed, size, seen = measure(user, other, bad, url, path, dry_run="true")
        print(f"{len(bad):,} bytes of a,x,y: HTTP {status}, {elapsed:.2f} s, body {size:,} bytes; write lock held at most {seen['held']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
