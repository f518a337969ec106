"""``flask backup PATH`` while the server writes, and ``flask restore PATH`` into an empty database."""
import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, inspect, select, text

from lifelogger import create_app
from lifelogger.db import backup
from lifelogger.db import db
from lifelogger.db.models import Event

from tests.support.api import PASSWORD, ApiClient
from tests.support.config import base_config

NEVER = 2**62  # "still running" in the overlap check


def consistency_problems(conn) -> list[str]:
    """What is wrong with a database's events (nothing, for a consistent copy)."""
    problems = []
    overlaps = conn.execute(
        text(
            "SELECT count(*) FROM events a JOIN events b ON a.user_id = b.user_id AND a.id < b.id"
            " AND a.started_at < COALESCE(b.ended_at, :never) AND b.started_at < COALESCE(a.ended_at, :never)"
        ),
        {"never": NEVER},
    ).scalar()
    if overlaps:
        problems.append(f"{overlaps} overlapping pairs")
    running = conn.execute(
        text("SELECT COALESCE(MAX(n), 0) FROM (SELECT count(*) AS n FROM events WHERE ended_at IS NULL GROUP BY user_id) AS r")
    ).scalar()
    if running > 1:
        problems.append(f"{running} running events for one user")
    orphans = conn.execute(
        text(
            "SELECT count(*) FROM events e LEFT JOIN labels l ON l.id = e.label_id AND l.user_id = e.user_id"
            " WHERE l.id IS NULL"
        )
    ).scalar()
    if orphans:
        problems.append(f"{orphans} events without their user's label")
    return problems


class Writer(threading.Thread):
    """Logs events for several users as fast as it can until stopped; remembers the committed ids."""

    def __init__(self, users):
        super().__init__(daemon=True)
        self.users = users
        self.committed: list[int] = []
        self.failures: list[int] = []
        self.stopping = threading.Event()

    def run(self):
        minute = 0
        while not self.stopping.is_set():
            for user in self.users:
                minute += 1
                started = "2020-01-01T00:00:00Z"
                payload = {
                    "label": "Reading",
                    "started_at": _plus_minutes(started, minute),
                    "ended_at": _plus_minutes(started, minute, seconds=59),
                }
                response = user.post("/events", json=payload)
                if response.status_code == 201:
                    self.committed.append(response.json["id"])
                else:
                    self.failures.append(response.status_code)
                # Starting twice in the same second replaces the running event:
                # a delete and an insert, racing the backup too.
                started = user.post("/events/start", json={"label": "Writing" if minute % 2 else "Reading"})
                if started.status_code != 201:
                    self.failures.append(started.status_code)


def _plus_minutes(iso, minutes, seconds=0):
    from datetime import timedelta

    from lifelogger.core import timeutil

    return timeutil.format_instant(timeutil.parse_instant(iso) + timedelta(minutes=minutes, seconds=seconds))


def test_a_backup_taken_during_writes_is_consistent_and_restores(app, runner, make_user, empty_database_url, tmp_path):
    users = [make_user(f"writer{i}", labels=["Reading", "Writing"]) for i in range(3)]
    writer = Writer(users)
    writer.start()
    try:
        while len(writer.committed) < 30 and writer.is_alive():
            threading.Event().wait(0.01)
        committed_before = list(writer.committed)
        path = tmp_path / "lifelogger.backup"
        result = runner.invoke(args=["backup", str(path)])
        assert result.exit_code == 0, result.output
        after = len(writer.committed)
        threading.Event().wait(0.2)
    finally:
        writer.stopping.set()
        writer.join(timeout=30)
    assert writer.failures == []
    assert len(writer.committed) > after  # the server kept writing during and after the backup

    if app.config["DATABASE_URL"].startswith("sqlite"):
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        copy.close()

    restored = create_app(base_config(empty_database_url))
    result = restored.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "schema revision" in result.output
    with restored.app_context():
        with db.engine.connect() as conn:
            assert consistency_problems(conn) == []
        ids = set(db.session.scalars(select(Event.id)))
        assert set(committed_before) <= ids
        db.session.remove()
    # The restored instance serves the same people.
    login = ApiClient(restored.test_client()).post("/auth/login", json={"username": "writer0", "password": PASSWORD})
    assert login.status_code == 200
    with restored.app_context():
        db.engine.dispose()


def test_the_consistency_check_notices_overlaps(app, user, make_event, clock):
    """The check above can fail: two overlapping events written around the service."""
    make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    with app.app_context():
        event = db.session.scalars(select(Event)).one()
        db.session.add(Event(user_id=event.user_id, label_id=event.label_id, started_at=event.started_at, ended_at=event.ended_at))
        db.session.commit()
        with db.engine.connect() as conn:
            assert consistency_problems(conn) == ["1 overlapping pairs"]


def test_backup_never_overwrites_a_file(runner, tmp_path):
    path = tmp_path / "exists.backup"
    path.write_text("precious")
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert path.read_text() == "precious"


def test_restore_refuses_a_database_that_is_not_empty(app, runner, user, tmp_path):
    path = tmp_path / "lifelogger.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output and "events" in result.output
    assert user.get("/me").status_code == 200  # untouched


def test_restore_refuses_a_file_that_is_not_a_backup(empty_database_url, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database, not a dump")
    app = create_app(base_config(empty_database_url))
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_without_pg_dump_the_message_gives_the_command_but_not_the_password(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda _tool: None)
    engine = create_engine("postgresql+psycopg://lifelogger:s3cret@db.example.org:5433/lifelogger")
    with pytest.raises(backup.BackupError) as raised:
        backup.backup(engine, tmp_path / "pg.dump")
    message = str(raised.value)
    assert "pg_dump --dbname='postgresql://lifelogger@db.example.org:5433/lifelogger'" in message
    assert "s3cret" not in message
    assert not (tmp_path / "pg.dump").exists()


def test_the_password_reaches_pg_tools_through_the_environment():
    from sqlalchemy import make_url

    uri, env = backup.libpq_url(make_url("postgresql+psycopg://me:p%40ss@/lifelogger?connect_timeout=5"))
    assert uri == "postgresql://me@/lifelogger?connect_timeout=5"
    assert env == {"PGPASSWORD": "p@ss"}
