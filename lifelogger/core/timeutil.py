"""Instants: parsing, formatting and "now", in one place.

The API speaks UTC ISO 8601 with seconds and an explicit ``+00:00``. The
database stores instants as whole seconds since the Unix epoch (see
``models.EpochSeconds``), so arithmetic on them is plain integer arithmetic
in SQL on every backend.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

UTC = timezone.utc

# Instants must be written with a date from 1900-01-01 to 9999-12-30: none is a
# person's activity outside that, and any offset (< 24 h) then converts to UTC
# inside the range Python's datetime can hold (9999-12-31T23:00:00-05:00 would
# not). The API documents this pattern (fields.Instant) and parse_instant checks it.
INSTANT_PATTERN = (
    r"^((19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-"
    r"|9999-(0[1-9]|1[01])-|9999-12-([0-2][0-9]|30))"
)
_INSTANT_DATE = re.compile(INSTANT_PATTERN)
_ANY_YEAR = re.compile(r"^[0-9]{4}-")
# Backstops after conversion, never reached by text that matches the pattern.
EARLIEST = datetime(1899, 12, 31, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # whole seconds: to_epoch stays exact

# In a query string an unencoded '+' arrives as a space: "...T00:00:00 00:00".
_SPACE_FOR_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def now() -> datetime:
    """The current instant, UTC, truncated to whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def parse_instant(text: str) -> datetime:
    """Parse ISO 8601 text into an aware UTC datetime truncated to seconds.

    Accepts ``Z``, any ``±HH:MM`` offset, or no offset (taken as UTC). Raises
    ``ValueError`` with a message a person can act on.
    """
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text.strip())
    try:
        if not _ANY_YEAR.match(text):
            raise ValueError
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            "Not an ISO 8601 instant; use e.g. 2026-03-24T09:00:00+00:00 or 2026-03-24T09:00:00Z."
        ) from None
    if not _INSTANT_DATE.match(text):
        raise ValueError("Instant out of range: use a date from 1900-01-01 to 9999-12-30.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError("Instant out of range.") from None
    if not EARLIEST <= parsed <= LATEST:
        raise ValueError("Instant out of range: use a date from 1900-01-01 to 9999-12-30.")
    return parsed.replace(microsecond=0)


def format_instant(value: datetime) -> str:
    """Format an instant as the API does: ``2026-03-24T09:00:00+00:00``."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def to_epoch(value: datetime) -> int:
    """Whole seconds since the Unix epoch for an aware datetime."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: instants must carry a time zone")
    return int(value.timestamp() // 1)


def from_epoch(seconds: int) -> datetime:
    """The aware UTC datetime for whole seconds since the Unix epoch."""
    return datetime.fromtimestamp(seconds, UTC)
