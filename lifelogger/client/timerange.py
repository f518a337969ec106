"""Ranges in the user's local time, sent to the server as UTC instants."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone


def local_now() -> datetime:
    return datetime.now().astimezone()


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in the local time zone (DST-correct via the OS)."""
    return datetime.combine(day, time()).astimezone()


def parse_when(text: str, *, end_of_day: bool = False) -> datetime:
    """``YYYY-MM-DD`` (local midnight; the next one with ``end_of_day``) or an ISO instant."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.astimezone()
    return local_midnight(day + timedelta(days=1) if end_of_day else day)


def preset(name: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """today / week (Monday-based) / month, from local midnight to now."""
    now = now or local_now()
    today = now.date()
    if name == "today":
        start = today
    elif name == "week":
        start = today - timedelta(days=today.weekday())
    elif name == "month":
        start = today.replace(day=1)
    else:
        raise ValueError(name)
    return local_midnight(start), local_midnight(today + timedelta(days=1))


def utc_iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def local_text(iso: str | None) -> str:
    """An API instant shown in local time, e.g. '2026-03-24 10:00'."""
    if iso is None:
        return "running"
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def hours_minutes(minutes: float) -> str:
    whole = int(round(minutes))
    return f"{whole // 60}:{whole % 60:02d}"
