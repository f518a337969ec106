"""Is this instance able to serve? One cheap query on the database."""
from __future__ import annotations

import logging

from flask_smorest import abort
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lifelogger.db import db

log = logging.getLogger(__name__)


def check() -> dict:
    """``{"status": "ok", "database": "ok"}``, or 503 when the database cannot answer.

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
    return {"status": "ok", "database": "ok"}
