"""Event rules: one running event per user, no overlaps, nothing in the future.

Every write locks the user's row first (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite the request's ``BEGIN IMMEDIATE`` already serialises
writers), so two requests of one user cannot both see "nothing running" or
"no overlap" and both write.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_smorest import abort
from sqlalchemy import BigInteger, Select, bindparam, or_, select, type_coerce

from lifelogger.core import timeutil
from lifelogger.blueprints.events.cursor import encode_cursor
from lifelogger.blueprints.labels.service import find_label
from lifelogger.db import clock, db
from lifelogger.db.models import Event, Label, User


def _label_for_event(user: User, name: str) -> Label:
    label = find_label(user, name)
    if label is None:
        abort(
            422,
            message=f"'{name}' is not in your label set; add it with POST /labels first.",
            errors={"json": {"label": [f"'{name}' is not in your label set."]}},
        )
    return label


@dataclass(frozen=True)
class EventRows:
    """A listing: rows of ``(id, label, started_at, ended_at, note)``, instants as
    epoch seconds, oldest first.

    ``paged`` when the client asked for a page; ``next`` is then the cursor
    after the last row, or None on the last page.
    """

    rows: Iterable[tuple[int, str, int, int | None, str | None]]
    paged: bool = False
    next: str | None = None


def _listing_queries() -> tuple[Select, Select]:
    """The listing's SELECTs, whole and paged, with their inputs as bound parameters.

    Core tables rather than ORM entities (no per-row ORM processing), and
    instants as plain integers rather than datetimes: the listing formats
    them straight to text. Built once: construction costs more than a short
    range's query.
    """
    events, labels = Event.__table__, Label.__table__
    started = type_coerce(events.c.started_at, BigInteger)
    ended = type_coerce(events.c.ended_at, BigInteger)
    whole = (
        select(events.c.id, labels.c.name, started, ended, events.c.note)
        .join(labels, labels.c.id == events.c.label_id)
        .where(
            events.c.user_id == bindparam("user_id"),
            started >= bindparam("range_start", type_=BigInteger),
            started < bindparam("range_end", type_=BigInteger),
        )
        .order_by(started, events.c.id)
    )
    # A page starts strictly after the cursor's (started_at, id); range_start
    # is then the later of the range's start and the cursor's, so the index
    # seek starts at the cursor and a late page costs what the first one does.
    paged = whole.where(
        or_(started > bindparam("after_start", type_=BigInteger), events.c.id > bindparam("after_id"))
    ).limit(bindparam("limit"))
    return whole, paged


_LISTING, _LISTING_PAGE = _listing_queries()


def list_events(
    user: User,
    start: datetime,
    end: datetime,
    q: str | None = None,
    limit: int | None = None,
    cursor: tuple[int, int] | None = None,
) -> EventRows:
    """The user's events starting in ``[start, end)``, ordered by ``(started_at, id)``.

    With ``q``, only those whose note or label contains it, ignoring case
    (compared on the casefolded copies kept beside note and label name). With
    ``limit``, one page of at most that many events after ``cursor`` (the
    position ``(started_at, id)`` of the previous page's last event).
    """
    params = {"user_id": user.id, "range_start": timeutil.to_epoch(start), "range_end": timeutil.to_epoch(end)}
    query = _LISTING if limit is None else _LISTING_PAGE
    if q:
        key = q.casefold()
        events, labels = Event.__table__, Label.__table__
        query = query.where(or_(events.c.note_key.contains(key, autoescape=True), labels.c.name_key.contains(key, autoescape=True)))
    if limit is None:
        # Iterated, not fetched whole: each row is gone once written, so a year's
        # thousands of rows never pile up long enough to reach the collector's
        # oldest generation (a full collection then scans the whole app).
        return EventRows(db.session.execute(query, params))
    after_start, after_id = cursor if cursor is not None else (params["range_start"] - 1, 0)
    params.update(range_start=max(params["range_start"], after_start), after_start=after_start, after_id=after_id, limit=limit + 1)
    rows = db.session.execute(query, params).all()
    if len(rows) <= limit:
        return EventRows(rows, paged=True)
    rows = rows[:limit]
    last_id, _label, last_start, _ended, _note = rows[-1]
    return EventRows(rows, paged=True, next=encode_cursor(last_start, last_id))


def running_event_for(user: User) -> Event | None:
    """The user's running event, if any."""
    return db.session.scalar(select(Event).where(Event.user_id == user.id, Event.ended_at.is_(None)))


def get_event(user: User, event_id: int) -> Event:
    """The user's event with this id; 404 for a missing id or another user's."""
    event = db.session.scalar(select(Event).where(Event.id == event_id, Event.user_id == user.id))
    if event is None:
        abort(404, message=f"You have no event with id {event_id}.")
    return event


def start_event(user: User, label: str, note: str | None = None, started_at: datetime | None = None) -> Event:
    """Start an event (now, or at a past ``started_at``), stopping the running one at that instant.

    A past start (a tap queued offline) may not be in the future, nor before
    the running event's start, nor overlap a finished event. A start in the
    same second as the running event's start replaces that event (a corrected
    mis-tap): it would otherwise last zero seconds.
    """
    user.lock()
    label_row = _label_for_event(user, label)
    started_at = started_at or clock.database_now()
    _check_times(started_at, None)
    running = running_event_for(user)
    if running is not None:
        _refuse_before_running_start(running, started_at, "started_at", "Before the running event's start.")
        if started_at == running.started_at:
            db.session.delete(running)
        else:
            running.ended_at = started_at
        # The partial unique index allows one running event: write the stop first.
        db.session.flush()
    else:
        _check_no_overlap(user, started_at, None)
    event = Event(user_id=user.id, label_ref=label_row, started_at=started_at, note=note)
    db.session.add(event)
    db.session.commit()
    return event


def _refuse_before_running_start(running: Event, instant: datetime, field: str, short: str) -> None:
    """422 when a start or stop ``instant`` comes before the running event began."""
    if instant < running.started_at:
        abort(422, message=f"{field} is before the running {describe(running)} started.", errors={"json": {field: [short]}})


def stop_event(user: User, ended_at: datetime | None = None) -> Event:
    """Stop the running event now (or at a past ``ended_at``); 409 when nothing is running.

    ``ended_at`` may not be in the future nor before the event's start. An
    event stopped within the second it started lasted no time: it is
    discarded, and the answer shows it with ``ended_at`` equal to ``started_at``.
    """
    user.lock()
    running = running_event_for(user)
    if running is None:
        abort(409, message="Nothing is running; start an event with POST /events/start.")
    ended_at = ended_at or clock.database_now()
    _refuse_before_running_start(running, ended_at, "ended_at", "Before the event's start.")
    if ended_at == running.started_at:
        db.session.delete(running)
        db.session.commit()
        running.ended_at = running.started_at
        return running
    _check_times(running.started_at, ended_at)
    running.ended_at = ended_at
    db.session.commit()
    return running


def is_suspect_forgotten(user: User, event: Event | None) -> bool:
    """True when the running event has run longer than the user's forgotten-timer threshold."""
    if event is None or event.ended_at is not None:
        return False
    return timeutil.now() - event.started_at >= timedelta(minutes=user.forgotten_after_minutes)


def create_event(user: User, label: str, started_at: datetime, ended_at: datetime, note: str | None = None) -> Event:
    """Log a finished event by hand."""
    user.lock()
    label_row = _label_for_event(user, label)
    _check_times(started_at, ended_at)
    _check_no_overlap(user, started_at, ended_at)
    event = Event(user_id=user.id, label_ref=label_row, started_at=started_at, ended_at=ended_at, note=note)
    db.session.add(event)
    db.session.commit()
    return event


def update_event(user: User, event_id: int, changes: dict) -> Event:
    """Change an event's label and/or times under the same rules as creating one.

    Setting ``ended_at`` on the running event stops it.
    """
    user.lock()
    event = get_event(user, event_id)
    if "label" in changes:
        event.label_ref = _label_for_event(user, changes["label"])
    if "note" in changes:
        event.note = changes["note"]
    started_at = changes.get("started_at", event.started_at)
    ended_at = changes.get("ended_at", event.ended_at)
    if "started_at" in changes or "ended_at" in changes:
        _check_times(started_at, ended_at)
        _check_no_overlap(user, started_at, ended_at, ignore=event)
        event.started_at, event.ended_at = started_at, ended_at
    db.session.commit()
    return event


def delete_event(user: User, event_id: int) -> None:
    """Delete one of the user's events."""
    user.lock()
    db.session.delete(get_event(user, event_id))
    db.session.commit()


def time_problems(started_at: datetime, ended_at: datetime | None, now: datetime) -> dict[str, str]:
    """What is wrong with an event's times (field -> message); empty when nothing is."""
    problems = {}
    if started_at > now:
        problems["started_at"] = "started_at is in the future."
    if ended_at is not None:
        if ended_at > now:
            problems["ended_at"] = "ended_at is in the future."
        elif ended_at <= started_at:
            problems["ended_at"] = "ended_at must be after started_at."
    return problems


def _check_times(started_at: datetime, ended_at: datetime | None) -> None:
    problems = time_problems(started_at, ended_at, clock.database_now())
    if problems:
        message = " ".join(problems.values())
        abort(422, message=f"Invalid event times: {message}", errors={"json": {f: [m] for f, m in problems.items()}})


def overlapping_event(user: User, started_at: datetime, ended_at: datetime | None, ignore: Event | None = None) -> Event | None:
    """The event of the user that ``[started_at, ended_at)`` would overlap, or None.

    Events never overlap, so only the latest event starting before
    ``ended_at`` can overlap: one index seek, whatever the log's size. A
    running event extends to "now and on", so it overlaps anything after its
    start; so does a new running event (``ended_at`` None).
    """
    query = select(Event).where(Event.user_id == user.id)
    if ended_at is not None:
        query = query.where(Event.started_at < ended_at)
    if ignore is not None:
        query = query.where(Event.id != ignore.id)
    latest = db.session.scalar(query.order_by(Event.started_at.desc()).limit(1))
    return latest if overlaps(latest, started_at) else None


def overlaps(latest, started_at: datetime) -> bool:
    """The overlap rule, given ``latest``: the latest event starting before the new one ends.

    Events never overlap, so that event is the only one that can: it does when it
    is still running or ends after the new one starts. (``overlapping_event``
    finds it with one index seek; the importer keeps it in memory.)
    """
    return latest is not None and (latest.ended_at is None or latest.ended_at > started_at)


def describe(event: Event) -> str:
    """'event 42 (Programming, 2026-03-24T09:00:00+00:00 to 2026-03-24T11:30:00+00:00)'."""
    until = timeutil.format_instant(event.ended_at) if event.ended_at else "now (running)"
    return f"event {event.id} ({event.label}, {timeutil.format_instant(event.started_at)} to {until})"


def _check_no_overlap(user: User, started_at: datetime, ended_at: datetime | None, ignore: Event | None = None) -> None:
    """409 when ``[started_at, ended_at)`` overlaps another of the user's events."""
    clash = overlapping_event(user, started_at, ended_at, ignore)
    if clash is not None:
        abort(409, message=f"This overlaps your {describe(clash)}.", errors={"json": {"overlaps": [clash.id]}})
