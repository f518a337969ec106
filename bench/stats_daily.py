"""How long GET /api/v1/stats/daily takes over long ranges of a heavy log.

    .venv/bin/python bench/stats_daily.py [--years 2] [--per-day 16] [--runs 15]

Builds a temporary SQLite database (migrated), gives one user `years` of
back-to-back events (`per-day` a day), then times /stats/daily (tz
Europe/Berlin) for the last 7, 31, 365 days and the whole log through the
WSGI test client: the median of `runs` requests, database and app in-process.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert

from lifelogger import create_app
from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import Event, Label, User


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--per-day", type=int, default=16)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp())
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4})
    client = app.test_client()
    with app.app_context():
        upgrade()
    client.post("/api/v1/auth/register", json={"username": "bench", "password": "benchmark password"})
    token = client.post("/api/v1/auth/login", json={"username": "bench", "password": "benchmark password"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    labels = ["Sleep", "Work", "Reading", "Exercise", "Cooking", "Commute", "Music", "Chores"]
    for name in labels:
        client.post("/api/v1/labels", json={"name": name}, headers=headers)

    end = timeutil.now().replace(minute=0, second=0) - timedelta(hours=1)
    days = 365 * args.years
    step = 86400 // args.per_day
    first = timeutil.to_epoch(end) - days * 86400
    with app.app_context():
        user_id = db.session.query(User.id).scalar()
        label_ids = [row[0] for row in db.session.query(Label.id).order_by(Label.id)]
        rows = [
            {"user_id": user_id, "label_id": label_ids[i % len(label_ids)], "started_at": first + i * step, "ended_at": first + (i + 1) * step}
            for i in range(days * args.per_day)
        ]
        db.session.execute(insert(Event), rows)
        db.session.commit()
    print(f"{len(rows)} events over {days} days ({args.per_day} a day), SQLite, tz=Europe/Berlin, median of {args.runs}")

    for span in (7, 31, 365, days):
        query = {
            "start": (end - timedelta(days=span)).isoformat(),
            "end": end.isoformat(),
            "tz": "Europe/Berlin",
        }
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get("/api/v1/stats/daily", query_string=query, headers=headers)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.json
        assert len(response.json["days"]) in (span, span + 1)
        print(f"  {span:>5} days: {statistics.median(timings) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
