"""Where the time went: per-label totals over a range, aggregated in SQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, case, func, literal, select, type_coerce

from lifelogger import timeutil
from lifelogger.extensions import db
from lifelogger.models import Event, Label, User


def seconds_per_label(user: User, start: datetime, end: datetime) -> dict[str, int]:
    """Seconds logged per label inside ``[start, end)``, each event clipped to the range.

    A running event counts up to now, never past ``end``. Events never overlap,
    so the only event starting before ``start`` that can reach into the range
    is the latest one: the scan starts there and stays inside the range's
    index entries, whatever the size of the log.
    """
    range_start, range_end = timeutil.to_epoch(start), timeutil.to_epoch(end)
    now = timeutil.to_epoch(timeutil.now())
    started = type_coerce(Event.started_at, BigInteger)
    ended = func.coalesce(type_coerce(Event.ended_at, BigInteger), now)
    clipped_start = case((started < range_start, range_start), else_=started)
    clipped_end = case((ended > range_end, range_end), else_=ended)

    first_overlapping_start = (
        select(type_coerce(Event.started_at, BigInteger))
        .where(Event.user_id == user.id, type_coerce(Event.started_at, BigInteger) <= range_start)
        .order_by(Event.started_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(Label.name, func.sum(clipped_end - clipped_start))
        .join(Label, Label.id == Event.label_id)
        .where(
            Event.user_id == user.id,
            started >= func.coalesce(first_overlapping_start, literal(range_start, BigInteger)),
            started < range_end,
            ended > range_start,
        )
        .group_by(Label.name)
    )
    return {name: int(seconds) for name, seconds in db.session.execute(query) if seconds and seconds > 0}


def breakdown(user: User, start: datetime, end: datetime) -> dict:
    """Percentages of the logged total and minutes per label, rounded to 2 decimals."""
    seconds = seconds_per_label(user, start, end)
    total = sum(seconds.values())
    ordered = sorted(seconds.items(), key=lambda item: (-item[1], item[0].casefold()))
    return {
        "percentages": {name: round(100 * value / total, 2) for name, value in ordered},
        "minutes": {name: round(value / 60, 2) for name, value in ordered},
    }
