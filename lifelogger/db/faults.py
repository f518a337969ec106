"""Classifying database errors: which ones mean "the database is unavailable"."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError

# sqlite3 messages meaning the database file itself is gone, read-only or failing
# (``sqlite_files`` then drops the pool's connections to it).
SQLITE_FILE_FAULTS = ("readonly database", "unable to open database", "disk i/o error")

# Substrings of driver messages (sqlite3, psycopg) for faults that pass by
# themselves or when an operator fixes the server: answer 503, not 500.
_UNAVAILABLE_MARKERS = (
    "database is locked",
    "lock timeout",  # PostgreSQL's lock_timeout (lifelogger.db)
    *SQLITE_FILE_FAULTS,
    "disk is full",
    "connection refused",
    "could not connect",
    "server closed the connection",
    "terminating connection",
    "connection timeout",
    "connection is closed",
    "the database system is",
)


def is_database_unavailable(error: OperationalError) -> bool:
    """True when the error says the database cannot be reached or written right now."""
    text = str(error.orig).lower()
    return any(marker in text for marker in _UNAVAILABLE_MARKERS)
