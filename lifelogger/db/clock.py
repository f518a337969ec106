"""One clock for every app server: "now" for a write is read from the database.

With several app servers on one PostgreSQL, each host's clock drifts on its
own; an event started on a node 5 s ahead and switched on another a second
later would look switched before it started. Server-stamped instants (a start
or stop without a client time) and the "not in the future" check therefore use
the database's clock, read in the write's own transaction. SQLite serves a
single host, whose clock is the database's: there it is the app's own clock.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from lifelogger.core import timeutil
from lifelogger.db import db


def database_now() -> datetime:
    """The current instant by the database's clock (UTC, whole seconds)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return timeutil.now()
    # clock_timestamp(), not now(): now() is the transaction's start, which may
    # be before the lock this write waited for (User.lock) was granted.
    instant = db.session.scalar(select(func.clock_timestamp()))
    return instant.astimezone(timeutil.UTC).replace(microsecond=0)
