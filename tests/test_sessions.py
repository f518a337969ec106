"""Sessions: nothing secret at rest, an absolute lifetime, log-out everywhere, purging."""
from __future__ import annotations

import base64
import hashlib
import sqlite3

import pytest
from sqlalchemy import MetaData, func, select

from lifelogger.db import db
from lifelogger.db.models import Session

from tests.support.api import PASSWORD, ApiClient

WEEK = 7 * 24 * 3600


def log_in(app, username="yourname", password=PASSWORD) -> ApiClient:
    response = ApiClient(app.test_client()).post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return ApiClient(app.test_client(), token=response.json["token"], username=username)


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Session))


def every_row_as_text(app) -> str:
    """Every row of every table in the database (reflected, so new tables count too)."""
    with app.app_context():
        tables = MetaData()
        tables.reflect(db.engine)
        with db.engine.connect() as conn:
            return "\n".join(repr(row) for table in tables.sorted_tables for row in conn.execute(table.select()))


def sqlite_files_as_bytes(app) -> bytes:
    """The SQLite database file and its WAL, byte for byte (free pages included)."""
    with app.app_context():
        path = db.engine.url.database
    chunks = []
    for suffix in ("", "-wal"):
        try:
            with open(path + suffix, "rb") as handle:
                chunks.append(handle.read())
        except FileNotFoundError:
            pass
    return b"".join(chunks)


def test_the_database_holds_neither_the_token_nor_the_password(app, user):
    token = user.token
    second_token = log_in(app).token
    prehash = base64.b64encode(hashlib.sha256(PASSWORD.encode()).digest()).decode()  # bcrypt's input
    rows = every_row_as_text(app)
    assert "yourname" in rows and hashlib.sha256(token.encode()).hexdigest() in rows  # the dump is real
    for secret in (token, second_token, PASSWORD, prehash):
        assert secret not in rows
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                dump = "\n".join(conn.connection.driver_connection.iterdump())
            raw = sqlite_files_as_bytes(app)
            for secret in (token, second_token, PASSWORD, prehash):
                assert secret not in dump
                assert secret.encode() not in raw


def test_a_session_ends_seven_days_after_log_in_however_active(clock, user):
    for _ in range(WEEK // 3000):  # a call every 50 minutes: never idle
        clock.advance(seconds=3000)
        assert user.get("/me").status_code == 200
    clock.set("2026-03-31T11:59:59Z")  # log-in was 2026-03-24T12:00:00Z
    assert user.get("/me").status_code == 200
    clock.advance(seconds=1)
    response = user.get("/me")
    assert response.status_code == 401
    assert "expired" in response.json["message"]




@pytest.mark.app_config(SESSION_MAX_AGE=120)
def test_the_session_lifetime_is_configurable(clock, user):
    clock.advance(seconds=119)
    assert user.get("/me").status_code == 200
    clock.advance(seconds=1)
    assert user.get("/me").status_code == 401


def test_logout_all_ends_every_session_of_the_user(app, make_user):
    phone = make_user("alice")
    laptop = log_in(app, "alice")
    bob = make_user("bob")
    answer = phone.post("/auth/logout-all")
    assert answer.status_code == 200
    assert answer.json == {"sessions_ended": 2, "personal_tokens_kept": 0}
    assert phone.get("/me").status_code == 401
    assert laptop.get("/me").status_code == 401
    assert bob.get("/me").status_code == 200
    assert log_in(app, "alice").get("/me").status_code == 200  # the password still works


def test_logout_all_needs_a_token(anon):
    response = anon.post("/auth/logout-all")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_log_in_purges_sessions_idle_too_long(app, clock, user):
    log_in(app)
    assert session_count(app) == 2
    clock.advance(seconds=3600)  # both idle for the whole timeout
    log_in(app)
    assert session_count(app) == 1


def test_log_in_purges_sessions_past_the_maximum_age(app, clock, user):
    for _ in range(WEEK // 3000):  # keep the first session busy for a week
        clock.advance(seconds=3000)
        user.get("/me")
    clock.set("2026-03-31T12:00:00Z")
    fresh = log_in(app)
    assert session_count(app) == 1
    assert fresh.get("/me").status_code == 200


def test_log_in_keeps_live_sessions(app, clock, user):
    clock.advance(seconds=3599)
    log_in(app)
    assert session_count(app) == 2
    assert user.get("/me").status_code == 200


def test_the_sessions_purge_command(app, clock, runner, user):
    log_in(app)
    clock.advance(seconds=1800)
    user.get("/me")  # stays live; the other one idles out
    clock.advance(seconds=1800)
    result = runner.invoke(args=["sessions", "purge"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 expired session." in result.output
    assert session_count(app) == 1
    assert user.get("/me").status_code == 200
