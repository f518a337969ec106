"""A user's days and weeks: cut at their local day start, in their time zone, DST-correct.

A "day" runs from the day start (default 00:00, e.g. 04:00 for night owls)
to the next day's start, in local wall-clock time, so it lasts 23 or 25
hours on the days the clocks change. Weeks start on Monday.
"""
from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from importlib import resources
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

from lifelogger.core import timeutil


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; ``ValueError`` with a helpful message if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the tz database ("Europe") or a name too long for a file.
        raise ValueError(f"Unknown time zone '{name}'; use an IANA name like Europe/Berlin.") from None


@functools.cache
def zone_choices() -> tuple[str, ...]:
    """The zones to offer in a list: one per region under its current name, and UTC.

    From the tz database's ``zone.tab`` (Asia/Kolkata, Europe/Kyiv: not the
    old aliases some browsers list), as shipped by the ``tzdata`` package or
    the system; every zone the server knows when neither has the file.
    """
    text = None
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for folder in TZPATH:
            try:
                with open(f"{folder}/zone.tab", encoding="utf-8") as handle:
                    text = handle.read()
                break
            except OSError:
                continue
    if text is None:
        names = available_timezones()
    else:
        names = {line.split("\t")[2] for line in text.splitlines() if line and not line.startswith("#")}
    return tuple(sorted(name for name in names | {"UTC"} if _loads(name)))


def _loads(name: str) -> bool:
    try:
        zone_named(name)
    except ValueError:
        return False
    return True


def day_start(day: date, zone: ZoneInfo, starts_at_minutes: int = 0) -> datetime:
    """The UTC instant at which ``day`` begins for someone in ``zone``."""
    local = datetime.combine(day, time()) + timedelta(minutes=starts_at_minutes)
    return local.replace(tzinfo=zone).astimezone(timeutil.UTC)


def day_of(instant: datetime, zone: ZoneInfo, starts_at_minutes: int = 0) -> date:
    """The (local) day an instant belongs to."""
    local = instant.astimezone(zone).replace(tzinfo=None)
    return (local - timedelta(minutes=starts_at_minutes)).date()


def current_day(now: datetime, zone: ZoneInfo, starts_at_minutes: int = 0) -> tuple[datetime, datetime]:
    """``[start, end)`` of the day containing ``now``."""
    today = day_of(now, zone, starts_at_minutes)
    return day_start(today, zone, starts_at_minutes), day_start(today + timedelta(days=1), zone, starts_at_minutes)


def current_week(now: datetime, zone: ZoneInfo, starts_at_minutes: int = 0) -> tuple[datetime, datetime]:
    """``[start, end)`` of the Monday-based week containing ``now``."""
    today = day_of(now, zone, starts_at_minutes)
    monday = today - timedelta(days=today.weekday())
    return day_start(monday, zone, starts_at_minutes), day_start(monday + timedelta(days=7), zone, starts_at_minutes)


class BeyondTheCalendar(ValueError):
    """A local day of the range (or the day after it) falls outside years 1 to 9999."""


def days_between(start: datetime, end: datetime, zone: ZoneInfo, starts_at_minutes: int = 0) -> list[tuple[date, datetime, datetime]]:
    """Every local day overlapping ``[start, end)`` as (day, its start, its end), UTC instants.

    Raises ``BeyondTheCalendar`` when one of those days, or the end of the last,
    cannot be written as a date (e.g. 9999-12-31 in UTC+14 ends in year 10000).
    """
    try:
        return _days_between(start, end, zone, starts_at_minutes)
    except OverflowError:
        raise BeyondTheCalendar(
            f"In {zone.key} the days of this range run past the calendar's last day (9999-12-31) "
            "or before its first; choose an earlier end, a later start, or another time zone."
        ) from None


def _days_between(start: datetime, end: datetime, zone: ZoneInfo, starts_at_minutes: int) -> list[tuple[date, datetime, datetime]]:
    days = []
    day = day_of(start, zone, starts_at_minutes)
    while True:
        begins = day_start(day, zone, starts_at_minutes)
        if begins >= end and days:
            break
        ends = day_start(day + timedelta(days=1), zone, starts_at_minutes)
        if ends > start:
            days.append((day, begins, ends))
        if ends >= end:
            break
        day += timedelta(days=1)
    return days
