"""Where the time went: per-label totals over a range, aggregated in SQL."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, String, and_, bindparam, case, column, func, select, type_coerce, values
from sqlalchemy.orm import aliased

from lifelogger.core import days
from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import Event, Label, User


def _seconds_per_label_query():
    """The aggregate behind ``seconds_per_label``, with its inputs as bound parameters.

    Events never overlap, so the only event starting before ``range_start``
    that can reach into the range is the latest one: the scan starts there
    and stays inside the range's index entries, whatever the size of the log.
    Built once, on Core tables: constructing it, or the ORM's handling of its
    result, cost more than running it for a short range.
    """
    events, labels = Event.__table__, Label.__table__
    user_id, range_start, range_end, now = (
        bindparam(name, type_=BigInteger) for name in ("user_id", "range_start", "range_end", "now")
    )
    started = type_coerce(events.c.started_at, BigInteger)
    ended = func.coalesce(type_coerce(events.c.ended_at, BigInteger), now)
    clipped_start = case((started < range_start, range_start), else_=started)
    clipped_end = case((ended > range_end, range_end), else_=ended)
    first_overlapping_start = (
        select(started)
        .where(events.c.user_id == user_id, started <= range_start)
        .order_by(events.c.started_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(labels.c.name, func.sum(clipped_end - clipped_start))
        .join(labels, labels.c.id == events.c.label_id)
        .where(
            events.c.user_id == user_id,
            started >= func.coalesce(first_overlapping_start, range_start),
            started < range_end,
            ended > range_start,
        )
        .group_by(labels.c.name)
    )


_SECONDS_PER_LABEL = _seconds_per_label_query()


def seconds_per_label(user: User, start: datetime, end: datetime) -> dict[str, int]:
    """Seconds logged per label inside ``[start, end)``, each event clipped to the range.

    A running event counts up to now, never past ``end``. One SQL aggregate
    (see ``_seconds_per_label_query``), whatever the size of the log.
    """
    params = {
        "user_id": user.id,
        "range_start": timeutil.to_epoch(start),
        "range_end": timeutil.to_epoch(end),
        "now": timeutil.to_epoch(timeutil.now()),
    }
    rows = db.session.execute(_SECONDS_PER_LABEL, params)
    return {name: int(seconds) for name, seconds in rows if seconds and seconds > 0}


def breakdown(user: User, start: datetime, end: datetime) -> dict:
    """Percentages of the logged total and minutes per label, rounded to 2 decimals."""
    seconds = seconds_per_label(user, start, end)
    total = sum(seconds.values())
    ordered = sorted(seconds.items(), key=lambda item: (-item[1], item[0].casefold()))
    return {
        "percentages": {name: round(100 * value / total, 2) for name, value in ordered},
        "minutes": {name: round(value / 60, 2) for name, value in ordered},
    }


# --- Per-day breakdown (GET /stats/daily) ------------------------------------


def day_windows(start: datetime, end: datetime, tz: ZoneInfo, starts_at_minutes: int = 0) -> list[tuple[date, int, int]]:
    """The local days of ``tz`` that meet ``[start, end)``, as (date, window start, window end).

    Days are cut at ``starts_at_minutes`` after local midnight (``lifelogger.days``),
    so a day lasts 23 or 25 hours across a DST change and starts at the
    transition where its start itself is skipped; the first and last windows
    are clipped to the range. Windows are epoch seconds.
    """
    windows = []
    for day, day_start, day_end in days.days_between(start, end, tz, starts_at_minutes):
        window_start, window_end = max(day_start, start), min(day_end, end)
        if window_end > window_start:
            windows.append((day, timeutil.to_epoch(window_start), timeutil.to_epoch(window_end)))
    return windows


def daily_minutes(
    user: User, start: datetime, end: datetime, tz: str | None = None, day_starts_at: int | None = None
) -> dict:
    """Minutes per label for each local day in ``[start, end)``, in one SQL query.

    Without ``tz`` the days are the user's own: their profile's zone, cut at
    their day start. With ``tz`` they are that zone's calendar days (cut at
    midnight), unless ``day_starts_at`` (minutes after midnight) says otherwise.

    The day boundaries (computed here, DST-correct) travel as a VALUES list.
    For each day the database seeks the events that can touch it, using the
    (user, started_at) index: events never overlap, so they are the latest one
    starting at or before the day's start and those starting inside the day.
    Each is clipped to the day and the seconds are summed per (day, label).
    The cost grows with days + events in the range, not days × events.
    Days without time are listed with ``{}``.
    """
    if tz is None:
        tz = user.timezone
        if day_starts_at is None:
            day_starts_at = user.day_starts_at
    windows = day_windows(start, end, days.zone_named(tz), day_starts_at or 0)
    if not windows:
        return {"days": []}
    now = timeutil.to_epoch(timeutil.now())
    day_rows = (
        values(
            column("day", String), column("day_start", BigInteger), column("day_end", BigInteger),
            name="days", literal_binds=True,  # integers and ISO dates made here: no parameter limit
        )
        .data([(day.isoformat(), day_start, day_end) for day, day_start, day_end in windows])
        .cte("days")
    )
    started = type_coerce(Event.started_at, BigInteger)
    ended = func.coalesce(type_coerce(Event.ended_at, BigInteger), now)
    clipped_start = case((started < day_rows.c.day_start, day_rows.c.day_start), else_=started)
    clipped_end = case((ended > day_rows.c.day_end, day_rows.c.day_end), else_=ended)
    earlier = aliased(Event)
    latest_start_before_day = (
        select(type_coerce(earlier.started_at, BigInteger))
        .where(earlier.user_id == user.id, type_coerce(earlier.started_at, BigInteger) <= day_rows.c.day_start)
        .order_by(earlier.started_at.desc())
        .limit(1)
        .correlate(day_rows)
        .scalar_subquery()
    )
    query = (
        select(day_rows.c.day, Label.name, func.sum(clipped_end - clipped_start))
        .select_from(day_rows)
        .join(
            Event,
            and_(
                Event.user_id == user.id,
                started >= func.coalesce(latest_start_before_day, day_rows.c.day_start),
                started < day_rows.c.day_end,
                ended > day_rows.c.day_start,
            ),
        )
        .join(Label, Label.id == Event.label_id)
        .group_by(day_rows.c.day, Label.name)
    )
    seconds: dict[str, dict[str, int]] = {day.isoformat(): {} for day, _start, _end in windows}
    for day, name, total in db.session.execute(query):
        if total and total > 0:
            seconds[day][name] = int(total)
    return {
        "days": [
            {
                "date": date.fromisoformat(day),
                "minutes": {
                    name: round(value / 60, 2)
                    for name, value in sorted(per_label.items(), key=lambda item: (-item[1], item[0].casefold()))
                },
            }
            for day, per_label in seconds.items()
        ]
    }
