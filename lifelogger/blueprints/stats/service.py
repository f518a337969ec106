"""Where the time went: per-label totals over a range, aggregated in SQL."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, String, and_, bindparam, case, column, func, select, type_coerce, values
from flask_smorest import abort
from sqlalchemy.orm import aliased

from lifelogger.core import days
from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import Event, Label, User


def _clipped_seconds(user: User, window_start, window_end, now: int, windows=None):
    """The clip-and-seek rule, for a window given as two SQL expressions (epoch seconds).

    Returns ``(seconds, conditions)``: the seconds of an event inside the window
    (clipped to it; a running event counts up to now) and the conditions that
    select the events touching it. Events never overlap, so the only event
    starting before the window that can reach into it is the latest one: the
    scan starts there and stays inside the window's index entries, whatever
    the size of the log. ``windows``: the FROM the window's columns come from, if any.
    """
    started = type_coerce(Event.started_at, BigInteger)
    ended = func.coalesce(type_coerce(Event.ended_at, BigInteger), now)
    clipped_start = case((started < window_start, window_start), else_=started)
    clipped_end = case((ended > window_end, window_end), else_=ended)
    earlier = aliased(Event)
    latest_start_before_window = (
        select(type_coerce(earlier.started_at, BigInteger))
        .where(earlier.user_id == user.id, type_coerce(earlier.started_at, BigInteger) <= window_start)
        .order_by(earlier.started_at.desc())
        .limit(1)
    )
    if windows is not None:
        latest_start_before_window = latest_start_before_window.correlate(windows)
    latest_start_before_window = latest_start_before_window.scalar_subquery()
    conditions = (
        Event.user_id == user.id,
        started >= func.coalesce(latest_start_before_window, window_start),
        started < window_end,
        ended > window_start,
    )
    return func.sum(clipped_end - clipped_start), conditions


def _seconds_per_label_in(user: User, start: int, end: int) -> dict[str, int]:
    """Seconds per label inside ``[start, end)`` (epoch seconds): one aggregate with bound parameters."""
    seconds, conditions = _clipped_seconds(
        user, bindparam("window_start", start, BigInteger), bindparam("window_end", end, BigInteger), timeutil.to_epoch(timeutil.now())
    )
    query = select(Label.name, seconds).join(Label, Label.id == Event.label_id).where(*conditions).group_by(Label.name)
    return {name: int(total) for name, total in db.session.execute(query) if total and total > 0}


def _seconds_per_day(user: User, windows: list[tuple[str, int, int]]) -> dict[str, dict[str, int]]:
    """Seconds per label inside each day window ``(key, start, end)``, in one query.

    The windows travel as a VALUES list and each is joined to the events that
    touch it (``_clipped_seconds``): the cost grows with days + events in
    them, not days × events. The values are written into the SQL: no
    parameter limit for ten years of days, and SQLite plans the seeks best on
    literals.
    """
    result: dict[str, dict[str, int]] = {key: {} for key, _start, _end in windows}
    if not windows:
        return result
    window = (
        values(
            column("key", String), column("window_start", BigInteger), column("window_end", BigInteger),
            name="windows", literal_binds=True,
        )
        .data(windows)
        .cte("windows")
    )
    seconds, conditions = _clipped_seconds(user, window.c.window_start, window.c.window_end, timeutil.to_epoch(timeutil.now()), window)
    query = (
        select(window.c.key, Label.name, seconds)
        .select_from(window)
        .join(Event, and_(*conditions))
        .join(Label, Label.id == Event.label_id)
        .group_by(window.c.key, Label.name)
    )
    for key, name, total in db.session.execute(query):
        if total and total > 0:
            result[key][name] = int(total)
    return result


def _largest_first(seconds: dict[str, int]) -> list[tuple[str, int]]:
    """Labels by time spent, most first; ties in label order (case-insensitive)."""
    return sorted(seconds.items(), key=lambda item: (-item[1], item[0].casefold()))


def seconds_per_label(user: User, start: datetime, end: datetime) -> dict[str, int]:
    """Seconds logged per label inside ``[start, end)``, each event clipped to the range.

    A running event counts up to now, never past ``end``.
    """
    return _seconds_per_label_in(user, timeutil.to_epoch(start), timeutil.to_epoch(end))


def breakdown(user: User, start: datetime, end: datetime) -> dict:
    """Percentages of the logged total and minutes per label, rounded to 2 decimals."""
    ordered = _largest_first(seconds_per_label(user, start, end))
    total = sum(value for _name, value in ordered)
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

    The day boundaries are computed here (DST-correct); the minutes come from
    the same clip-and-seek rule as ``seconds_per_label`` (``_clipped_seconds``), one window per day.
    Days without time are listed with ``{}``.
    """
    if tz is None:
        tz = user.timezone
        if day_starts_at is None:
            day_starts_at = user.day_starts_at
    try:
        windows = day_windows(start, end, days.zone_named(tz), day_starts_at or 0)
    except days.BeyondTheCalendar as exc:
        abort(422, message=str(exc), errors={"query": {"end": [str(exc)]}})
    seconds = _seconds_per_day(user, [(day.isoformat(), day_start, day_end) for day, day_start, day_end in windows])
    return {
        "days": [
            {"date": date.fromisoformat(day), "minutes": {name: round(value / 60, 2) for name, value in _largest_first(per_label)}}
            for day, per_label in seconds.items()
        ]
    }
