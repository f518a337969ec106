"""Moving a user's data out (streamed) and in (all or nothing, with a per-row report)."""
from __future__ import annotations

import csv
import functools
import io
import json
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_smorest import abort
from marshmallow import ValidationError
from sqlalchemy import exists, insert, literal, select

from lifelogger.api.fields import NoteText
from lifelogger.api.schemas import NOTE
from lifelogger.core import timeutil
from lifelogger.core.days import zone_named
from lifelogger.blueprints.labels.schemas import LabelSchema
from lifelogger.blueprints.events.service import describe, overlaps, time_problems
from lifelogger.blueprints.labels.service import find_label, label_count, label_names, most_labels
from lifelogger.blueprints.transfer import formats
from lifelogger.blueprints.transfer.clipping import clipped_events
from lifelogger.db import db
from lifelogger.db.models import Event, Label, User, note_key

EXPORT_BATCH = 1000
INSERT_BATCH = 5000  # rows per bulk INSERT: the values of one batch at a time in memory
CSV_HEADER = ["label", "started_at", "ended_at", "duration_minutes"]


# --- export -----------------------------------------------------------------------------


def _events_for_export(user: User, start: datetime | None, end: datetime | None, clip: bool = False):
    """The user's events (in range), oldest first, fetched in batches, never all at once."""
    if clip and start is not None:
        return clipped_events(user, start, end)  # overlapping events, cut to the range (transfer/clipping.py)
    query = select(Event).where(Event.user_id == user.id)
    if start is not None:
        query = query.where(Event.started_at >= start, Event.started_at < end)
    query = query.order_by(Event.started_at, Event.id).execution_options(yield_per=EXPORT_BATCH)
    return db.session.scalars(query)


def export_json(user: User, start: datetime | None = None, end: datetime | None = None, clip: bool = False) -> Iterator[str]:
    """Chunks of the Life Logger JSON export: labels and events, readable by POST /import.

    Deterministic (no export timestamp, fixed order), so exporting what an
    import of this file created gives the same bytes.
    """
    labels = label_names(user)
    yield '{"format": "lifelogger", "version": 1, "labels": ' + json.dumps(labels, ensure_ascii=False) + ', "events": ['
    separator = "\n"
    for event in _events_for_export(user, start, end, clip):
        item = {
            "source_id": event.original_id,
            "label": event.label,
            "started_at": timeutil.format_instant(event.started_at),
            "ended_at": timeutil.format_instant(event.ended_at) if event.ended_at else None,
            "note": event.note,
        }
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def export_csv(user: User, start: datetime | None = None, end: datetime | None = None, clip: bool = False) -> Iterator[str]:
    """Chunks of a CSV export; the note column is there when the user has notes."""
    has_notes = db.session.scalar(select(exists().where(Event.user_id == user.id, Event.note.is_not(None))))
    header = CSV_HEADER + (["note"] if has_notes else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, event in enumerate(_events_for_export(user, start, end, clip), start=1):
        ended = timeutil.format_instant(event.ended_at) if event.ended_at else ""
        minutes = round((event.ended_at - event.started_at).total_seconds() / 60, 2) if event.ended_at else ""
        row = [event.label, timeutil.format_instant(event.started_at), ended, minutes]
        writer.writerow(row + ([event.note or ""] if has_notes else []))
        if count % EXPORT_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- import -----------------------------------------------------------------------------


def import_formats() -> list[formats.Format]:
    """The formats the importer reads, in the order a person is offered them."""
    return list(formats.FORMATS.values())


def import_file(user: User, data: bytes, format: str, timezone: str | None = None, dry_run: bool = False) -> dict:
    """Import a file in one transaction: everything, or (on any row error) nothing.

    Labels are created as needed; a row equal to an existing event (label,
    start, end) is skipped as a duplicate; a row overlapping another event
    (existing or earlier in the file) is an error naming it.
    """
    zone = zone_named(timezone) if timezone else None
    try:
        label_names, rows = formats.read(format, data, zone)
    except formats.FileError as exc:
        abort(422, message=f"The file cannot be imported: {exc}", errors={"file": [str(exc)]})

    user.lock()
    report = {"dry_run": dry_run, "imported": 0, "skipped_duplicates": 0, "labels_created": [], "errors": []}
    labels: dict[str, Label] = {}
    now = timeutil.now()

    def label_for(name: str) -> Label | None:
        key = name.casefold()
        if key not in labels:
            existing = find_label(user, name)
            if existing is None:
                existing = Label(user_id=user.id, name=name)
                db.session.add(existing)
                report["labels_created"].append(name)
            labels[key] = existing
        return labels[key]

    def refuse(row: int, message: str) -> None:
        report["errors"].append({"row": row, "message": message})

    for name in label_names:
        if _label_problem(name) is None:
            label_for(name.strip())

    readable = []
    for row in rows:
        if isinstance(row, formats.RowError):
            refuse(row.row, row.message)
        elif (problem := _row_problem(row, now)) is not None:
            refuse(row.row, problem)
        else:
            readable.append(row)
    readable.sort(key=lambda r: (r.started_at, r.row))

    # Oldest first, each row is checked against the log and the rows accepted
    # before it: one query for the part of the log the file spans, then the
    # checks in memory (a query and a flush per row took ~1 ms a row: a
    # 250,000-row file ran for minutes, past any worker timeout).
    log = _log_around(user, readable)
    log_starts = [event.started_at for event in log]
    seen = {(event.label_id, event.started_at, event.ended_at) for event in log}
    accepted: list[tuple[formats.ImportRow, Label]] = []
    for row in readable:
        label = label_for(row.label)
        key = (label.id if label.id is not None else id(label), row.started_at, row.ended_at)
        if key in seen:
            report["skipped_duplicates"] += 1
            continue
        # The latest event starting before this row ends: in the log (a bisection),
        # or the last row accepted (it started no later than this one).
        before_end = bisect_left(log_starts, row.ended_at) if row.ended_at is not None else len(log)
        latest = log[before_end - 1] if before_end else None
        if accepted and (latest is None or accepted[-1][0].started_at >= latest.started_at):
            latest = accepted[-1][0]
        if overlaps(latest, row.started_at):
            where = f"row {latest.row} of this file" if isinstance(latest, formats.ImportRow) else f"your {describe(latest)}"
            refuse(row.row, f"Overlaps {where}.")
            continue
        accepted.append((row, label))
        seen.add(key)
        report["imported"] += 1

    report["errors"].sort(key=lambda error: error["row"])
    if report["labels_created"] and not report["errors"]:
        db.session.flush()
        if label_count(user) > most_labels():
            db.session.rollback()
            message = (
                f"This file would give you {len(report['labels_created'])} new labels, more than the "
                f"{most_labels()} allowed in all; nothing was imported."
            )
            abort(422, message=message, errors={"file": [message]})
    if report["errors"]:
        db.session.rollback()
        count = len(report["errors"])
        abort(
            422,
            message=f"{count} row{'s' if count > 1 else ''} cannot be imported, so nothing was. Fix them (see 'errors') and import again.",
            errors=report.pop("errors"),
            extra=report,
        )
    if dry_run:
        db.session.rollback()
    else:
        _insert_events(user, accepted)
        db.session.commit()
    return report


def _insert_events(user: User, accepted: list[tuple[formats.ImportRow, Label]]) -> None:
    """Write the accepted rows in bulk: multi-row INSERTs, no ORM object per event."""
    db.session.flush()  # new labels get their ids
    for first in range(0, len(accepted), INSERT_BATCH):
        values = [
            {
                "user_id": user.id,
                "label_id": label.id,
                "started_at": row.started_at,
                "ended_at": row.ended_at,
                "note": row.note or None,
                "note_key": note_key(row.note),
                "source_id": row.source_id,
            }
            for row, label in accepted[first : first + INSERT_BATCH]
        ]
        db.session.execute(insert(Event), values)


@functools.lru_cache(maxsize=1024)  # a file names few labels, in many rows
def _label_problem(name) -> str | None:
    try:
        LabelSchema().load({"name": name})
    except ValidationError as exc:
        return " ".join(exc.messages["name"])
    return None


# The API's own note field: the same length and the same characters, refused alike.
_NOTE = NoteText(**NOTE)


def _note_problem(note: str | None) -> str | None:
    try:
        _NOTE.deserialize(note)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _row_problem(row: formats.ImportRow, now: datetime) -> str | None:
    if (problem := _label_problem(row.label)) is not None:
        return f"Label '{row.label[:70]}': {problem}"
    if (problem := _note_problem(row.note)) is not None:
        return f"Note: {problem}"
    problems = time_problems(row.started_at, row.ended_at, now)
    return " ".join(problems.values()) or None


@dataclass(frozen=True)
class _LoggedEvent:
    """An event already in the log, as the import's checks and messages need it."""

    id: int
    label_id: int
    label: str
    started_at: datetime
    ended_at: datetime | None


def _log_around(user: User, rows: list[formats.ImportRow]) -> list[_LoggedEvent]:
    """The user's events that could equal or overlap a row, oldest first.

    That is every event starting before the last row ends, from the latest one
    starting at or before the first row's start (an earlier one ended before it).
    """
    if not rows:
        return []
    first_start = rows[0].started_at
    query = (
        select(Event.id, Event.label_id, Label.name, Event.started_at, Event.ended_at)
        .join(Label, Label.id == Event.label_id)
        .where(Event.user_id == user.id)
        .order_by(Event.started_at, Event.id)
    )
    reaching_in = select(Event.started_at).where(Event.user_id == user.id, Event.started_at <= first_start)
    reaching_in = reaching_in.order_by(Event.started_at.desc()).limit(1).scalar_subquery()
    # Typed as the column, so the instant is bound as stored (epoch seconds), not as text.
    query = query.where(Event.started_at >= db.func.coalesce(reaching_in, literal(first_start, Event.started_at.type)))
    ends = [row.ended_at for row in rows]
    if None not in ends:
        query = query.where(Event.started_at < max(ends))
    return [_LoggedEvent(*values) for values in db.session.execute(query)]
