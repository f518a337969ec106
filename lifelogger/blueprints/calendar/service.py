"""Your events as an iCalendar (RFC 5545) calendar: one VEVENT per event."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from sqlalchemy import or_, select

from lifelogger.blueprints.calendar.schemas import DEFAULT_FEED_DAYS
from lifelogger.core import ical, timeutil
from lifelogger.db import db
from lifelogger.db.models import Event, User

PRODID = "-//Life Logger//Calendar feed//EN"
# Calendar apps that honour it re-read the feed this often.
REFRESH = "PT15M"
FETCH_BATCH = 1000


def feed_range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The range a feed shows: the one asked for, or the last 90 days up to now."""
    if start is None:
        end = timeutil.now()
        start = end - timedelta(days=DEFAULT_FEED_DAYS)
    return start, end


def _events_overlapping(user: User, start: datetime, end: datetime):
    """The user's events that overlap ``[start, end)`` (the running one too), oldest first."""
    query = (
        select(Event)
        .where(Event.user_id == user.id, Event.started_at < end, or_(Event.ended_at.is_(None), Event.ended_at > start))
        .order_by(Event.started_at, Event.id)
        .execution_options(yield_per=FETCH_BATCH)
    )
    return db.session.scalars(query)


def calendar_chunks(user: User, host: str, start: datetime | None = None, end: datetime | None = None) -> Iterator[str]:
    """The calendar's text in chunks: a VCALENDAR with one VEVENT per event overlapping the range.

    The UID ``event-<id>@<host>`` stays the same on every fetch, so a calendar
    app updates an event it already has instead of adding a copy. The running
    event ends "now" (the time of the fetch): it grows on every refresh.
    """
    start, end = feed_range(start, end)
    now = timeutil.now()
    stamp = ical.format_utc(now)
    yield "".join(
        ical.content_lines(
            [
                ("BEGIN", "VCALENDAR"),
                ("VERSION", "2.0"),
                ("PRODID", PRODID),
                ("CALSCALE", "GREGORIAN"),
                ("METHOD", "PUBLISH"),
                ("X-WR-CALNAME", "Life Logger"),
                ("REFRESH-INTERVAL;VALUE=DURATION", REFRESH),
                ("X-PUBLISHED-TTL", REFRESH),
            ]
        )
    )
    lines: list[str] = []
    for count, event in enumerate(_events_overlapping(user, start, end), start=1):
        # DTEND must come after DTSTART: a running event started this second lasts one.
        ended = event.ended_at or max(now, event.started_at + timedelta(seconds=1))
        properties = [
            ("BEGIN", "VEVENT"),
            ("UID", f"event-{event.id}@{host}"),
            ("DTSTAMP", stamp),
            ("DTSTART", ical.format_utc(event.started_at)),
            ("DTEND", ical.format_utc(ended)),
            ("SUMMARY", ical.escape_text(event.label)),
        ]
        if event.note:
            properties.append(("DESCRIPTION", ical.escape_text(event.note)))
        properties.append(("END", "VEVENT"))
        lines.extend(ical.content_lines(properties))
        if count % FETCH_BATCH == 0:
            yield "".join(lines)
            lines.clear()
    lines.extend(ical.content_lines([("END", "VCALENDAR")]))
    yield "".join(lines)
