"""The idle timer costs no database write per request, and expiry stays exact to its granularity.

The basic contract (a session expires after the idle timeout, any call resets it)
is in test_auth.py; this file holds how the reset is written.
"""
import pytest
from sqlalchemy import event, select

from lifelogger.db import db
from lifelogger.db.models import Session



@pytest.fixture
def writes(app):
    """The statements that change the sessions table, as requests run."""
    seen = []

    def capture(_conn, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(("UPDATE SESSIONS", "INSERT INTO SESSIONS", "DELETE FROM SESSIONS")):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    yield seen
    event.remove(engine, "before_cursor_execute", capture)


def test_a_minute_of_calls_writes_nothing(clock, user, writes):
    for _ in range(20):
        clock.advance(seconds=2)
        assert user.get("/me").status_code == 200
        assert user.get("/stats", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).status_code == 200
    assert writes == []
    clock.advance(seconds=20)  # 60 s since login
    assert user.get("/me").status_code == 200
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE SESSIONS")


@pytest.mark.parametrize("offset,status", [(3599, 200), (3600, 401)])
def test_expiry_counts_from_the_last_refresh_not_later(clock, user, offset, status):
    """A call that did not refresh (59 s after login) moves expiry by nothing: it stays
    at login + timeout, at most one granularity (60 s) before last call + timeout."""
    clock.advance(seconds=59)
    assert user.get("/me").status_code == 200
    clock.advance(seconds=offset - 59)
    assert user.get("/me").status_code == status


def test_a_refresh_extends_to_a_full_timeout_from_that_call(clock, user):
    clock.advance(seconds=60)
    assert user.get("/me").status_code == 200  # refreshes: last_seen = login + 60
    clock.advance(seconds=3599)
    assert user.get("/me").status_code == 200
    clock.advance(seconds=3600)
    assert user.get("/me").status_code == 401


@pytest.mark.app_config(SESSION_IDLE_TIMEOUT=300)
def test_a_short_timeout_refreshes_every_tenth_of_it(app, clock, user):
    def last_seen():
        with app.app_context():
            return db.session.scalar(select(Session.last_seen_at))

    login = last_seen()
    clock.advance(seconds=29)
    user.get("/me")
    assert last_seen() == login
    clock.advance(seconds=1)
    user.get("/me")
    assert last_seen() == clock.current
    clock.advance(seconds=299)
    assert user.get("/me").status_code == 200
    clock.advance(seconds=300)
    assert user.get("/me").status_code == 401
