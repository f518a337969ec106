"""Moving a user's data out (streamed) and in (all or nothing, with a per-row report)."""
from __future__ import annotations

import csv
import functools
import io
import json
import logging
import secrets
import tempfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import IO
from datetime import datetime, timedelta

from flask_smorest import abort
from marshmallow import ValidationError
from sqlalchemy import BigInteger, column, delete, exists, func, insert, literal, select, table, type_coerce

from lifelogger.api.fields import Instant, NoteText
from lifelogger.api.schemas import NOTE
from lifelogger.core import timeutil
from lifelogger.core.csvcells import neutralise
from lifelogger.core.days import zone_named
from lifelogger.blueprints.labels.schemas import LabelSchema
from lifelogger.blueprints.events.service import describe, overlaps, running_event_for, time_problems
from lifelogger.blueprints.labels.service import label_names, most_labels
from lifelogger.blueprints.transfer import formats
from lifelogger.blueprints.transfer.clipping import clipped_events
from lifelogger.db import clock, db, let_other_writers_in, reading_only, start_writing
from lifelogger.db.models import Event, Goal, Label, User, label_key, normalize_label_name, note_key
from lifelogger.db.types import instant_text

log = logging.getLogger(__name__)

EXPORT_BATCH = 1000
EXPORT_IN_MEMORY_BYTES = 8 * 2**20  # a larger export is spooled to a temporary file on disk
INSERT_BATCH = 5000  # rows per bulk INSERT: the values of one batch at a time in memory
CSV_HEADER = ["label", "started_at", "ended_at", "duration_minutes"]


# --- export -----------------------------------------------------------------------------


def _events_for_export(user: User, start: datetime | None, end: datetime | None, clip: bool = False):
    """The user's events (in range), oldest first, as plain rows fetched in batches.

    (original id, label, started_at, ended_at, note, seconds), instants as the
    API's text (formatted by the database) and seconds the event lasted (None
    while running). Rows, not ORM objects, and formatting in SQL: building
    Event objects and datetimes took most of a heavy user's export time.
    """
    query = (
        select(
            func.coalesce(Event.source_id, Event.id),
            Label.name,
            instant_text(Event.started_at),
            instant_text(Event.ended_at),
            Event.note,
            type_coerce(Event.ended_at, BigInteger) - type_coerce(Event.started_at, BigInteger),
        )
        .join(Label, Label.id == Event.label_id)
        .where(Event.user_id == user.id)
    )
    if clip and start is not None:
        return _clipped_rows(user, start, end)
    if start is not None:
        query = query.where(Event.started_at >= start, Event.started_at < end)
    query = query.order_by(Event.started_at, Event.id)
    # Core, not the ORM session's execute: rows come straight from the driver,
    # a batch at a time (per-row fetching cost more than writing the row).
    # (Options for this statement only: Connection.execution_options would keep them.)
    result = db.session.connection().execute(query, execution_options={"yield_per": EXPORT_BATCH})
    return (row for batch in result.partitions() for row in batch)


def _clipped_rows(user: User, start: datetime, end: datetime):
    """``clipped_events`` (transfer/clipping.py) in the export's row shape."""
    for event in clipped_events(user, start, end):
        seconds = int((event.ended_at - event.started_at).total_seconds())
        started, ended = timeutil.format_instant(event.started_at), timeutil.format_instant(event.ended_at)
        yield event.original_id, event.label, started, ended, event.note, seconds


# A JSON string literal, as json.dumps(text, ensure_ascii=False) writes it (the C
# function it calls, without building an encoder per call).
_JSON_TEXT = encode_basestring


def export_json(user: User, start: datetime | None = None, end: datetime | None = None, clip: bool = False) -> Iterator[str]:
    """Chunks of the Life Logger JSON export: labels and events, readable by POST /import.

    Deterministic (no export timestamp, fixed order), so exporting what an
    import of this file created gives the same bytes.
    """
    labels = label_names(user)
    yield '{"format": "lifelogger", "version": 1, "labels": ' + json.dumps(labels, ensure_ascii=False) + ', "events": ['
    separator = "\n"
    lines = []
    label_text = functools.lru_cache(maxsize=None)(_JSON_TEXT)  # a user has few labels, many events
    # Each line as json.dumps(dict) wrote it (same keys, order and spacing), ~8x faster.
    for original_id, label, started, ended, note, _seconds in _events_for_export(user, start, end, clip):
        ended_text = f'"{ended}"' if ended is not None else "null"
        note_text = _JSON_TEXT(note) if note is not None else "null"
        lines.append(
            f'{separator}{{"source_id": {original_id}, "label": {label_text(label)}, '
            f'"started_at": "{started}", "ended_at": {ended_text}, "note": {note_text}}}'
        )
        separator = ",\n"
        if len(lines) == EXPORT_BATCH:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines) + "\n]}\n"


def export_csv(user: User, start: datetime | None = None, end: datetime | None = None, clip: bool = False) -> Iterator[str]:
    """Chunks of a CSV export; the note column is there when the user has notes.

    Text cells (label, note) are spreadsheet-safe (``core.csvcells.neutralise``).
    """
    has_notes = db.session.scalar(select(exists().where(Event.user_id == user.id, Event.note.is_not(None))))
    header = CSV_HEADER + (["note"] if has_notes else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, (_id, label, started, ended, note, seconds) in enumerate(_events_for_export(user, start, end, clip), start=1):
        minutes = round(seconds / 60, 2) if seconds is not None else ""
        row = [neutralise(label), started, ended or "", minutes]
        writer.writerow(row + ([neutralise(note or "")] if has_notes else []))
        if count % EXPORT_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_file(
    user: User, fmt: str, start: datetime | None = None, end: datetime | None = None, clip: bool = False
) -> tuple[IO[bytes], int]:
    """The whole export written to a temporary file first: the file, rewound, and its size.

    So an export either fails before its first byte (a JSON error) or is sent
    with a Content-Length, by which a client sees a cut-off download for what
    it is. The database transaction also ends before the download starts: a
    slow client holds a thread and a file, not a connection and a snapshot.
    """
    chunks = export_json if fmt == "json" else export_csv
    file = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY_BYTES)
    try:
        for chunk in chunks(user, start, end, clip):
            file.write(chunk.encode())
        size = file.tell()
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file, size


# --- import -----------------------------------------------------------------------------
# An import runs in two phases so the write lock is held only for writing:
# 1. check (a read-only transaction, no lock): read every row, apply the API's
#    rules to it, and decide duplicates, overlaps and the running event
#    against the log; a dry run ends here;
# 2. write (the locking transaction): decide again against the log as it is
#    now (in memory, fast: another request may have logged something since),
#    then bulk-insert labels and events and commit.

OVERLAP_POLICIES = ("refuse", "trim")
# The readers' date orders (formats.DATE_FORMATS once the readers define it).
DATE_FORMATS = formats.DATE_FORMATS
ERRORS_LISTED = 100  # a report lists at most this many errors (and trimmed rows); the totals count all


def import_formats() -> list[formats.Format]:
    """The formats the importer reads, in the order a person is offered them."""
    return list(formats.FORMATS.values())


class ImportRefused(Exception):
    """The import cannot go ahead; ``report`` says why (its ``errors``) and what was checked."""

    def __init__(self, message: str, report: dict):
        super().__init__(message)
        self.message, self.report = message, report


def import_file(
    user: User,
    data: bytes,
    format: str | None = None,
    timezone: str | None = None,
    dry_run: bool = False,
    date_format: str | None = None,
    overlaps: str = "refuse",
    *,
    in_callers_transaction: bool = False,
) -> dict:
    """Import a file: everything (as the policies say), or on any error nothing; 422 with the report then.

    ``in_callers_transaction``: check and write in the transaction already open,
    and leave the commit to the caller (``flask import`` creates the account in
    it: all of it is committed, or nothing), instead of checking first in a
    read-only transaction without the lock.
    """
    try:
        return _import(user, data, format, timezone, dry_run, date_format, overlaps, in_callers_transaction)
    except ImportRefused as refused:
        report = refused.report
        abort(422, message=refused.message, errors=report.pop("errors"), extra=report)


def _new_report(dry_run: bool, fmt: str | None, policy: str) -> dict:
    return {
        "dry_run": dry_run,
        "format": fmt,
        "overlaps": policy,
        "complete": True,
        "imported": 0,
        "skipped_duplicates": 0,
        "skipped_empty": 0,
        "trimmed": [],
        "trimmed_total": 0,
        "skipped_trimmed_away": 0,
        "running_started": None,
        "skipped_running": [],
        "trim_preview": {"rows": 0, "min_seconds": None, "max_seconds": None, "skipped": 0},
        "labels_created": [],
        "errors": [],
        "errors_total": 0,
    }


# Where webargs files a parameter's errors: {"query": {"timezone": [...]}}.
_REQUEST_LOCATIONS = frozenset({"query", "querystring", "json", "form", "files", "headers", "cookies"})


def as_refusal(payload: dict) -> dict:
    """A 422 raised before the file was read (invalid parameters, no file) as the import's refusal body.

    Nothing was checked: the report's counts are zero, ``dry_run`` false and
    ``format`` null; ``errors`` names each field. A body already in that shape
    (refused rows) is returned as it is.
    """
    errors = payload.get("errors")
    if isinstance(errors, list):
        return payload
    listed = []
    for key, value in (errors or {}).items():
        for field_name, messages in (value.items() if key in _REQUEST_LOCATIONS and isinstance(value, dict) else [(key, value)]):
            texts = messages if isinstance(messages, list) else [messages]
            listed.append({"row": None, "field": str(field_name), "message": " ".join(str(text) for text in texts)})
    if not listed:
        listed.append({"row": None, "field": None, "message": payload.get("message", "")})
    return {**_new_report(False, None, "refuse"), **payload, "errors": listed, "errors_total": len(listed)}


def _refuse_file(report: dict, field_name: str, message: str) -> None:
    report["errors"] = [{"row": None, "field": field_name, "message": message}]
    report["errors_total"] = 1
    raise ImportRefused(message, report)


def _import(user, data, fmt, timezone, dry_run, date_format, policy, in_callers_transaction=False) -> dict:
    if not fmt:
        fmt = formats.detect(data)
    fmt = fmt if fmt in formats.FORMATS else None
    report = _new_report(dry_run, fmt, policy)
    if fmt is None:
        choices = ", ".join(formats.FORMATS)
        _refuse_file(report, "format", f"Which tracker wrote this file? It was not recognised: choose a format ({choices}).")
    if formats.FORMATS[fmt].local_times and not timezone:
        _refuse_file(report, "timezone", f"{fmt} holds local times: say which zone with timezone=Area/City (your tracker's setting).")
    zone = zone_named(timezone) if timezone else None

    if in_callers_transaction:
        return _import_in_one_transaction(user, data, fmt, zone, dry_run, date_format, policy, report)

    # 1. Check, without the lock: a refused file or a dry run ends here.
    with reading_only():
        checked = _check_file(user, data, fmt, zone, date_format, report)
        if report["complete"]:
            state = _log_state(user, checked.rows)
            plan = _decide_into(report, checked, policy, state)
    _raise_on_errors(report, checked.errors)
    if dry_run:
        return report

    # 2. Take the user's import lease: from here the log cannot change but by this import.
    token = _take_import_lease(user)
    try:
        # 3. Decide again if the log changed between 1 and 2 (still without the lock).
        with reading_only():
            existing, new_labels = _labels_to_create(report, user, checked)
            if (now_state := _log_state(user, checked.rows)) != state:
                plan = _decide_into(report, checked, policy, now_state)
            _report_plan(report, plan, checked, report["trim_preview"], new_labels)
        _raise_on_errors(report, [])
    except BaseException:
        _release_import_lease(user, token)
        raise
    # 4. Write, in steps of IMPORT_STEP_ROWS events.
    _write_in_steps(user, token, plan.accepted, existing, new_labels)
    return report


def _labels_to_create(report: dict, user: User, checked: _Checked) -> tuple[dict[str, int], dict[str, str]]:
    """The user's labels now (label_key -> id) and those the rows need that they lack; refused past the cap."""
    existing = _label_keys(user)
    new_labels = {key: name for key, name in checked.labels.items() if key not in existing}
    _check_label_cap(report, len(existing), len(new_labels))
    return existing, new_labels


def _decide_into(report: dict, checked: _Checked, policy: str, state: tuple[list, bool]) -> _Plan:
    """Decide the checked rows against one state of the log (``_log_state``), into the report."""
    plan = decide(checked.rows, *state, policy)
    # Trim only changes rows that clash: with none, its preview is "nothing".
    preview = decide(checked.rows, *state, "trim") if policy == "refuse" and plan.clashes else plan
    _report_plan(report, plan, checked, preview)
    return plan


def _import_in_one_transaction(user, data, fmt, zone, dry_run, date_format, policy, report) -> dict:
    """``flask import``: check and write in the caller's transaction; the caller commits (or not)."""
    checked = _check_file(user, data, fmt, zone, date_format, report)
    if report["complete"]:
        plan = _decide_into(report, checked, policy, _log_state(user, checked.rows))
    _raise_on_errors(report, checked.errors)
    if dry_run:
        return report
    user.lock()
    existing, new_labels = _labels_to_create(report, user, checked)
    _report_plan(report, plan, checked, report["trim_preview"], new_labels)
    label_ids = _insert_labels(user, existing, new_labels)
    _insert_events(_event_values(user, plan.accepted, label_ids))
    return report


def _raise_on_errors(report: dict, row_errors: list[dict]) -> None:
    """Merge the errors found, keep the first ERRORS_LISTED by row, and refuse if there are any."""
    errors = sorted(row_errors + report["errors"], key=lambda e: (e["row"] is not None, e["row"] or 0))
    report["errors_total"] = len(row_errors) + report.pop("clash_total", len(report["errors"]))
    report["errors"] = errors[:ERRORS_LISTED]
    if not report["errors_total"]:
        return
    total = report["errors_total"]
    rows = f"{total} row{'s' if total > 1 else ''}" if report["complete"] else f"At least {total} rows"
    message = f"{rows} cannot be imported, so nothing was. Fix them (see 'errors') and import again."
    if all(error["row"] is None for error in errors):  # the file as a whole: its own words
        message = errors[0]["message"]
    raise ImportRefused(message, report)


# --- phase 1: reading and checking each row -------------------------------------------------


@dataclass
class _Checked:
    """The rows that passed every per-row rule, oldest first, and the labels they need."""

    rows: list[formats.ImportRow] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # label_key -> name as first written
    errors: list[dict] = field(default_factory=list)


def _check_file(user: User, data: bytes, fmt: str, zone, date_format, report: dict) -> _Checked:
    """Read the file row by row and apply the API's rules; stop once the outcome is certain."""
    known = label_names(user)
    existing = {label_key(name) for name in known}
    checked = _Checked()
    now = timeutil.now()

    def refuse(row: int | None, field_name: str | None, message: str) -> bool:
        """Note an error; True when enough are listed that reading on cannot change the outcome."""
        checked.errors.append({"row": row, "field": field_name, "message": message})
        if len(checked.errors) >= ERRORS_LISTED:
            report["complete"] = False
            return True
        return False

    def need_label(name: str) -> None:
        key = label_key(name)
        if key not in existing and key not in checked.labels:
            checked.labels[key] = normalize_label_name(name)  # stored NFC, as the API stores names
            _check_label_cap(report, len(existing), len(checked.labels))

    try:
        declared, rows = formats.read(fmt, data, zone, date_format=date_format, known_labels=known)
        # The cap first: a file naming 50,000 labels is refused before any of them is checked.
        _check_label_cap(report, len(existing), len({label_key(n.strip()) for n in declared} - existing))
        for name in declared:
            if label_key(name.strip()) in existing or label_key(name.strip()) in checked.labels:
                continue
            if (problem := _label_problem(name)) is not None:
                if refuse(None, "labels", f"Label '{name[:70]}': {problem}"):
                    return checked
            else:
                need_label(name.strip())
        for row in rows:
            if isinstance(row, formats.RowError):
                stop = refuse(row.row, getattr(row, "field", None), row.message)
            elif row.ended_at is not None and row.ended_at == row.started_at:
                report["skipped_empty"] += 1  # zero-length: nothing to log (a tracker's mis-tap)
                continue
            elif (problem := _row_problem(row, now)) is not None:
                stop = refuse(row.row, *problem)
            else:
                need_label(row.label)
                checked.rows.append(row)
                continue
            if stop:
                return checked
    except formats.FileError as exc:
        _refuse_file(report, "file", f"The file cannot be imported: {exc}")
    checked.rows.sort(key=lambda r: (r.started_at, r.row))
    return checked


def _check_label_cap(report: dict, existing: int, new: int) -> None:
    most = most_labels()
    if existing + new > most:
        report["complete"] = False
        message = (
            f"This file needs {new} label{'s' if new != 1 else ''} you do not have; with your {existing} "
            f"that is more than the {most} allowed; nothing was imported."
        )
        _refuse_file(report, "labels", message)


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


# The API's own instant field, and the span well inside its range where no instant needs asking.
_INSTANT = Instant()
_SURELY_IN_RANGE = (datetime(1900, 1, 2, tzinfo=timeutil.UTC), datetime(9999, 12, 29, tzinfo=timeutil.UTC))


def _instant_problem(instant: datetime | None) -> str | None:
    """What the API would say of this instant (a reader of local dates may produce any year), or None."""
    if instant is None or _SURELY_IN_RANGE[0] <= instant <= _SURELY_IN_RANGE[1]:
        return None
    try:
        _INSTANT.deserialize(timeutil.format_instant(instant))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _row_problem(row: formats.ImportRow, now: datetime) -> tuple[str, str] | None:
    """(field, message) for the first of the API's rules the row breaks, or None."""
    if (problem := _label_problem(row.label)) is not None:
        return "label", f"Label '{row.label[:70]}': {problem}"
    if (problem := _note_problem(row.note)) is not None:
        return "note", f"Note: {problem}"
    for name, instant in (("started_at", row.started_at), ("ended_at", row.ended_at)):
        if (problem := _instant_problem(instant)) is not None:
            return name, f"{name}: {problem}"
    problems = time_problems(row.started_at, row.ended_at, now)
    if problems:
        name = next(iter(problems))
        return name, " ".join(problems.values())
    return None


# --- deciding duplicates, overlaps and the running event ------------------------------------


@dataclass
class _Plan:
    """What an import of the checked rows does, against one state of the log."""

    accepted: list[tuple[formats.ImportRow, datetime, datetime | None]] = field(default_factory=list)
    duplicates: int = 0
    clashes: list[tuple[int, object]] = field(default_factory=list)  # (row, the event it overlaps)
    trimmed: list[tuple[int, int]] = field(default_factory=list)  # (row, seconds lost)
    trimmed_away: int = 0
    running_started: int | None = None
    skipped_running: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Placed:
    """A row accepted in this import, as later rows' checks need it."""

    row: int
    started_at: datetime
    ended_at: datetime | None


def _log_state(user: User, rows: list[formats.ImportRow]) -> tuple[list, bool]:
    """What the decisions depend on: the log around the rows, and whether something runs."""
    return _log_around(user, rows), (running_event_for(user) is not None if rows else False)


def decide(rows: list[formats.ImportRow], log: list, running_logged: bool, policy: str) -> _Plan:
    """Oldest row first: duplicate, accepted, trimmed, refused (overlap) or, if running, skipped.

    A row equal (label, start, end) to a logged event or an accepted row is a
    duplicate. Events never overlap, so the only event that can overlap a
    row's start is the latest one starting at or before it, and the only ones
    that can overlap the rest start inside it: two bisections, in the log
    and in the rows accepted so far, whatever their size. Under ``trim`` the
    row keeps its first free stretch: it starts when the earlier event ends
    and ends when the next one starts (nothing left: skipped).
    """
    plan = _Plan()
    log_starts = [event.started_at for event in log]
    seen = {(label_key(event.label), event.started_at, event.ended_at) for event in log}
    placed: list[_Placed] = []
    placed_starts: list[datetime] = []

    def latest_before(instant, inclusive: bool = False):
        """The logged or placed event starting last before ``instant`` (at it too if ``inclusive``); None: any."""
        cut = bisect_right if inclusive else bisect_left
        i = len(log) if instant is None else cut(log_starts, instant)
        j = len(placed) if instant is None else cut(placed_starts, instant)
        a, b = (log[i - 1] if i else None), (placed[j - 1] if j else None)
        return a if b is None or (a is not None and a.started_at > b.started_at) else b

    def first_from(instant):
        """The logged or placed event starting first at or after ``instant``."""
        i, j = bisect_left(log_starts, instant), bisect_left(placed_starts, instant)
        a, b = (log[i] if i < len(log) else None), (placed[j] if j < len(placed) else None)
        return a if b is None or (a is not None and a.started_at < b.started_at) else b

    def place(row, started_at, ended_at, key):
        item = _Placed(row.row, started_at, ended_at)
        if placed_starts and started_at < placed_starts[-1]:  # a trimmed row moved past a later one's start
            index = bisect_left(placed_starts, started_at)
            placed_starts.insert(index, started_at)
            placed.insert(index, item)
        else:
            placed_starts.append(started_at)
            placed.append(item)
        seen.add(key)
        plan.accepted.append((row, started_at, ended_at))

    newest = rows[-1] if rows and (len(rows) == 1 or rows[-2].started_at < rows[-1].started_at) else None
    for row in rows:
        name = label_key(row.label)
        key = (name, row.started_at, row.ended_at)
        if key in seen:
            plan.duplicates += 1
            continue
        start, end = row.started_at, row.ended_at
        if policy == "refuse" or end is None:
            # The API's overlap rule, on the latest event starting before the row ends.
            latest = latest_before(end)
            clash = latest if overlaps(latest, start) else None
            if end is None:
                reason = _running_problem(row, newest, running_logged, clash)
                if reason is None:
                    place(row, start, None, key)
                    plan.running_started = row.row
                else:
                    plan.skipped_running.append((row.row, reason))
            elif clash is not None:
                plan.clashes.append((row.row, clash))
            else:
                place(row, start, end, key)
            continue
        before = latest_before(start, inclusive=True)
        if overlaps(before, start):
            if before.ended_at is None:  # a running event covers everything after its start
                plan.trimmed_away += 1
                continue
            start = before.ended_at
            if (name, start, end) in seen:  # trimmed so before, by an earlier import of this file
                plan.duplicates += 1
                continue
        later = first_from(start)
        if later is not None and later.started_at < end:
            end = later.started_at
        if end <= start:
            plan.trimmed_away += 1
            continue
        if (name, start, end) in seen:
            plan.duplicates += 1
            continue
        lost = int((row.ended_at - row.started_at).total_seconds() - (end - start).total_seconds())
        if lost:
            plan.trimmed.append((row.row, lost))
        place(row, start, end, (name, start, end))
    return plan


def _running_problem(row, newest, running_logged: bool, clash) -> str | None:
    """Why a running row cannot become the running event, or None when it can."""
    if row is not newest:
        return "Still running in the file, but not its newest row: skipped."
    if running_logged:
        return "Still running in the file, but you already have a running event: skipped."
    if clash is not None:
        return f"Still running in the file, but it overlaps {_describe_clash(clash)}: skipped."
    return None


def _describe_clash(event) -> str:
    return f"row {event.row} of this file" if isinstance(event, _Placed) else f"your {describe(event)}"


def _report_plan(report: dict, plan: _Plan, checked: _Checked, preview, new_labels: dict | None = None) -> None:
    """Write a plan's outcome into the report."""
    report["imported"] = len(plan.accepted)
    report["skipped_duplicates"] = plan.duplicates
    report["trimmed"] = [{"row": row, "seconds": seconds} for row, seconds in sorted(plan.trimmed)[:ERRORS_LISTED]]
    report["trimmed_total"] = len(plan.trimmed)
    report["skipped_trimmed_away"] = plan.trimmed_away
    report["running_started"] = plan.running_started
    report["skipped_running"] = [{"row": row, "message": message} for row, message in plan.skipped_running[:ERRORS_LISTED]]
    report["labels_created"] = list((checked.labels if new_labels is None else new_labels).values())
    if isinstance(preview, _Plan):
        lost = [seconds for _row, seconds in preview.trimmed]
        preview = {"rows": len(lost), "min_seconds": min(lost, default=None), "max_seconds": max(lost, default=None), "skipped": preview.trimmed_away}
    report["trim_preview"] = preview
    clashes = sorted(plan.clashes, key=lambda clash: clash[0])
    report["errors"] = [
        {"row": row, "field": "overlaps", "message": f"Overlaps {_describe_clash(event)}."} for row, event in clashes[:ERRORS_LISTED]
    ]
    report["clash_total"] = len(clashes)


# --- phase 2: writing -----------------------------------------------------------------------


def _label_keys(user: User) -> dict[str, int]:
    """The user's labels as label_key -> id: one query, however many the file names."""
    return dict(db.session.execute(select(Label.name_key, Label.id).where(Label.user_id == user.id)).all())


# The events table with instants as plain integers: the rows are bound as the
# epoch seconds EpochSeconds stores, without its per-value conversion (a third
# of the write lock's hold for a 16 MiB file; see bench/import_lock.py).
_EVENT_ROWS = table(
    "events",
    column("user_id"),
    column("label_id"),
    column("started_at", BigInteger),
    column("ended_at", BigInteger),
    column("note"),
    column("note_key"),
    column("source_id", BigInteger),
)


def _insert_labels(user: User, existing: dict[str, int], new_labels: dict[str, str]) -> dict[str, int]:
    """Insert the new labels (one statement); every label of the user as label_key -> id."""
    if not new_labels:
        return existing
    db.session.execute(insert(Label), [{"user_id": user.id, "name": name, "name_key": key} for key, name in new_labels.items()])
    return _label_keys(user)


def _event_values(user: User, accepted: list, label_ids: dict[str, int]) -> list[dict]:
    """The accepted rows as the events table's values (instants as epoch seconds)."""
    user_id, to_epoch = user.id, timeutil.to_epoch
    return [
        {
            "user_id": user_id,
            "label_id": label_ids[label_key(row.label)],
            "started_at": to_epoch(started_at),
            "ended_at": None if ended_at is None else to_epoch(ended_at),
            "note": row.note or None,
            "note_key": note_key(row.note),
            "source_id": row.source_id,
        }
        for row, started_at, ended_at in accepted
    ]


def _insert_events(values: list[dict]) -> None:
    """Bulk-insert events' values: multi-row INSERTs of INSERT_BATCH rows, no ORM object per row."""
    for first in range(0, len(values), INSERT_BATCH):
        db.session.execute(insert(_EVENT_ROWS), values[first : first + INSERT_BATCH])


# Writing in steps. SQLite has one write lock for the whole database: written in
# one transaction, the largest file held it for 1.8 s on a quiet machine (10-30 s
# under load), and every other user's tap waited as long. In steps of
# IMPORT_STEP_ROWS events each transaction holds it for ~20 ms, and the other
# writers get in between (bench/import_lock.py). All or nothing still holds for
# what the import decided: while it writes, the user's import lease
# (User.lock) keeps every other write of that user out, so the checks stay
# true; a step that fails undoes the steps before it. What a reader may see is
# the part written so far, for the few seconds the writing takes.
IMPORT_STEP_ROWS = 5000
# How long a lease lasts without renewal (each step renews it): how long an
# import whose server died keeps its user's other writes out, at most.
IMPORT_LEASE = timedelta(seconds=60)


def _take_import_lease(user: User) -> str:
    """The user's import lease, in a short write transaction; ``LogBeingImported`` while another import holds it."""
    token = secrets.token_hex(16)
    start_writing()
    user.lock()
    user.set_import_lease(token, clock.database_now() + IMPORT_LEASE)
    db.session.commit()
    return token


def _release_import_lease(user: User, token: str) -> None:
    """Give the lease back, if it is still this import's."""
    start_writing()
    user.release_import_lease(token)
    db.session.commit()


def _write_in_steps(user: User, token: str, accepted: list, existing: dict[str, int], new_labels: dict[str, str]) -> None:
    """Write the labels, then the events IMPORT_STEP_ROWS a transaction; the lease is released with the last one.

    Each step's values are built before its transaction begins: the lock is
    held for the INSERT alone, and free while Python works. A failing step
    (the database full or unreachable, the lease lost) is rolled back, the
    steps already committed are undone, and the error goes on up.
    """
    # At least one step, even for no events: the last step releases the lease.
    steps = [accepted[first : first + IMPORT_STEP_ROWS] for first in range(0, len(accepted), IMPORT_STEP_ROWS)] or [[]]
    written: list[tuple[int, int]] = []  # each committed step's events: ids in (after, upto]
    label_ids = existing
    try:
        if new_labels:
            start_writing()
            user.lock(import_lease=token)
            label_ids = _insert_labels(user, existing, new_labels)
            db.session.commit()
        for number, step in enumerate(steps):
            values = _event_values(user, step, label_ids)
            last = number == len(steps) - 1
            start_writing()
            user.lock(import_lease=token)
            after = _newest_event_id()
            _insert_events(values)
            upto = _newest_event_id()
            if last:
                user.release_import_lease(token)
            else:
                user.set_import_lease(token, clock.database_now() + IMPORT_LEASE)
            db.session.commit()
            written.append((after, upto))
            if not last:
                let_other_writers_in()
    except BaseException:
        db.session.rollback()
        try:
            _undo_steps(user, token, written, label_ids, new_labels)
        except Exception:
            log.exception("an import failed mid-way and undoing its %d written steps failed too", len(written))
        raise  # answered by lifelogger.api.errors (ImportLeaseLost, a database fault: 503)


def _newest_event_id() -> int:
    """The highest event id so far (0: none), read in the writing transaction.

    An id is never reused and every later insert gets a higher one, and while
    the import holds its lease nothing else writes this user's events: the
    user's events with ids between the values before and after a step's
    INSERT are that step's rows, other users' inserts in between notwithstanding.
    """
    return db.session.scalar(select(func.coalesce(func.max(Event.id), 0)))


def _undo_steps(user: User, token: str, written: list[tuple[int, int]], label_ids: dict[str, int], new_labels: dict[str, str]) -> None:
    """Delete what the committed steps inserted (a step a transaction) and the labels left unused, then release the lease."""
    for after, upto in written:
        start_writing()
        db.session.execute(
            delete(Event).where(Event.user_id == user.id, Event.id > after, Event.id <= upto).execution_options(synchronize_session=False)
        )
        db.session.commit()
    start_writing()
    created = [label_ids[key] for key in new_labels if key in label_ids]
    if created:
        db.session.execute(
            delete(Label)
            .where(Label.id.in_(created), ~exists().where(Event.label_id == Label.id), ~exists().where(Goal.label_id == Label.id))
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    _release_import_lease(user, token)


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
