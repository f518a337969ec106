"""How long an import holds SQLite's write lock, for the largest file allowed (16 MiB).

    .venv/bin/python -m bench.import_lock

Builds a 16 MiB lifelogger-csv file of ~250,000 events, imports it into a fresh
temp-file database through the app, and meanwhile has a second connection try
``BEGIN IMMEDIATE`` (no busy wait) every millisecond: the longest run of
refusals is the longest time another writer was kept waiting. Also times a
dry run of the same file, and a 15.9 MiB file of ``a,x,y`` rows (refused at
the 100th error).
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask_migrate import upgrade

from lifelogger import create_app
from lifelogger.db import db
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


class LockWatcher(threading.Thread):
    """Tries to take the write lock every millisecond; remembers the longest wait."""

    def __init__(self, path: str):
        super().__init__(daemon=True)
        self.path, self.longest, self.stop = path, 0.0, threading.Event()

    def run(self):
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        blocked_since = None
        while not self.stop.is_set():
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                if blocked_since is not None:
                    self.longest = max(self.longest, time.perf_counter() - blocked_since)
                blocked_since = None
            except sqlite3.OperationalError:
                blocked_since = blocked_since or time.perf_counter()
            time.sleep(0.001)
        conn.close()


def measure(app, user, data: bytes, path: str, **query) -> tuple[int, float, float, int]:
    watcher = LockWatcher(path)
    watcher.start()
    started = time.perf_counter()
    response = user.post("/import", query_string={"format": "lifelogger-csv", **query}, data=data, headers={"Content-Type": "text/csv"})
    elapsed = time.perf_counter() - started
    time.sleep(0.05)
    watcher.stop.set()
    watcher.join()
    return response.status_code, elapsed, watcher.longest, len(response.data)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.sqlite3")
        app = create_app(base_config(f"sqlite:///{path}", MAX_RANGE_DAYS=50 * 366))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        user = new_user(app, "bench", labels=LABELS)
        limit = app.config["MAX_IMPORT_BYTES"]
        data = sixteen_mib_csv(limit)
        rows = data.count(b"\n") - 1
        print(f"file: {len(data):,} bytes, {rows:,} rows")
        for name, query in (("dry run", {"dry_run": "true"}), ("import", {})):
            status, elapsed, held, size = measure(app, user, data, path, **query)
            print(f"{name}: HTTP {status}, {elapsed:.2f} s in all, write lock held at most {held:.2f} s, body {size:,} bytes")
        bad = b"label,started_at,ended_at\n" + b"a,x,y\n" * ((limit - 2**20 // 10 - 26) // 6)
        status, elapsed, held, size = measure(app, user, bad, path, dry_run="true")
        print(f"{len(bad):,} bytes of a,x,y: HTTP {status}, {elapsed:.2f} s, write lock held at most {held:.2f} s, body {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
