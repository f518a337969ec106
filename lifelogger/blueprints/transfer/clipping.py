"""``GET /export?clip=true``: the events of a range cut to it, as ``/stats`` counts them.

Kept apart from the export writers on purpose: it only changes which events
they get. Without ``clip`` an export selects the events that *start* in
``[start, end)`` and gives them whole (so it re-imports exactly); with it,
every event that *overlaps* the range comes cut at its edges, and the running
event ends at now (or at ``end``, if sooner), so a spreadsheet's sum of
``duration_minutes`` per label equals ``GET /stats`` for the same range.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import Event, User

FETCH_BATCH = 1000


@dataclass(frozen=True)
class ClippedEvent:
    """An event's part inside the range: what the export writers read of an ``Event``."""

    original_id: int
    label: str
    started_at: datetime
    ended_at: datetime
    note: str | None


def clipped_events(user: User, start: datetime, end: datetime) -> Iterator[ClippedEvent]:
    """The user's events overlapping ``[start, end)``, oldest first, each cut to the range.

    Copies, never the ORM rows themselves: changing those would write the cut
    times back to the database.
    """
    now = timeutil.now()
    query = (
        select(Event)
        .where(Event.user_id == user.id, Event.started_at < end, or_(Event.ended_at.is_(None), Event.ended_at > start))
        .order_by(Event.started_at, Event.id)
        .execution_options(yield_per=FETCH_BATCH)
    )
    for event in db.session.scalars(query):
        started = max(event.started_at, start)
        ended = min(event.ended_at or now, end)
        if ended > started:  # a running event that started after now has nothing in the range yet
            yield ClippedEvent(event.original_id, event.label, started, ended, event.note)
