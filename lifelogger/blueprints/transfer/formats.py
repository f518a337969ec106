"""Reading other trackers' exports (and our own) into plain rows.

Each reader turns a file into ``ImportRow``s (or ``RowError``s for rows it
cannot read), numbered as a person sees them: for CSV the line in the file
(the header is line 1), for JSON the position in the list of events.
Whatever is wrong with the file as a whole (not text, empty, wrong columns,
an ambiguous date order, local times without a zone) is a ``FileError``
raised by ``read`` itself; rows are yielded lazily, so the importer may stop
after enough errors. Nothing here touches the database: the import service
applies the rules (zero-length rows, overlaps, running records, labels, notes).
"""
from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lifelogger.core import csvcells, timeutil

# The orders of a numeric date (`date_format`): day/month/year, month/day/year, year/month/day.
DATE_FORMATS = ("DMY", "MDY", "YMD")

# Python's csv module refuses a field longer than this (csv.field_size_limit(), a
# process-wide setting we leave alone): no tracker writes a cell that long.
_FIELD_LIMIT = csv.field_size_limit()


@dataclass(slots=True)  # a 16 MiB file holds ~250,000 of them
class ImportRow:
    row: int
    label: str
    started_at: datetime
    ended_at: datetime | None  # None: still running
    note: str | None = None
    source_id: int | None = None


@dataclass(slots=True)
class RowError:
    row: int
    message: str  # starts with the field, as the file names it: "Start date: cannot read ..."
    field: str | None = None


class FileError(ValueError):
    """The file as a whole cannot be read (wrong format, not UTF-8, missing columns)."""


@dataclass(frozen=True, slots=True)
class Options:
    """What the person said about the file, beyond its format."""

    zone: ZoneInfo | None = None
    date_format: str | None = None
    known_labels: Collection[str] = ()


Rows = Iterable["ImportRow | RowError"]


def read(
    fmt: str,
    data: bytes,
    zone: ZoneInfo | None,
    *,
    date_format: str | None = None,
    known_labels: Collection[str] = (),
) -> tuple[list[str], Rows]:
    """Parse ``data`` in format ``fmt``; return (labels to have, rows)."""
    if date_format is not None and date_format not in DATE_FORMATS:
        raise FileError(f"date_format must be one of {', '.join(DATE_FORMATS)}.")
    return FORMATS[fmt].read(_text(data), Options(zone, date_format, known_labels))


def detect(data: bytes) -> str | None:
    """The format the file is in, when its header (or shape) makes that clear; else None."""
    try:
        text = _text(data)
    except FileError:
        return None
    start = text.lstrip()[:1]
    if start in ("{", "["):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if isinstance(document, dict) and document.get("format") == "lifelogger":
            return "lifelogger-json"
        if isinstance(document, list) and all(isinstance(item, dict) and _TIMEW_INSTANT.match(str(item.get("start", ""))) for item in document[:5]):
            return "timewarrior-json" if document else None
        return None
    first_line = text.split("\n", 1)[0]
    for name, format in FORMATS.items():
        if format.columns and _delimiter_for(first_line, format.columns, format.delimiters) is not None:
            return name
    return None


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError("The file is not UTF-8 text.") from None
    if not text.strip():
        raise FileError("The file is empty.")
    return text


class _FieldError(ValueError):
    """A value of one field cannot be read; the message names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


# --- Life Logger's own formats ----------------------------------------------------------


def _json_document(text: str):
    try:
        return json.loads(text)
    except RecursionError:
        # json.loads recurses once per level of nesting: a file of "[[[[..." exhausts the stack.
        raise FileError("The JSON is nested too deeply to be an export.") from None
    except ValueError as exc:
        raise FileError(f"Not valid JSON: {exc}.") from None


def _read_lifelogger_json(text: str, _options: Options) -> tuple[list[str], Rows]:
    document = _json_document(text)
    if not isinstance(document, dict) or document.get("format") != "lifelogger" or not isinstance(document.get("events"), list):
        raise FileError("Not a Life Logger JSON export: expected {\"format\": \"lifelogger\", \"events\": [...]}.")
    labels = document.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(name, str) for name in labels):
        raise FileError("'labels' must be a list of names.")

    def rows():
        for number, item in enumerate(document["events"], start=1):
            if not isinstance(item, dict):
                yield RowError(number, "Each event must be an object.")
                continue
            yield _row(
                number,
                label=item.get("label"),
                started=lambda: _instant(item.get("started_at"), "started_at"),
                ended=lambda: _instant(item.get("ended_at"), "ended_at", allow_empty=True),
                note=item.get("note"),
                source_id=item.get("source_id"),
            )

    return labels, rows()


_LIFELOGGER_COLUMNS = ("label", "started_at", "ended_at")


def _read_lifelogger_csv(text: str, _options: Options) -> tuple[list[str], Rows]:
    records = _csv_records(text, ",", _LIFELOGGER_COLUMNS)

    def rows():
        for number, record in records:
            if isinstance(record, RowError):
                yield record
                continue
            # Our exports write text cells spreadsheet-safe ('=x for =x); undo exactly that.
            note = record.get("note")
            yield _row(
                number,
                label=csvcells.restore(record["label"]),
                started=lambda: _instant(record["started_at"], "started_at"),
                ended=lambda: _instant(record["ended_at"], "ended_at", allow_empty=True),
                note=csvcells.restore(note) if note is not None else None,
            )

    return [], rows()


# --- Other trackers ---------------------------------------------------------------------


def _project_report_reader(start_date: str, start_time: str, end_date: str, end_time: str):
    """A reader for a "detailed report" CSV (Toggl, Clockify): project, description, local times."""
    # The two differ only in the names (and case) of their date and time columns.
    required = ("Project", "Description", start_date, start_time, end_date, end_time)

    def read(text: str, options: Options) -> tuple[list[str], Rows]:
        zone = _zone_or_refuse(options, "This file holds local times")
        order = options.date_format or _date_order(_csv_records(text, ",", required), (start_date, end_date))
        records = _csv_records(text, ",", required)

        def rows():
            for number, record in records:
                if isinstance(record, RowError):
                    yield record
                    continue

                def span():
                    start = _wall(record[start_date], record[start_time], start_date, start_time, order)
                    end = _wall(record[end_date], record[end_time], end_date, end_time, order)
                    return _local_span(start, end, zone, start_time, end_time)

                yield _span_row(
                    number,
                    label=_project_label(record["Project"], record["Description"]),
                    span=span,
                    note=record["Description"] if record["Project"].strip() else None,
                )

        return [], rows()

    return read


# Toggl Track's and Clockify's detailed reports.
_TOGGL_COLUMNS = ("Project", "Description", "Start date", "Start time", "End date", "End time")
_CLOCKIFY_COLUMNS = ("Project", "Description", "Start Date", "Start Time", "End Date", "End Time")
_read_toggl_csv = _project_report_reader(*_TOGGL_COLUMNS[2:])
_read_clockify_csv = _project_report_reader(*_CLOCKIFY_COLUMNS[2:])

UNTAGGED = "Untagged"  # the label of a TimeTagger record or Timewarrior interval without tags
_TIMETAGGER_COLUMNS = ("key", "start", "stop", "description")
# The three date-time formats of TimeTagger's export dialog, told apart by the first start.
_TT_UNIX = re.compile(r"^-?[0-9]+(\.[0-9]*)?$")
_TT_LOCAL = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$")


def _read_timetagger_csv(text: str, options: Options) -> tuple[list[str], Rows]:
    """TimeTagger's export: tab-separated key, start, stop, tags, description."""
    # Its export dialog writes times as Local (``2024-03-04 11:23:52``, in the
    # browser's zone, which the file does not say), Unix (epoch seconds) or ISO
    # 8601 (UTC, ``Z``): one file holds one of them. A running record has stop == start.
    records = _csv_records(text, "\t", _TIMETAGGER_COLUMNS)
    first = next(records, None)
    if first is None:
        return [], iter(())
    records = itertools.chain([first], records)
    sample = first[1]["start"] if isinstance(first[1], dict) else ""
    if _TT_UNIX.match(sample):
        variant, zone = "Unix", None
    elif _TT_LOCAL.match(sample):
        variant = "Local"
        zone = _zone_or_refuse(
            options,
            f"This TimeTagger file has local times (like '{sample}', its export's 'Local' format)",
            " or export it again choosing ISO 8601",
        )
    else:
        variant, zone = "ISO 8601", None

    def instant(value: str, name: str, after: bool = False) -> datetime:
        if variant == "Unix":
            return _epoch(value, name)
        if variant == "Local":
            if not _TT_LOCAL.match(value):
                raise _FieldError(name, f"cannot read '{value[:40]}': expected a local time like the file's first row ('{sample}').")
            day, clock = value.split(" ")
            return _to_utc(_wall(day, clock, name, name, "YMD"), zone, name, after)
        return _instant(value, name)

    def rows():
        for number, record in records:
            if isinstance(record, RowError):
                yield record
                continue
            tags = (record.get("tags") or "").split() or [w for w in record["description"].split() if w.startswith("#")]
            label = tags[0].lstrip("#") if tags else UNTAGGED

            def span():
                start_text, stop_text = record["start"], record["stop"]
                if not start_text:
                    raise _FieldError("start", "missing.")
                started = instant(start_text, "start")
                if stop_text in ("", start_text):  # TimeTagger's running record: stop == start
                    return started, None
                return started, instant(stop_text, "stop", after=True)

            yield _span_row(number, label=label, span=span, note=record["description"])

    return [], rows()


_TIMEW_INSTANT = re.compile(r"^[0-9]{8}T[0-9]{6}Z$")


def _read_timewarrior_json(text: str, options: Options) -> tuple[list[str], Rows]:
    """``timew export``: a JSON list of {id, start, end (absent while running), tags, annotation}."""
    # The label is the tag that names one of your labels (ignoring case), else
    # the first tag (timew sorts them), else "Untagged": timew has no "project".
    # The note keeps what else the interval says: the annotation, then the other
    # tags as ``#tag`` words (``#"two words"``), as README.md documents.
    document = _json_document(text)
    if not isinstance(document, list):
        raise FileError("Not a Timewarrior export: expected the JSON list `timew export` writes.")
    known = {name.casefold(): name for name in options.known_labels}

    def rows():
        for number, item in enumerate(document, start=1):
            if not isinstance(item, dict):
                yield RowError(number, "Each interval must be an object.")
                continue
            tags = item.get("tags", [])
            annotation = item.get("annotation")
            if not isinstance(tags, list) or not all(isinstance(tag, str) and tag.strip() for tag in tags):
                yield RowError(number, "tags: must be a list of words.", "tags")
                continue
            if annotation is not None and not isinstance(annotation, str):
                yield RowError(number, "annotation: must be text.", "annotation")
                continue
            label = next((known[tag.casefold()] for tag in tags if tag.casefold() in known), tags[0] if tags else UNTAGGED)
            others = [tag for tag in tags if tag != label and tag.casefold() != label.casefold()]
            words = [f'#"{tag}"' if any(c.isspace() for c in tag) else f"#{tag}" for tag in others]
            note = " ".join(([annotation.strip()] if annotation and annotation.strip() else []) + words) or None
            yield _span_row(
                number,
                label=label,
                span=lambda: (_timew(item.get("start"), "start"), _timew(item.get("end"), "end", allow_empty=True)),
                note=note,
            )

    return [], rows()


# --- The registry: every format the importer reads -------------------------------------
# The importer, the OpenAPI enum of `format`, the Import page's list and the
# README's table (checked by tests/test_readme.py) all come from here.


@dataclass(frozen=True)
class Format:
    """A file format the importer reads."""

    name: str  # the `format` parameter
    title: str  # as the Import page names it
    where_from: str  # how a person gets such a file
    read: Callable[[str, Options], tuple[list[str], Rows]]
    local_times: bool = False  # times are wall-clock times in the exporting account's zone: `timezone` is required
    # The query options (beyond format, overlaps, dry_run) that this format's files may need.
    options: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # a CSV header holding these is this format
    delimiters: str = ","  # the separator its tracker writes first; the others are read when the header is clear


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("lifelogger-json", "Life Logger, JSON", "an export from this or another Life Logger (Account → Download export)", _read_lifelogger_json),
        Format(
            "lifelogger-csv", "Life Logger, CSV", "label, started_at, ended_at[, note] per row, as our CSV export writes",
            _read_lifelogger_csv, columns=_LIFELOGGER_COLUMNS,
        ),
        Format(
            "toggl-csv", "Toggl Track, CSV", "Reports → Detailed → Export as CSV", _read_toggl_csv,
            local_times=True, options=("timezone", "date_format"), columns=_TOGGL_COLUMNS,
        ),
        Format(
            "clockify-csv", "Clockify, CSV", "Reports → Detailed → Export → Save as CSV", _read_clockify_csv,
            local_times=True, options=("timezone", "date_format"), columns=_CLOCKIFY_COLUMNS,
        ),
        Format(
            "timetagger-csv", "TimeTagger, CSV", "Account → Export (copy the table; Local, Unix or ISO 8601 times)",
            _read_timetagger_csv, options=("timezone",), columns=_TIMETAGGER_COLUMNS, delimiters="\t,",
        ),
        Format("timewarrior-json", "Timewarrior, JSON", "the output of `timew export` (in a terminal: timew export > timew.json)", _read_timewarrior_json),
    )
}
NEEDS_TIMEZONE = frozenset(name for name, format in FORMATS.items() if format.local_times)


# --- helpers ----------------------------------------------------------------------------

_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _delimiter_for(first_line: str, required: tuple[str, ...], preferred: str) -> str | None:
    """The separator with which the header line holds every required column, if any."""
    for delimiter in dict.fromkeys(preferred + ",;\t"):
        try:
            header = next(csv.reader([first_line.rstrip("\r")], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = {name.strip() for name in header}
        if all(name in names for name in required):
            return delimiter
    return None


def _csv_records(text: str, delimiter: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict | RowError]]:
    """(line, record) for each row; the header is checked now, before the first row is asked for."""
    # A spreadsheet may save the file with another separator: it is read when
    # the header is clear (every required column is there); otherwise the
    # separator is named as the likely cause.
    first_line = text.split("\n", 1)[0]
    chosen = _delimiter_for(first_line, required, delimiter)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=chosen or delimiter)
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error:
        raise FileError(f"The header line is longer than {_FIELD_LIMIT:,} characters: is this the right file?") from None
    missing = [name for name in required if name not in header]
    if missing:
        message = f"Missing column(s): {', '.join(missing)}. Is this the right format?"
        counts = {sep: first_line.count(sep) for sep in _SEPARATORS if sep != delimiter}
        other = max(counts, key=counts.get)
        if counts[other] > first_line.count(delimiter):
            message += f" The header's columns seem separated by {_SEPARATORS[other]}, not {_SEPARATORS[delimiter]}."
        raise FileError(message)
    reader.fieldnames = header
    return _records(reader)


def _records(reader: csv.DictReader) -> Iterator[tuple[int, dict | RowError]]:
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # Past an over-long cell the parser's place in the file is lost: stop here.
            # (DictReader's own line_num is only updated after a row is read.)
            line = reader.reader.line_num
            yield line, RowError(
                line,
                f"A field is too long (over {_FIELD_LIMIT:,} characters, 128 KiB); the file was not read past this row.",
            )
            return
        # DictReader's line_num counts physical lines read so far, header included.
        yield reader.line_num, {key: (value or "").strip() for key, value in record.items() if key is not None}


def _row(number, *, label, started, ended, note=None, source_id=None) -> ImportRow | RowError:
    return _span_row(number, label=label, span=lambda: (started(), ended()), note=note, source_id=source_id)


def _span_row(number, *, label, span, note=None, source_id=None) -> ImportRow | RowError:
    if not isinstance(label, str) or not label.strip():
        return RowError(number, "label: missing (the project or tag to file the row under).", "label")
    if note is not None and not isinstance(note, str):
        return RowError(number, "note: must be text.", "note")
    if source_id is not None and (not isinstance(source_id, int) or isinstance(source_id, bool)):
        return RowError(number, "source_id: must be an integer.", "source_id")
    if source_id is not None and not -(2**63) <= source_id < 2**63:  # a BIGINT column
        return RowError(number, "source_id: must fit in 64 bits (at most 9223372036854775807).", "source_id")
    try:
        started_at, ended_at = span()
    except _FieldError as exc:
        return RowError(number, str(exc), exc.field)
    return ImportRow(number, label.strip(), started_at, ended_at, (note or "").strip() or None, source_id)


def _instant(value, name: str, allow_empty: bool = False) -> datetime | None:
    if value in (None, "") and allow_empty:
        return None
    if not isinstance(value, str) or not value:
        raise _FieldError(name, "missing.")
    try:
        return timeutil.parse_instant(value)
    except ValueError as exc:
        raise _FieldError(name, str(exc)) from None


def _timew(value, name: str, allow_empty: bool = False) -> datetime | None:
    """Timewarrior's UTC instant, ``20240304T090000Z``."""
    if value is None and allow_empty:
        return None
    if not isinstance(value, str) or not _TIMEW_INSTANT.match(value):
        raise _FieldError(name, f"cannot read {str(value)[:40]!r}: expected a UTC time like 20240304T090000Z.")
    try:
        parsed = datetime.strptime(value, "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise _FieldError(name, f"cannot read '{value}': no such date or time.") from None
    return _in_range(parsed, name, value).replace(tzinfo=timeutil.UTC)


def _epoch(value: str, name: str) -> datetime:
    """Seconds since 1970-01-01 UTC (TimeTagger's Unix format), whole seconds kept."""
    if not _TT_UNIX.match(value):
        raise _FieldError(name, f"cannot read '{value[:40]}': expected seconds since 1970 like the file's first row.")
    try:
        parsed = datetime(1970, 1, 1) + timedelta(seconds=int(value.split(".")[0]))
    except (OverflowError, ValueError):  # past datetime's years, or more digits than int() reads
        parsed = datetime.max if not value.startswith("-") else datetime.min
    return _in_range(parsed, name, value).replace(tzinfo=timeutil.UTC)


def _in_range(naive: datetime, name: str, text: str) -> datetime:
    """The API's range rule (timeutil.parse_instant: dates 1900-01-01 to 9999-12-30) for a written date."""
    if not _day_in_range(naive.date()):
        raise _FieldError(name, f"'{text[:40]}' is out of range: use a date from 1900-01-01 to 9999-12-30.")
    return naive


@functools.lru_cache(maxsize=4096)  # a file's rows share few days; the check is a parse
def _day_in_range(day: date) -> bool:
    try:
        timeutil.parse_instant(f"{day.isoformat()}T00:00:00")
    except ValueError:
        return False
    return True


# 24-hour (13:05, 13:05:09) or 12-hour (1:05 PM, 01:05:09 pm) clock times, as the trackers write
# them; a regular expression, as strptime took a third of a large file's reading time.
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:\s*([AaPp][Mm]))?$")
_NUMERIC_DATE = re.compile(r"^([0-9]{1,4})([./-])([0-9]{1,2})\2([0-9]{1,4})$")
_ORDER_NAMES = {"DMY": "day/month/year", "MDY": "month/day/year", "YMD": "year/month/day"}


@functools.lru_cache(maxsize=4096)  # a file repeats its dates in many rows
def _date(text: str, name: str, order: str | None) -> date:
    """A numeric date; year first is unambiguous, otherwise ``order`` (DMY or MDY) says."""
    match = _NUMERIC_DATE.match(text)
    if not match:
        raise _FieldError(name, f"cannot read '{text[:40]}' as a date.")
    first, _sep, second, third = match.groups()
    if len(first) == 4:
        year, month, day = first, second, third
    elif len(third) == 4 and order in ("DMY", "MDY"):
        day, month, year = (first, second, third) if order == "DMY" else (second, first, third)
    elif len(third) == 4 and order is None and first == second:  # the file needed no order: day equals month
        day, month, year = first, second, third
    elif len(third) == 4 and order == "YMD":
        raise _FieldError(name, f"cannot read '{text}' as YMD (year/month/day): the year comes last; choose date_format=DMY or MDY.")
    else:
        raise _FieldError(name, f"cannot read '{text}': write the year with 4 digits.")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        how = f" as {order} ({_ORDER_NAMES[order]})" if order and len(first) != 4 else ""
        raise _FieldError(name, f"cannot read '{text}'{how}: no such date.") from None


def _date_order(records, columns: tuple[str, ...]) -> str | None:
    """The order of the file's day-month dates, when a day above 12 shows it; never a guess."""
    # None when no date needs an order (year first, or day equal to month).
    day_first = month_first = ambiguous = None
    for number, record in records:
        if isinstance(record, RowError):
            break
        for column in columns:
            match = _NUMERIC_DATE.match(record[column])
            if not match or len(match.group(4)) != 4:
                continue
            first, second = int(match.group(1)), int(match.group(3))
            example = (number, column, record[column])
            if first > 12 >= second:
                day_first = day_first or example
            elif second > 12 >= first:
                month_first = month_first or example
            elif first != second and first <= 12 and second <= 12:
                ambiguous = ambiguous or example
    if day_first and month_first:
        raise FileError(
            f"The dates mix orders: row {day_first[0]} has '{day_first[2]}' (day first), row {month_first[0]} has "
            f"'{month_first[2]}' (month first). Choose the date order with date_format=DMY or date_format=MDY."
        )
    if day_first or month_first:
        return "DMY" if day_first else "MDY"
    if ambiguous:
        raise FileError(
            f"The dates could be day first or month first (row {ambiguous[0]}, {ambiguous[1]} '{ambiguous[2]}'): "
            "choose the date order with date_format=DMY (day/month/year) or date_format=MDY (month/day/year)."
        )
    return None


def _wall(day_text: str, time_text: str, day_name: str, time_name: str, order: str | None) -> datetime:
    """A wall-clock date and time as written (naive), in the range the API accepts."""
    day = _date(day_text, day_name, order)
    clock = _clock(time_text)
    if clock is None:
        raise _FieldError(time_name, f"cannot read '{time_text[:40]}' as a time.")
    return _in_range(datetime.combine(day, clock), day_name, day_text)


@functools.lru_cache(maxsize=4096)
def _clock(text: str) -> time | None:
    """A clock time, or None when the text is not one."""
    match = _CLOCK.match(text)
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[4].lower() == "pm" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        return None


def _local_span(start: datetime, end: datetime, zone: ZoneInfo, start_name: str, end_name: str) -> tuple[datetime, datetime]:
    """A start and end written in ``zone``; an entry of no length stays of no length."""
    started_at = _to_utc(start, zone, start_name)
    return started_at, started_at if end == start else _to_utc(end, zone, end_name, after=True)


def _to_utc(naive: datetime, zone: ZoneInfo, name: str, after: bool = False) -> datetime:
    """A wall-clock time in ``zone``, as a UTC instant (DST-correct)."""
    # A time that does not exist (skipped by a DST change) is an error. A time
    # that exists twice (the repeated hour in autumn) is read as its first
    # occurrence for a start, and as its second for an end, so an event
    # spanning the change keeps its real length.
    local = naive.replace(tzinfo=zone, fold=1 if after else 0)
    try:
        as_utc = local.astimezone(timeutil.UTC)
    except OverflowError:  # a backstop: _in_range keeps dates where no offset overflows
        raise _FieldError(name, f"'{naive}' is out of range: use a date from 1900-01-01 to 9999-12-30.") from None
    if as_utc.astimezone(zone).replace(tzinfo=None) != naive:
        raise _FieldError(name, f"{naive:%Y-%m-%d %H:%M:%S} does not exist in {zone.key} (skipped by a daylight-saving change).")
    return as_utc.replace(microsecond=0)


def _zone_or_refuse(options: Options, what: str, alternative: str = "") -> ZoneInfo:
    if options.zone is None:
        raise FileError(f"{what}: choose the time zone it was exported in (timezone=Area/City){alternative}.")
    return options.zone


def _project_label(project: str, description: str) -> str:
    """Trackers group by project; an entry without one is labelled by its description."""
    return project.strip() or description.strip() or "No project"
