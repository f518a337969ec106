"""The database layer: the SQLAlchemy object, Flask-Migrate, and SQLite connection set-up.

Created unbound and bound to an app in ``create_app``.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase

from lifelogger.core.http import SAFE_METHODS
from lifelogger.db import sqlite_files

# Stable constraint names, so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DeferrableSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session, whose commits a caller may hold back (``commits_deferred``)."""

    def commit(self) -> None:
        if self.info.get("commits_deferred"):
            self.flush()  # the caller commits once, when it has added what belongs with it
            return
        super().commit()


# expire_on_commit=False: a view returns the object it just committed and the
# response shows that committed state, without reloading it (a reload is a
# wasted query, and fails if a concurrent request already deleted the row).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False, "class_": DeferrableSession})
migrate = Migrate()

# How long a write waits for a lock another connection holds before it fails
# with "database is locked" (SQLite) or a lock timeout (PostgreSQL): a 503.
@contextmanager
def commits_deferred() -> Iterator[None]:
    """Inside, ``db.session.commit()`` only flushes: the caller's own commit makes it all durable at once.

    For ``Idempotency-Key``: a write and the answer it gave must be committed
    together, or a retry finds the write done and no answer to replay.
    """
    session = db.session()
    session.info["commits_deferred"] = True
    try:
        yield
    finally:
        session.info.pop("commits_deferred", None)


SQLITE_BUSY_TIMEOUT_MS = 10_000
LOCK_TIMEOUT_MS = SQLITE_BUSY_TIMEOUT_MS
# How long a write that may be skipped (an idle-timer refresh) waits instead.
BRIEF_LOCK_WAIT_MS = 200

_brief_lock_wait: ContextVar[bool] = ContextVar("brief_lock_wait", default=False)


@contextmanager
def waiting_briefly_for_locks() -> Iterator[None]:
    """Transactions begun inside wait BRIEF_LOCK_WAIT_MS for a lock, not the full timeout.

    For writes a request can do without (recording a session's last use): a
    busy database makes them fail fast, and the caller carries on without them.
    """
    token = _brief_lock_wait.set(True)
    try:
        yield
    finally:
        _brief_lock_wait.reset(token)


@event.listens_for(Engine, "connect")
def _configure_sqlite_connection(dbapi_connection, connection_record):
    """WAL, a busy timeout, enforced foreign keys, and manual transaction control."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        if type(dbapi_connection).__module__.startswith("psycopg"):
            # A write queued behind another's row lock gives up like SQLite's does.
            dbapi_connection.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            dbapi_connection.commit()
        return
    # Let SQLAlchemy's "begin" event below emit BEGIN itself, instead of the
    # sqlite3 module's implicit (and always deferred) BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    path = cursor.execute("PRAGMA database_list").fetchone()[2]  # "" for in-memory
    if path:
        sqlite_files.restore_wal_file_modes(path)
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    connection_record.info["busy_timeout"] = SQLITE_BUSY_TIMEOUT_MS
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a committed event survives a power cut, not only a crashed worker.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
    if path:
        sqlite_files.remember(connection_record, path)


@event.listens_for(Engine, "begin")
def _begin_sqlite_transaction(conn):
    """Take SQLite's write lock at BEGIN for anything that may write.

    A deferred transaction that reads and then writes fails at once with
    "database is locked" when another connection wrote in between; the busy
    timeout does not cover that case. Requests that may write (every method but
    GET/HEAD/OPTIONS, and CLI commands) therefore BEGIN IMMEDIATE, waiting for
    the lock up front; reads stay deferred so they never queue behind writers.
    """
    driver = conn.connection.driver_connection
    brief = _brief_lock_wait.get()
    if conn.dialect.name != "sqlite":
        if brief:
            driver.execute(f"SET LOCAL lock_timeout = {BRIEF_LOCK_WAIT_MS}")
        return
    # The busy timeout is the connection's: change it only when this
    # transaction needs another one than the last did.
    wanted = BRIEF_LOCK_WAIT_MS if brief else SQLITE_BUSY_TIMEOUT_MS
    info = conn.connection.info
    if info.get("busy_timeout") != wanted:
        driver.execute(f"PRAGMA busy_timeout={wanted}")
        info["busy_timeout"] = wanted
    may_write = not has_request_context() or request.method not in SAFE_METHODS
    # Straight to the driver: this runs on every request, and SQLAlchemy's
    # full statement path costs more than SQLite's BEGIN itself.
    statement = "BEGIN IMMEDIATE" if may_write else "BEGIN"
    try:
        driver.execute(statement)
    except sqlite3.Error as error:
        # Raised from an event hook, the driver's error would reach the app
        # unwrapped (a 500); wrapped, it is classified like any other (503).
        raise OperationalError(statement, None, error) from error
