"""Is this instance able to serve? One cheap query on the database."""
from __future__ import annotations

import logging

from flask_smorest import abort
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lifelogger.db import db
from lifelogger.db.sqlite_files import can_write

log = logging.getLogger(__name__)


def check() -> dict:
    """``{"status": "ok", "database": "ok"}``, or 503 when the database cannot answer or be written.

    A full disk or a read-only file lets every read through while every write
    fails: for SQLite, the file's writability and the free space next to it
    are checked too. (PostgreSQL's disk is the database server's to watch.)

    The driver's message (host names, file paths) goes to the log, not to the
    unauthenticated caller.
    """
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("health check: database unavailable: %s", error)
        abort(503, message="The database is unreachable; see the server's log.", headers={"Retry-After": "5"})
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database and not can_write(url.database):
        log.warning("health check: database %s not writable (read-only or disk full)", url.database)
        abort(
            503,
            message="The database cannot be written (disk full or read-only); see the server's log.",
            headers={"Retry-After": "5"},
            extra={"database": "not writable"},
        )
    return {"status": "ok", "database": "ok"}
