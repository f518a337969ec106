"""Login sessions: how long they live, opening, closing and purging them.

A session ends after ``SESSION_IDLE_TIMEOUT`` seconds without an API call, and
in any case ``SESSION_MAX_AGE`` seconds after the log-in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_

from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import Session, User
from lifelogger.security.tokens import new_session_token


@dataclass(frozen=True)
class SessionLimits:
    """How long sessions live (``SESSION_IDLE_TIMEOUT``, ``SESSION_MAX_AGE``)."""

    idle_timeout: timedelta
    max_age: timedelta  # from log-in, however active

    @property
    def refresh_after(self) -> timedelta:
        """How stale ``last_seen_at`` may get before a request refreshes it.

        Writing on every request would cost a database write per API call; a
        minute (or a tenth of the timeout when that is shorter) keeps expiry
        exact to within that.
        """
        return min(timedelta(minutes=1), self.idle_timeout / 10)

    def is_expired(self, session: Session, now: datetime) -> bool:
        """True when a session sat idle too long or is older than the maximum age."""
        return session.last_seen_at + self.idle_timeout <= now or session.created_at + self.max_age <= now


def session_limits() -> SessionLimits:
    """The app's session limits."""
    config = current_app.config
    return SessionLimits(timedelta(seconds=config["SESSION_IDLE_TIMEOUT"]), timedelta(seconds=config["SESSION_MAX_AGE"]))


def open_session(user: User, device_id: int | None = None) -> str:
    """Create a session for the user (of a signed-in device, if given) and return its bearer token (shown once); the caller commits."""
    token, token_hash = new_session_token()
    db.session.add(Session(user_id=user.id, token_hash=token_hash, device_id=device_id))
    return token


def close_session(session: Session) -> None:
    """End one session: its token stops working at once; the caller commits."""
    db.session.execute(delete(Session).where(Session.id == session.id))


def close_other_sessions(user: User, keep: Session | None) -> int:
    """End every session of the user except ``keep``; return how many. The caller commits."""
    query = delete(Session).where(Session.user_id == user.id)
    if keep is not None:
        query = query.where(Session.id != keep.id)
    return db.session.execute(query).rowcount


def purge_expired_sessions() -> int:
    """Delete sessions idle past the timeout or older than the maximum age; return how many.

    The rule of ``SessionLimits.is_expired``, in one statement; the caller commits.
    """
    now = timeutil.now()
    limits = session_limits()
    result = db.session.execute(
        delete(Session).where(or_(Session.last_seen_at <= now - limits.idle_timeout, Session.created_at <= now - limits.max_age)),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
