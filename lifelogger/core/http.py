"""Facts of HTTP that several layers act on."""

# Methods that never change data: no write lock on SQLite, allowed to read-only tokens.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
