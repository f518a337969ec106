"""Keeping SQLite connections true to the database file as it is now.

A pooled SQLite connection holds its file open, so without these hooks it
would go on writing to a database file that was moved away (writes the app
never reads again), go on writing to one an operator made read-only, and, if
it was opened while the file was read-only, stay read-only after the fault
is fixed. These hooks make a fault answer 503 at once and let the app heal by
itself, without a restart, when the fault is removed:

- every checkout compares the file the path names now (device, inode,
  writable) with the one the connection opened, and reconnects on a change;
- a request never creates the database file: if it is missing, SQLite would
  make an empty one in its place (every request then fails on missing tables,
  and the real file cannot simply be moved back); only ``flask db upgrade``
  creates it;
- an error that says the file cannot be opened or written counts as a lost
  connection, so SQLAlchemy drops every pooled connection of the process
  (one left open would keep SQLite's per-process state for the file);
- after such an error, the next new connection first runs the garbage
  collector: a closed sqlite3 connection whose statements are still
  referenced (by the failed request's traceback, a reference cycle) lives on
  inside SQLite and keeps the process's read-only state for the file, which
  every new connection would then share, fail with and keep alive in turn;
- a new connection gives the ``-wal`` and ``-shm`` files the database file's
  mode again when they were left read-only by the fault.
"""
from __future__ import annotations

import gc
import logging
import os
import sqlite3
import stat

from flask import has_request_context
from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

from lifelogger.db.faults import SQLITE_FILE_FAULTS

log = logging.getLogger(__name__)

# Set when this process saw a file fault: the next connect collects garbage first.
_fault_seen = False


def file_state(path: str) -> tuple | None:
    """Which file ``path`` names now, and whether this process may write it (None: no file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, os.access(path, os.W_OK)


def remember(connection_record, path: str) -> None:
    """Note which file a new connection opened, for the checkout check."""
    connection_record.info["sqlite_file"] = (path, file_state(path))


# Below this much free space next to the database, writes are about to fail
# (SQLite needs room for WAL frames and, at checkpoints, for the file to grow).
MIN_FREE_BYTES = 1 * 2**20


def can_write(path: str) -> bool:
    """Whether this process may write the database file and its folder has room for writes."""
    folder = os.path.dirname(path) or "."
    try:
        space = os.statvfs(folder)
    except OSError:
        return False
    room = space.f_bavail * space.f_frsize >= MIN_FREE_BYTES
    return room and os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def still_the_same_file(recorded: tuple) -> bool:
    """Whether the path a connection opened (``remember``) still names that file, as writable as it was."""
    path, state = recorded
    return file_state(path) == state


def restore_wal_file_modes(path: str) -> None:
    """Make ``-wal`` and ``-shm`` writable again (the database file's mode) when the file is.

    SQLite creates them with the database file's permissions: created while
    the file was read-only, they stay read-only after it is made writable
    again, and then keep the whole database read-only, even across restarts.
    """
    if not os.access(path, os.W_OK):
        return
    mode = stat.S_IMODE(os.stat(path).st_mode)
    for suffix in ("-wal", "-shm"):
        companion = path + suffix
        if os.path.exists(companion) and not os.access(companion, os.W_OK):
            try:
                os.chmod(companion, mode)
                log.warning("made %s writable again (mode %o), like the database file", companion, mode)
            except OSError as exc:
                log.error("%s is read-only and cannot be fixed: %s", companion, exc)


@event.listens_for(Pool, "checkout")
def _reconnect_when_the_file_changed(_dbapi_connection, connection_record, proxy):
    global _fault_seen
    known = connection_record.info.get("sqlite_file")
    if known is not None and not still_the_same_file(known):
        # Close the pool's idle connections too, before this one reconnects:
        # with several threads per worker, another connection of the process
        # keeps the old file open, and SQLite hands its open (writable)
        # descriptor to the new connection instead of opening the file again.
        proxy._pool.dispose()
        _fault_seen = True
        raise DisconnectionError(f"the SQLite file {known[0]} was moved, replaced or changed writability")


@event.listens_for(Engine, "handle_error")
def _file_faults_drop_the_pool(context):
    global _fault_seen
    if context.dialect.name == "sqlite" and context.original_exception is not None:
        text = str(context.original_exception).lower()
        if any(fault in text for fault in SQLITE_FILE_FAULTS):
            context.is_disconnect = True
            _fault_seen = True


@event.listens_for(Engine, "do_connect")
def _before_connecting(dialect, _connection_record, cargs, cparams):
    global _fault_seen
    if dialect.name != "sqlite":
        return
    if _fault_seen:
        _fault_seen = False
        gc.collect()
    path = cargs[0] if cargs else ""
    if has_request_context() and not cparams.get("uri") and path not in ("", ":memory:") and not os.path.exists(path):
        raise sqlite3.OperationalError(f"unable to open database file: {path} is missing (not created while serving)")
