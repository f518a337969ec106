"""The database layer: the SQLAlchemy object, Flask-Migrate, and SQLite connection set-up.

Created unbound and bound to an app in ``create_app``.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, g, has_request_context, request
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


# How long a write waits for a lock another connection holds before it fails
# with "database is locked" (SQLite) or a lock timeout (PostgreSQL): a 503.
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
    may_write = not has_request_context() or (request.method not in SAFE_METHODS and _view_may_write())
    # Straight to the driver: this runs on every request, and SQLAlchemy's
    # full statement path costs more than SQLite's BEGIN itself.
    statement = "BEGIN IMMEDIATE" if may_write else "BEGIN"
    try:
        driver.execute(statement)
    except sqlite3.Error as error:
        # Raised from an event hook, the driver's error would reach the app
        # unwrapped (a 500); wrapped, it is classified like any other (503).
        raise OperationalError(statement, None, error) from error


def _view_may_write() -> bool:
    """False while a view reads only: in ``reading_only()``, or in a ``reads_first`` view until ``start_writing()``."""
    writing = g.get("lifelogger_writing")
    if writing is not None:
        return writing
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(getattr(view, "view_class", view), "reads_first", False)


@contextmanager
def reading_only() -> Iterator[None]:
    """Run the block in a transaction that only reads: no write lock taken, nothing writable.

    For a request that may write but first reads and checks for long (an
    import's file). The request's open transaction is committed first; the
    block's BEGIN is deferred on SQLite and READ ONLY on PostgreSQL, and it is
    rolled back at the end. A view whose class sets ``reads_first = True``
    begins deferred from its first query (authentication's included), so the
    lock is not taken before the block either; it calls ``start_writing()``
    when it is ready to write.
    """
    db.session.commit()
    g.lifelogger_writing = False
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(db.text("SET TRANSACTION READ ONLY"))
        yield
    finally:
        db.session.rollback()
        g.pop("lifelogger_writing", None)


# A writer that commits and begins again at once keeps SQLite's write lock from
# the others: they wait in a busy handler that polls every few to 100 ms, and
# miss a gap of microseconds: a tap waited out a whole 16 MiB import without a
# pause; with this one, it waited 29-111 ms (bench/import_lock.py).
OTHER_WRITERS_PAUSE_S = 0.005


def let_other_writers_in() -> None:
    """Between the write transactions of one long job: give other writers a turn at the lock.

    SQLite only: PostgreSQL's writers wait on row locks, which a waiting
    transaction is granted in turn.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        time.sleep(OTHER_WRITERS_PAUSE_S)


def start_writing() -> None:
    """From here on, this request's transactions take the write lock at BEGIN (SQLite's BEGIN IMMEDIATE)."""
    db.session.commit()
    g.lifelogger_writing = True
