"""Moving a user's data out (streamed) and in (all or nothing, with a per-row report)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime

from flask_smorest import abort
from marshmallow import ValidationError
from sqlalchemy import exists, select

from lifelogger import timeutil
from lifelogger.days import zone_named
from lifelogger.blueprints.labels.schemas import LabelSchema
from lifelogger.blueprints.events.service import describe, overlapping_event, time_problems
from lifelogger.blueprints.labels.service import find_label, label_count, most_labels
from lifelogger.blueprints.transfer import formats
from lifelogger.extensions import db
from lifelogger.models import Event, Label, User, bytewise

EXPORT_BATCH = 1000
CSV_HEADER = ["label", "started_at", "ended_at", "duration_minutes"]


# --- export -----------------------------------------------------------------------------


def _events_for_export(user: User, start: datetime | None, end: datetime | None):
    """The user's events (in range), oldest first, fetched in batches, never all at once."""
    query = select(Event).where(Event.user_id == user.id)
    if start is not None:
        query = query.where(Event.started_at >= start, Event.started_at < end)
    query = query.order_by(Event.started_at, Event.id).execution_options(yield_per=EXPORT_BATCH)
    return db.session.scalars(query)


def export_json(user: User, start: datetime | None = None, end: datetime | None = None) -> Iterator[str]:
    """Chunks of the Life Logger JSON export: labels and events, readable by POST /import.

    Deterministic (no export timestamp, fixed order), so exporting what an
    import of this file created gives the same bytes.
    """
    labels = db.session.scalars(select(Label.name).where(Label.user_id == user.id).order_by(bytewise(Label.name_key), bytewise(Label.name))).all()
    yield '{"format": "lifelogger", "version": 1, "labels": ' + json.dumps(labels, ensure_ascii=False) + ', "events": ['
    separator = "\n"
    for event in _events_for_export(user, start, end):
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


def export_csv(user: User, start: datetime | None = None, end: datetime | None = None) -> Iterator[str]:
    """Chunks of a CSV export; the note column is there when the user has notes."""
    has_notes = db.session.scalar(select(exists().where(Event.user_id == user.id, Event.note.is_not(None))))
    header = CSV_HEADER + (["note"] if has_notes else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, event in enumerate(_events_for_export(user, start, end), start=1):
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

    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
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

    # Oldest first: each event is checked against everything before it,
    # in the database and in the file (flushed rows are visible to the checks).
    from_file: dict[Event, int] = {}
    for row in sorted(readable, key=lambda r: (r.started_at, r.row)):
        label = label_for(row.label)
        db.session.flush()
        if _is_duplicate(user, label, row):
            report["skipped_duplicates"] += 1
            continue
        clash = overlapping_event(user, row.started_at, row.ended_at)
        if clash is not None:
            where = f"row {from_file[clash]} of this file" if clash in from_file else f"your {describe(clash)}"
            refuse(row.row, f"Overlaps {where}.")
            continue
        event = Event(
            user_id=user.id,
            label_ref=label,
            started_at=row.started_at,
            ended_at=row.ended_at,
            note=row.note,
            source_id=row.source_id,
        )
        db.session.add(event)
        from_file[event] = row.row
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
        db.session.commit()
    return report


def _label_problem(name) -> str | None:
    try:
        LabelSchema().load({"name": name})
    except ValidationError as exc:
        return " ".join(exc.messages["name"])
    return None


def _row_problem(row: formats.ImportRow, now: datetime) -> str | None:
    if (problem := _label_problem(row.label)) is not None:
        return f"Label '{row.label[:70]}': {problem}"
    if row.note is not None and len(row.note) > 2000:
        return "The note is longer than 2,000 characters."
    problems = time_problems(row.started_at, row.ended_at, now)
    return " ".join(problems.values()) or None


def _is_duplicate(user: User, label: Label, row: formats.ImportRow) -> bool:
    ended = Event.ended_at.is_(None) if row.ended_at is None else Event.ended_at == row.ended_at
    query = select(Event.id).where(
        Event.user_id == user.id, Event.started_at == row.started_at, ended, Event.label_id == label.id
    )
    return label.id is not None and db.session.scalar(query.limit(1)) is not None


