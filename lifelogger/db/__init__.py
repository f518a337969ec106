"""The database layer: the SQLAlchemy object, Flask-Migrate, and SQLite connection set-up.

Created unbound and bound to an app in ``create_app``.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, request
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, MetaData, event
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


# expire_on_commit=False: a view returns the object it just committed and the
# response shows that committed state, without reloading it (a reload is a
# wasted query, and fails if a concurrent request already deleted the row).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()

SQLITE_BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _configure_sqlite_connection(dbapi_connection, connection_record):
    """WAL, a busy timeout, enforced foreign keys, and manual transaction control."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
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
    if conn.dialect.name != "sqlite":
        return
    may_write = not has_request_context() or (request.method not in SAFE_METHODS and _view_may_write())
    # Straight to the driver: this runs on every request, and SQLAlchemy's
    # full statement path costs more than SQLite's BEGIN itself.
    conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if may_write else "BEGIN")



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


def start_writing() -> None:
    """From here on, this request's transactions take the write lock at BEGIN (SQLite's BEGIN IMMEDIATE)."""
    db.session.commit()
    g.lifelogger_writing = True
