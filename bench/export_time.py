"""Server time of an export: ``python -m bench.export_time [EVENTS ...]``.

Builds a user with EVENTS events (10-minute events with notes) on a temporary
SQLite file, then times ``export_file`` (the whole JSON or CSV, written to its
temporary file, as GET /api/v1/export does before sending) three times each and
prints the best. A heavy user's ten years: 30 events a day, ~110k events.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from lifelogger import create_app
from lifelogger.blueprints.transfer import service
from lifelogger.db import db
from lifelogger.db.models import Label, User


def main(argv: list[str]) -> None:
    sizes = [int(arg) for arg in argv] or [110_000, 250_000]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sqlite3"
        app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4})
        with app.app_context():
            upgrade()
            for count in sizes:
                user = User(username=f"heavy{count}", display_name="Heavy", password_hash="x")
                db.session.add(user)
                db.session.flush()
                label = Label(user_id=user.id, name="Work")
                db.session.add(label)
                db.session.commit()
                with sqlite3.connect(path) as conn:
                    first = 1_500_000_000
                    conn.executemany(
                        "INSERT INTO events (user_id, label_id, started_at, ended_at, note, note_key) VALUES (?, ?, ?, ?, ?, ?)",
                        ((user.id, label.id, first + i * 600, first + i * 600 + 540, f"note {i}", f"note {i}") for i in range(count)),
                    )
                for fmt in ("json", "csv"):
                    best, size = float("inf"), 0
                    for _ in range(3):
                        began = time.process_time()
                        file, size = service.export_file(user, fmt)
                        best = min(best, time.process_time() - began)
                        file.close()
                        db.session.rollback()
                    print(f"{count:>8,} events  {fmt:4}  {best * 1000:8.0f} ms CPU  {size / 2**20:6.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
