"""Keyset cursors for paging through ``GET /events``.

A cursor names the last event of a page by its position in the listing's
order, ``(started_at, id)``: the next page starts strictly after it, so pages
never repeat or skip an event, whatever was added or deleted elsewhere. To a
client it is an opaque string (URL-safe base64 of ``"started_at,id"``).
"""
from __future__ import annotations

import base64
import binascii

from lifelogger.core import timeutil

_MAX_ID = 2**63 - 1  # BIGINT on every backend
_MAX_LENGTH = 64
_INVALID = "Not a cursor from a previous page's `next`."


class BadCursor(ValueError):
    """The text is not a cursor this server issued."""


def encode_cursor(started_at: int, event_id: int) -> str:
    """The opaque cursor after the event at ``(started_at, event_id)``."""
    return base64.urlsafe_b64encode(f"{started_at},{event_id}".encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> tuple[int, int]:
    """``(started_at, event_id)`` from a cursor; ``BadCursor`` for anything else."""
    if len(text) > _MAX_LENGTH:
        raise BadCursor(_INVALID)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        started_at, event_id = (int(part) for part in raw.split(","))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor(_INVALID) from None
    # Only cursors we could have issued: canonical text, an instant the API
    # accepts, an id the database can hold (never an overflow further down).
    in_range = timeutil.to_epoch(timeutil.EARLIEST) <= started_at <= timeutil.to_epoch(timeutil.LATEST) and 0 < event_id <= _MAX_ID
    if not in_range or encode_cursor(started_at, event_id) != text:
        raise BadCursor(_INVALID)
    return started_at, event_id
