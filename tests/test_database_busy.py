"""A busy database: a write queued behind another connection's lock answers 503 with
Retry-After, and a read whose idle-timer refresh cannot get the lock still answers.

The lock is held by a real second connection (SQLite's one write lock; on PostgreSQL
a row lock on the rows the request wants to write).
"""
from __future__ import annotations

import threading

import pytest

import lifelogger.db
from lifelogger.db import db
from tests.support.databases import write_lock_held


@pytest.fixture
def short_lock_wait(app, monkeypatch):
    """Writes give up on a held lock after 0.3 s instead of 10 s, on connections opened from now."""
    monkeypatch.setattr(lifelogger.db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(lifelogger.db, "LOCK_TIMEOUT_MS", 300, raising=False)  # absent before the fix
    with app.app_context():
        db.engine.dispose()


def run_bounded(call, seconds: float = 8.0):
    """Run ``call`` in a thread; its result, or None if it is still waiting after ``seconds``
    (the guard against a request that would wait for the lock for ever)."""
    result = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else None


def test_a_write_behind_another_connections_write_lock_is_a_json_503_with_retry_after(app, user, short_lock_wait):
    # PostgreSQL: a start waits on the user's row (User.lock) held FOR UPDATE.
    with write_lock_held(app.config["SQLALCHEMY_DATABASE_URI"], "SELECT * FROM users FOR UPDATE"):
        reply = run_bounded(lambda: user.post("/events/start", json={"label": "Reading"}))
    assert reply is not None, "the write waited for the lock past its timeout"
    assert reply.status_code == 503, reply.get_json()
    body = reply.get_json()
    assert set(body) >= {"code", "status", "message"} and body["code"] == 503
    assert reply.headers["Retry-After"]
    # Nothing was written, and once the lock is gone the same write is accepted.
    assert user.post("/events/start", json={"label": "Reading"}).status_code == 201


def test_a_read_whose_idle_timer_refresh_cannot_get_the_lock_still_answers(app, clock, user, writes_to_sessions):
    clock.advance(seconds=120)  # the session's last use is due for a refresh
    with write_lock_held(app.config["SQLALCHEMY_DATABASE_URI"], "SELECT * FROM sessions FOR UPDATE"):
        reply = run_bounded(lambda: user.get("/me"))
    assert reply is not None, "the read waited for the lock instead of skipping the refresh"
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["username"] == "yourname"
    assert writes_to_sessions() == 0  # the refresh was skipped, not half-written
    # The next read, with the database free again, makes the refresh.
    assert user.get("/me").status_code == 200
    assert writes_to_sessions() == 1


@pytest.fixture
def writes_to_sessions(app):
    """How many committed transactions have updated the sessions table: ``writes_to_sessions()``."""
    from sqlalchemy import event

    seen = {"pending": False, "committed": 0}

    def executed(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE SESSIONS"):
            seen["pending"] = True

    def committed(_conn):
        seen["committed"] += seen["pending"]
        seen["pending"] = False

    def rolled_back(_conn):
        seen["pending"] = False

    with app.app_context():
        engine = db.engine
    hooks = [("before_cursor_execute", executed), ("commit", committed), ("rollback", rolled_back)]
    for name, hook in hooks:
        event.listen(engine, name, hook)
    yield lambda: seen["committed"]
    for name, hook in hooks:
        event.remove(engine, name, hook)
