"""One row read on every request (the token lookup), at the lowest cost that keeps its guarantees.

Every API call looks its bearer token up, so that read is most of what an
authenticated request costs beyond the framework (docs/performance.md). A
``RowLookup`` is a Core SELECT compiled once per dialect and run straight on a
driver connection: no ORM session, no transaction around a single read.

On a SQLite file the connection is the calling thread's own, kept from one
request to the next. Taking one from SQLAlchemy's pool and giving it back cost
more than the query itself (~25 µs of a ~180 µs ``GET /me``); a kept
connection costs a ``stat`` of the file. It stays true to the file the same
way pooled connections do (``sqlite_files``): a moved, replaced or re-moded
file, a new pool (``engine.dispose()`` after a restore) or a forked process
retires it, and so does any driver error. Elsewhere (PostgreSQL, an in-memory
database) the connection comes from the pool, used and returned at once.

A driver error re-runs the statement through SQLAlchemy, so the failure takes
the usual way: translated, seen by the error hooks (which drop a broken pool),
answered with a 503.
"""
from __future__ import annotations

import os
import threading

from sqlalchemy import Engine

from lifelogger.db import sqlite_files
from lifelogger.db import db


class RowLookup:
    """A SELECT compiled once per dialect; ``first(**params)`` returns its first row as a tuple, or None.

    Values go through the columns' own result processing (e.g. epoch seconds
    to aware datetimes), exactly as SQLAlchemy would apply it.
    """

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect = {}

    def first(self, **params) -> tuple | None:
        engine = db.engine
        prepared = self._by_dialect.get(engine.dialect.name)
        if prepared is None:
            prepared = self._by_dialect[engine.dialect.name] = self._prepare(engine.dialect)
        compiled, processors = prepared
        values = compiled.construct_params(params)
        if compiled.positional:
            values = tuple(values[name] for name in compiled.positiontup)
        kept = None
        try:
            if engine.dialect.name == "sqlite":
                kept = _kept_connection(engine)
            if kept is not None:
                row = _first_row(kept.driver_connection, compiled.string, values)
            else:
                pooled = engine.raw_connection()
                try:
                    row = _first_row(pooled.driver_connection, compiled.string, values)
                finally:
                    pooled.close()  # back to the pool
        except engine.dialect.loaded_dbapi.Error:
            if kept is not None:
                _forget(kept)  # whatever went wrong, the next lookup starts from a fresh connection
            with engine.connect() as connection:
                found = connection.execute(self.statement, params).first()
            return None if found is None else tuple(found)
        if row is None:
            return None
        return tuple(value if process is None else process(value) for process, value in zip(processors, row))

    def _prepare(self, dialect):
        compiled = self.statement.compile(dialect=dialect)
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in self.statement.selected_columns
        ]
        return compiled, processors


class _KeptConnection:
    """A connection taken out of the pool for good (detached), with what makes it still valid."""

    def __init__(self, engine: Engine, proxied, file: tuple):
        self.pool = engine.pool
        self.pid = os.getpid()
        self.driver_connection = proxied.driver_connection  # read before detaching: it goes with the pool's record
        proxied.detach()
        self.proxied = proxied
        self.file = file  # (path, state) as sqlite_files recorded it when the connection opened

    def is_current(self, engine: Engine) -> bool:
        return self.pool is engine.pool and self.pid == os.getpid() and sqlite_files.still_the_same_file(self.file)

    def close(self) -> None:
        if self.pid == os.getpid():  # never close a parent process's connection from a forked child
            try:
                self.proxied.close()  # detached: really closed
            except Exception:  # noqa: BLE001 - a broken connection is being dropped anyway
                pass


_kept = threading.local()


def _first_row(connection, sql: str, values) -> tuple | None:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, values)
        return cursor.fetchone()
    finally:
        cursor.close()  # ends SQLite's read transaction: checkpoints are never held back


def _kept_connection(engine: Engine) -> _KeptConnection | None:
    """This thread's connection for ``engine``, opened (or replaced) when needed; None where none can be kept."""
    kept = getattr(_kept, "connection", None)
    if kept is not None:
        if kept.is_current(engine):
            return kept
        _forget(kept)
    if getattr(_kept, "not_keepable", None) is engine.pool:
        return None
    # Checked out like any other, so it was set up like any other (WAL, busy
    # timeout, foreign keys) and its file recorded; then detached: the pool
    # forgets it and may open another in its place.
    proxied = engine.raw_connection()
    file = proxied.info.get("sqlite_file")
    if file is None:  # in-memory: a connection of its own would be a database of its own
        proxied.close()
        _kept.not_keepable = engine.pool
        return None
    _kept.connection = _KeptConnection(engine, proxied, file)
    return _kept.connection


def _forget(kept: _KeptConnection) -> None:
    if getattr(_kept, "connection", None) is kept:
        del _kept.connection
    kept.close()
