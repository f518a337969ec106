"""Reading other trackers' exports (and our own) into plain rows.

Each reader turns a file into ``ImportRow``s (or ``RowError``s for rows it
cannot read), numbered as a person sees them: for CSV the line in the file
(the header is line 1), for JSON the position in the ``events`` list.
Nothing here touches the database; the import service applies the rules.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from lifelogger.core import timeutil



@dataclass(slots=True)  # a 16 MiB file holds ~250,000 of them
class ImportRow:
    row: int
    label: str
    started_at: datetime
    ended_at: datetime | None
    note: str | None = None
    source_id: int | None = None


@dataclass(slots=True)
class RowError:
    row: int
    message: str


class FileError(ValueError):
    """The file as a whole cannot be read (wrong format, not UTF-8, missing columns)."""


def read(fmt: str, data: bytes, zone: ZoneInfo | None) -> tuple[list[str], list[ImportRow | RowError]]:
    """Parse ``data`` in format ``fmt``; return (labels to have, rows)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError("The file is not UTF-8 text.") from None
    return FORMATS[fmt].read(text, zone)


# --- Life Logger's own formats ----------------------------------------------------------


def _read_lifelogger_json(text: str, _zone) -> tuple[list[str], list]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise FileError(f"Not valid JSON: {exc}.") from None
    if not isinstance(document, dict) or document.get("format") != "lifelogger" or not isinstance(document.get("events"), list):
        raise FileError("Not a Life Logger JSON export: expected {\"format\": \"lifelogger\", \"events\": [...]}.")
    labels = document.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(name, str) for name in labels):
        raise FileError("'labels' must be a list of names.")
    rows = []
    for number, item in enumerate(document["events"], start=1):
        if not isinstance(item, dict):
            rows.append(RowError(number, "Each event must be an object."))
            continue
        rows.append(
            _row(
                number,
                label=item.get("label"),
                started=lambda: _instant(item.get("started_at"), "started_at"),
                ended=lambda: _instant(item.get("ended_at"), "ended_at", allow_empty=True),
                note=item.get("note"),
                source_id=item.get("source_id"),
            )
        )
    return labels, rows


def _read_lifelogger_csv(text: str, _zone) -> tuple[list[str], list]:
    rows = []
    for number, record in _csv_records(text, ",", required=("label", "started_at", "ended_at")):
        rows.append(
            _row(
                number,
                label=record["label"],
                started=lambda: _instant(record["started_at"], "started_at"),
                ended=lambda: _instant(record["ended_at"], "ended_at", allow_empty=True),
                note=record.get("note"),
            )
        )
    return [], rows


# --- Other trackers ---------------------------------------------------------------------


def _project_report_reader(start_date: str, start_time: str, end_date: str, end_time: str):
    """A reader for a "detailed report" CSV (Toggl, Clockify): project, description, local times.

    The two differ only in the names (and case) of their date and time columns.
    """
    required = ("Project", "Description", start_date, start_time, end_date, end_time)

    def read(text: str, zone: ZoneInfo) -> tuple[list[str], list]:
        rows = []
        for number, record in _csv_records(text, ",", required=required):
            rows.append(
                _row(
                    number,
                    label=_project_label(record["Project"], record["Description"]),
                    started=lambda: _local(record[start_date], record[start_time], zone, "start"),
                    ended=lambda: _local(record[end_date], record[end_time], zone, "end", after=True),
                    note=record["Description"] if record["Project"].strip() else None,
                )
            )
        return [], rows

    return read


# Toggl Track's and Clockify's detailed reports.
_read_toggl_csv = _project_report_reader("Start date", "Start time", "End date", "End time")
_read_clockify_csv = _project_report_reader("Start Date", "Start Time", "End Date", "End Time")


def _read_timetagger_csv(text: str, _zone) -> tuple[list[str], list]:
    """TimeTagger's export: tab-separated key, start, stop (UTC, empty while running), tags, description."""
    delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ","
    rows = []
    for number, record in _csv_records(text, delimiter, required=("key", "start", "stop", "description")):
        tags = (record.get("tags") or "").split() or [w for w in record["description"].split() if w.startswith("#")]
        label = tags[0].lstrip("#") if tags else "Untagged"
        rows.append(
            _row(
                number,
                label=label,
                started=lambda: _instant(record["start"], "start"),
                ended=lambda: _instant(record["stop"], "stop", allow_empty=True),
                note=record["description"],
            )
        )
    return [], rows


# --- The registry: every format the importer reads -------------------------------------
# The importer, the OpenAPI enum of `format`, the Import page's list and the
# README's table (checked by tests/test_readme.py) all come from here.


@dataclass(frozen=True)
class Format:
    """A file format the importer reads."""

    name: str  # the `format` parameter
    title: str  # as the Import page names it
    where_from: str  # how a person gets such a file
    read: Callable[[str, ZoneInfo | None], tuple[list[str], list]]
    local_times: bool = False  # times are wall-clock times in the exporting account's zone: `timezone` is required


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("lifelogger-json", "Life Logger, JSON", "an export from this or another Life Logger (Account → Download export)", _read_lifelogger_json),
        Format("lifelogger-csv", "Life Logger, CSV", "label, started_at, ended_at[, note] per row, as our CSV export writes", _read_lifelogger_csv),
        Format("toggl-csv", "Toggl Track, CSV", "Reports → Detailed → Export as CSV", _read_toggl_csv, local_times=True),
        Format("clockify-csv", "Clockify, CSV", "Reports → Detailed → Export → Save as CSV", _read_clockify_csv, local_times=True),
        Format("timetagger-csv", "TimeTagger, CSV", "Account → Export (tab-separated)", _read_timetagger_csv),
    )
}
NEEDS_TIMEZONE = frozenset(name for name, format in FORMATS.items() if format.local_times)


# --- helpers ----------------------------------------------------------------------------


def _csv_records(text: str, delimiter: str, required: tuple[str, ...]):
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise FileError(f"Missing column(s): {', '.join(missing)}. Is this the right format?")
    reader.fieldnames = header
    for record in reader:
        # DictReader's line_num counts physical lines read so far, header included.
        yield reader.line_num, {key: (value or "").strip() for key, value in record.items() if key is not None}


def _row(number, *, label, started, ended, note=None, source_id=None) -> ImportRow | RowError:
    if not isinstance(label, str) or not label.strip():
        return RowError(number, "The label (project/tag) is empty.")
    if note is not None and not isinstance(note, str):
        return RowError(number, "The note must be text.")
    if source_id is not None and (not isinstance(source_id, int) or isinstance(source_id, bool)):
        return RowError(number, "source_id must be an integer.")
    if source_id is not None and not -(2**63) <= source_id < 2**63:  # a BIGINT column
        return RowError(number, "source_id must fit in 64 bits (at most 9223372036854775807).")
    try:
        started_at, ended_at = started(), ended()
    except ValueError as exc:
        return RowError(number, str(exc))
    return ImportRow(number, label.strip(), started_at, ended_at, (note or "").strip() or None, source_id)


def _instant(value, name: str, allow_empty: bool = False) -> datetime | None:
    if value in (None, "") and allow_empty:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} is missing.")
    try:
        return timeutil.parse_instant(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")


def _local(day_text: str, time_text: str, zone: ZoneInfo, name: str, after: bool = False) -> datetime:
    """A wall-clock date and time in ``zone``, as a UTC instant.

    A time that does not exist (skipped by a DST change) is an error. A time
    that exists twice (the repeated hour in autumn) is read as its first
    occurrence for a start, and as its second for an end, so an event
    spanning the change keeps its real length.
    """
    day = _parse(day_text, _DATE_FORMATS, f"{name} date", date)
    clock = _parse(time_text, _TIME_FORMATS, f"{name} time", time)
    naive = datetime.combine(day, clock)
    local = naive.replace(tzinfo=zone, fold=1 if after else 0)
    as_utc = local.astimezone(timeutil.UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{name} {day_text} {time_text} does not exist in {zone.key} (skipped by a daylight-saving change).")
    return as_utc.replace(microsecond=0)


def _parse(text: str, formats, name: str, kind):
    for pattern in formats:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.date() if kind is date else parsed.time()
    raise ValueError(f"Cannot read the {name} '{text}'.")


def _project_label(project: str, description: str) -> str:
    """Trackers group by project; an entry without one is labelled by its description."""
    return project.strip() or description.strip() or "No project"
