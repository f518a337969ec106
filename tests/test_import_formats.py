"""The import readers against each tracker's real export format (tests/data), instant by instant.

Every expected instant is written here by hand, in UTC, from the file's text
and the zone's rules; none is produced by the code under test.
"""
import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lifelogger.blueprints.transfer import formats
from lifelogger.blueprints.transfer.formats import FileError, ImportRow, RowError

DATA = Path(__file__).resolve().parent / "data"
UTC = timezone.utc


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def fixture(name):
    return (DATA / name).read_bytes()


def rows_of(fmt, data, zone=None, **options):
    """Read bytes (a fixture) or text (a variation written in the test) to a list."""
    if isinstance(data, str):
        data = data.encode()
    labels, rows = formats.read(fmt, data, ZoneInfo(zone) if zone else None, **options)
    return labels, list(rows)


def spans(rows):
    return [(r.row, r.label, r.started_at, r.ended_at, r.note) for r in rows]


# --- Toggl and Clockify detailed reports -----------------------------------------------


def test_toggl_detailed_report_with_bom_zero_length_entry_and_one_second_overlap():
    _, rows = rows_of("toggl-csv", fixture("toggl-detailed.csv"), "Europe/Berlin")
    # Berlin is UTC+1 in March until the change on 31 March at 02:00 (to UTC+2).
    assert spans(rows) == [
        (2, "Programming", utc(2024, 3, 4, 8, 0, 0), utc(2024, 3, 4, 9, 0, 1), "Review, part 1"),
        (3, "Programming", utc(2024, 3, 4, 9, 0, 0), utc(2024, 3, 4, 10, 30, 0), "Review, part 2"),
        (4, "Email", utc(2024, 3, 4, 11, 0, 0), utc(2024, 3, 4, 11, 0, 0), "Started by mistake"),  # zero-length, passed on
        (5, "Lunch", utc(2024, 3, 4, 11, 30, 0), utc(2024, 3, 4, 12, 15, 0), None),
        (6, "Sleep", utc(2024, 3, 31, 0, 30, 0), utc(2024, 3, 31, 1, 30, 0), None),  # 01:30 CET to 03:30 CEST
    ]


def test_clockify_detailed_report_day_first_12_hour_crlf_quoted():
    _, rows = rows_of("clockify-csv", fixture("clockify-detailed.csv"), "Europe/London")
    # 14/03/2024 shows the file is day first, so 03/04/2024 is 3 April (BST, UTC+1, from 31 March).
    assert spans(rows) == [
        (2, "Writing", utc(2024, 3, 14, 9, 0, 0), utc(2024, 3, 14, 10, 30, 0), "Chapter 1"),
        (3, "Writing", utc(2024, 4, 3, 11, 0, 0), utc(2024, 4, 3, 12, 15, 30), "Chapter 2"),
        (4, "Admin", utc(2024, 4, 3, 12, 15, 30), utc(2024, 4, 3, 12, 15, 30), "Timer blip"),
        (5, "Admin", utc(2024, 4, 3, 12, 15, 29), utc(2024, 4, 3, 12, 45, 0), "Email"),
        # 11:30 PM on 5 April to 12:30 AM on 6 April, BST.
        (6, "Sleep", utc(2024, 4, 5, 22, 30, 0), utc(2024, 4, 5, 23, 30, 0), None),
    ]


def test_clockify_newer_report_with_more_columns_and_24_hour_times_without_seconds():
    _, rows = rows_of("clockify-csv", fixture("clockify-detailed-24h.csv"), "Europe/Berlin")
    # 19/02/2026 shows day first: 02/03/2026 is 2 March. CET, UTC+1.
    assert spans(rows) == [
        (2, "Migration", utc(2026, 2, 19, 14, 0, 0), utc(2026, 2, 19, 17, 0, 0), "Planning"),
        (3, "Migration", utc(2026, 3, 2, 8, 30, 0), utc(2026, 3, 2, 8, 30, 0), "Review"),
        (4, "Migration", utc(2026, 3, 2, 9, 0, 0), utc(2026, 3, 2, 9, 45, 0), "Call"),
    ]


def test_toggl_report_with_every_cell_quoted_and_an_entry_past_midnight():
    _, rows = rows_of("toggl-csv", fixture("toggl-quoted.csv"), "America/New_York")
    # EDT, UTC-4.
    assert spans(rows) == [
        (2, "Project Name", utc(2026, 8, 21, 23, 21, 21), utc(2026, 8, 21, 23, 39, 46), "Update new/changed healthchecks"),
        (3, "Project Name", utc(2026, 8, 22, 3, 50, 0), utc(2026, 8, 22, 4, 10, 0), 'Night deploy, "quick"'),
    ]


def test_an_explicit_date_format_reads_the_dates_in_that_order():
    _, rows = rows_of("clockify-csv", fixture("clockify-detailed.csv"), "Europe/London", date_format="DMY")
    assert rows[1].started_at == utc(2024, 4, 3, 11, 0, 0)
    _, rows = rows_of("clockify-csv", fixture("clockify-detailed.csv"), "Europe/London", date_format="MDY")
    assert isinstance(rows[0], RowError) and rows[0].field == "Start Date"
    assert rows[0].message == "Start Date: cannot read '14/03/2024' as MDY (month/day/year): no such date."
    # 03/04/2024 month first is 4 March (GMT, UTC+0).
    assert rows[1].started_at == utc(2024, 3, 4, 12, 0, 0)
    _, rows = rows_of("clockify-csv", fixture("clockify-detailed.csv"), "Europe/London", date_format="YMD")
    assert rows[0] == RowError(
        2, "Start Date: cannot read '14/03/2024' as YMD (year/month/day): the year comes last; choose date_format=DMY or MDY.", "Start Date"
    )
    with pytest.raises(FileError, match="date_format must be one of DMY, MDY, YMD"):
        rows_of("clockify-csv", fixture("clockify-detailed.csv"), "Europe/London", date_format="DDMM")


def test_a_file_whose_dates_could_be_either_order_is_refused_naming_the_option():
    with pytest.raises(FileError) as refused:
        rows_of("clockify-csv", fixture("clockify-ambiguous-dates.csv"), "Europe/London")
    message = str(refused.value)
    assert "date_format=DMY" in message and "date_format=MDY" in message
    assert "row 2" in message and "'03/04/2024'" in message
    _, rows = rows_of("clockify-csv", fixture("clockify-ambiguous-dates.csv"), "America/New_York", date_format="MDY")
    # 4 March, EST (UTC-5); 5 May, EDT (UTC-4).
    assert [(r.started_at, r.ended_at) for r in rows] == [
        (utc(2024, 3, 4, 14, 0, 0), utc(2024, 3, 4, 15, 30, 0)),
        (utc(2024, 5, 5, 13, 0, 0), utc(2024, 5, 5, 14, 0, 0)),
    ]


def test_a_file_mixing_day_first_and_month_first_dates_is_refused():
    header, *rows = (DATA / "clockify-detailed.csv").read_text(encoding="utf-8-sig").splitlines()
    month_first = rows[0].replace("14/03/2024", "03/14/2024").replace("Chapter 1", "Chapter 0")
    with pytest.raises(FileError, match="mix orders"):
        rows_of("clockify-csv", "\r\n".join([header, *rows, month_first]), "Europe/London")


def test_a_semicolon_separated_toggl_file_with_a_clear_header_is_read():
    _, rows = rows_of("toggl-csv", fixture("toggl-semicolons.csv"), "Europe/Berlin")
    # 14.03.2024 shows day first: 04.03.2024 is 4 March. CET, UTC+1.
    assert spans(rows) == [
        (2, "Programming", utc(2024, 3, 4, 8, 0, 0), utc(2024, 3, 4, 9, 0, 0), "Review, part 1"),
        (3, "Programming", utc(2024, 3, 14, 9, 0, 0), utc(2024, 3, 14, 10, 30, 0), "Review, part 2"),
    ]


def test_a_tab_separated_toggl_file_with_a_clear_header_is_read():
    text = (DATA / "toggl-detailed.csv").read_text(encoding="utf-8-sig")
    tabbed = "\n".join("\t".join(cells) for cells in csv.reader(io.StringIO(text)))
    _, rows = rows_of("toggl-csv", tabbed, "Europe/Berlin")
    assert (rows[0].started_at, rows[0].ended_at, rows[0].note) == (utc(2024, 3, 4, 8, 0, 0), utc(2024, 3, 4, 9, 0, 1), "Review, part 1")
    assert len(rows) == 5


def test_a_file_in_another_separator_without_the_columns_names_the_separator():
    data = "Name;Start;End\r\nWork;2024-03-04 09:00;2024-03-04 10:00\r\n"
    with pytest.raises(FileError, match="separated by semicolons, not commas"):
        rows_of("toggl-csv", data, "Europe/Berlin")
    with pytest.raises(FileError, match="separated by tabs, not commas"):
        rows_of("lifelogger-csv", data.replace(";", "\t"))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n  \r\n", b"\n\t\n"])
def test_an_empty_file_is_refused_as_empty(data):
    with pytest.raises(FileError, match=r"^The file is empty\.$"):
        formats.read("toggl-csv", data, ZoneInfo("UTC"))


def test_the_empty_fixture_is_refused_as_empty_in_every_format():
    for name in formats.FORMATS:
        with pytest.raises(FileError, match=r"^The file is empty\.$"):
            rows_of(name, fixture("empty.csv"), "UTC")


def test_row_errors_name_the_field_as_the_file_does():
    data = (DATA / "toggl-detailed.csv").read_text(encoding="utf-8-sig").replace("2024-03-04,09:00:00", "2024-02-31,09:00:00", 1)
    _, rows = rows_of("toggl-csv", data, "Europe/Berlin")
    assert rows[0] == RowError(2, "Start date: cannot read '2024-02-31': no such date.", "Start date")
    _, rows = rows_of("toggl-csv", data.replace("2024-02-31,09:00:00", "2024-03-04,9 o'clock"), "Europe/Berlin")
    assert rows[0] == RowError(2, "Start time: cannot read '9 o'clock' as a time.", "Start time")


@pytest.mark.parametrize("clock", ["13:15:00 PM", "00:15 AM", "24:00:00", "9.15", "09:60"])
def test_a_time_that_is_no_clock_time_is_a_row_error(clock):
    data = (DATA / "clockify-detailed.csv").read_text(encoding="utf-8-sig").replace("09:00:00 AM", clock)
    _, rows = rows_of("clockify-csv", data, "Europe/London")
    assert rows[0] == RowError(2, f"Start Time: cannot read '{clock}' as a time.", "Start Time")


def test_a_local_time_skipped_by_the_spring_change_is_a_row_error():
    data = (DATA / "toggl-detailed.csv").read_text(encoding="utf-8-sig").replace("2024-03-31,01:30:00", "2024-03-31,02:30:00")
    _, rows = rows_of("toggl-csv", data, "Europe/Berlin")
    assert rows[-1].field == "Start time" and "does not exist in Europe/Berlin" in rows[-1].message


# --- Issue #15: what used to be a 500 ----------------------------------------------------


TOGGL_HEADER = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount ()\n"


def test_a_toggl_row_at_the_end_of_year_9999_is_a_row_error_naming_the_range():
    # 9999-12-31 23:00 in Los Angeles is past the largest datetime in UTC (OverflowError before).
    data = TOGGL_HEADER + "J,j@example.com,,Work,,x,No,9999-12-31,23:00:00,9999-12-31,23:30:00,00:30:00,,\n"
    _, rows = rows_of("toggl-csv", data, "America/Los_Angeles")
    assert rows == [RowError(2, "Start date: '9999-12-31' is out of range: use a date from 1900-01-01 to 9999-12-30.", "Start date")]


def test_a_year_one_toggl_row_is_not_a_valid_row():
    data = TOGGL_HEADER + "J,j@example.com,,Work,,x,No,0001-01-01,09:00:00,0001-01-01,10:00:00,01:00:00,,\n"
    _, rows = rows_of("toggl-csv", data, "Europe/Berlin")
    assert isinstance(rows[0], RowError) and rows[0].field == "Start date" and "1900-01-01 to 9999-12-30" in rows[0].message


def test_a_clockify_row_in_year_one_in_tokyo_is_a_row_error():
    header = (DATA / "clockify-detailed.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    row = '"Work","","x","","J","","j@example.com","","No","01/01/0001","12:00 AM","01/01/0001","01:00 AM","01:00:00","1.00","0.00","0.00"'
    _, rows = rows_of("clockify-csv", header + "\r\n" + row + "\r\n", "Asia/Tokyo")
    assert rows == [RowError(2, "Start Date: '01/01/0001' is out of range: use a date from 1900-01-01 to 9999-12-30.", "Start Date")]


@pytest.mark.parametrize("fmt", ["toggl-csv", "lifelogger-csv", "clockify-csv", "timetagger-csv"])
def test_a_field_over_128_kib_is_a_row_error_not_a_crash(fmt):
    long = "x" * (128 * 1024 + 1)
    files = {
        "toggl-csv": TOGGL_HEADER + f"J,j@example.com,,Work,,{long},No,2024-03-04,09:00:00,2024-03-04,10:00:00,01:00:00,,\n",
        "lifelogger-csv": f"label,started_at,ended_at,note\nWork,2024-03-04T09:00:00Z,2024-03-04T10:00:00Z,\"{long}\"\n",
        "clockify-csv": (DATA / "clockify-detailed.csv").read_text(encoding="utf-8-sig").replace("Chapter 2", long),
        "timetagger-csv": f"key\tstart\tstop\ttags\tdescription\nk\t2024-03-04T09:00:00Z\t2024-03-04T10:00:00Z\t#work\t#work {long}\n",
    }
    _, rows = rows_of(fmt, files[fmt], "Europe/London")
    error = next(row for row in rows if isinstance(row, RowError))
    assert "too long" in error.message and "128 KiB" in error.message
    assert error.row == (3 if fmt == "clockify-csv" else 2)


def test_deeply_nested_json_is_a_file_error():
    for fmt in ("lifelogger-json", "timewarrior-json"):
        with pytest.raises(FileError, match="nested too deeply"):
            formats.read(fmt, b"[" * 100_000 + b"]" * 100_000, None)
    assert formats.detect(b"[" * 100_000) is None


# --- TimeTagger --------------------------------------------------------------------------


def test_timetagger_iso_export_with_a_running_record():
    _, rows = rows_of("timetagger-csv", fixture("timetagger-iso.tsv"))
    assert spans(rows) == [
        (2, "work", utc(2024, 3, 4, 9, 0, 0), utc(2024, 3, 4, 10, 30, 0), "#work Weekly report"),
        (3, "reading", utc(2024, 3, 4, 10, 30, 0), None, "#reading Dune"),  # stop == start: running
    ]


def test_timetagger_unix_export():
    _, rows = rows_of("timetagger-csv", fixture("timetagger-unix.tsv"))
    # 1709544232 s after 1970-01-01 is 2024-03-04 09:23:52 UTC (19786 days + 33832 s).
    assert spans(rows) == [
        (2, "work", utc(2024, 3, 4, 9, 23, 52), utc(2024, 3, 4, 10, 0, 0), "#work Weekly report"),
        (3, "reading", utc(2024, 3, 4, 10, 30, 0), None, "#reading Dune"),
    ]


def test_timetagger_local_export_in_the_named_zone_dst_correct():
    _, rows = rows_of("timetagger-csv", fixture("timetagger-local.tsv"), "Europe/Amsterdam")
    assert spans(rows) == [
        (2, "work", utc(2024, 3, 4, 10, 23, 52), utc(2024, 3, 4, 11, 0, 0), "#work Weekly report"),  # CET, UTC+1
        # 01:30 CEST (UTC+2) to the second 02:30, in CET (UTC+1), the night clocks fall back: two hours.
        (3, "sleep", utc(2024, 10, 26, 23, 30, 0), utc(2024, 10, 27, 1, 30, 0), "#sleep"),
        (4, "reading", utc(2024, 10, 27, 8, 15, 0), None, "#reading Dune"),
    ]


def test_timetagger_local_export_without_a_zone_asks_for_the_zone_it_was_exported_in():
    with pytest.raises(FileError) as refused:
        rows_of("timetagger-csv", fixture("timetagger-local.tsv"))
    assert "choose the time zone it was exported in" in str(refused.value) and "timezone=" in str(refused.value)


def test_timetagger_local_time_in_the_spring_gap_is_a_row_error():
    data = (DATA / "timetagger-local.tsv").read_text().replace("2024-10-27 01:30:00", "2024-03-31 02:30:00")
    _, rows = rows_of("timetagger-csv", data, "Europe/Amsterdam")
    assert rows[1].field == "start" and "does not exist in Europe/Amsterdam" in rows[1].message


# --- Timewarrior -------------------------------------------------------------------------


def test_timewarrior_export_from_the_real_timew():
    labels, rows = rows_of("timewarrior-json", fixture("timewarrior-export.json"))
    assert labels == []
    assert spans(rows) == [
        (1, "Programming", utc(2024, 3, 4, 9, 0, 0), utc(2024, 3, 4, 10, 30, 0), "#work"),
        (2, "Coffee", utc(2024, 3, 4, 10, 30, 0), utc(2024, 3, 4, 10, 30, 0), None),  # zero-length, passed on
        (3, "Deep work", utc(2024, 3, 4, 11, 0, 0), utc(2024, 3, 4, 12, 15, 30), 'Reading "Dune", ch. 3 #reading'),
        (4, "Untagged", utc(2024, 3, 4, 13, 0, 0), utc(2024, 3, 4, 13, 45, 0), None),
        (5, "Writing", utc(2024, 3, 4, 14, 0, 0), None, None),  # no end: running
    ]


def test_timewarrior_label_is_the_tag_naming_one_of_your_labels_in_your_spelling():
    _, rows = rows_of("timewarrior-json", fixture("timewarrior-export.json"), known_labels=["Reading", "WORK"])
    assert [(r.label, r.note) for r in rows[:3]] == [
        ("WORK", "#Programming"),
        ("Coffee", None),
        ("Reading", 'Reading "Dune", ch. 3 #"Deep work"'),
    ]


def test_timewarrior_bad_intervals_are_row_errors():
    data = json.dumps([{"id": 1, "start": "20240231T090000Z"}, {"id": 2, "start": "2024-03-04"}, {"id": 3, "start": "20240304T090000Z", "tags": "x"}, 7])
    _, rows = rows_of("timewarrior-json", data)
    assert [(r.row, r.field) for r in rows] == [(1, "start"), (2, "start"), (3, "tags"), (4, None)]
    assert all(isinstance(r, RowError) for r in rows)


# --- Life Logger CSV: our exports' formula neutralisation reversed -----------------------


def test_lifelogger_csv_restores_neutralised_label_and_note_cells():
    data = "label,started_at,ended_at,duration_minutes,note\n'=Work,2024-03-04T09:00:00+00:00,2024-03-04T10:00:00+00:00,60.0,'+1 idea\n"
    _, rows = rows_of("lifelogger-csv", data)
    assert (rows[0].label, rows[0].note) == ("=Work", "+1 idea")
    _, rows = rows_of("lifelogger-csv", data.replace("'=Work", "''=Work").replace("'+1 idea", "It's"))
    assert (rows[0].label, rows[0].note) == ("'=Work", "It's")


# --- detect ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("toggl-detailed.csv", "toggl-csv"),
        ("toggl.csv", "toggl-csv"),
        ("toggl-semicolons.csv", "toggl-csv"),
        ("clockify-detailed.csv", "clockify-csv"),
        ("clockify-detailed-24h.csv", "clockify-csv"),
        ("toggl-quoted.csv", "toggl-csv"),
        ("timetagger-local.tsv", "timetagger-csv"),
        ("timetagger-unix.tsv", "timetagger-csv"),
        ("timewarrior-export.json", "timewarrior-json"),
        ("lifelogger.csv", "lifelogger-csv"),
        ("empty.csv", None),
    ],
)
def test_detect_names_the_format_from_the_header(fixture, expected):
    assert formats.detect((DATA / fixture).read_bytes()) == expected


def test_detect_knows_our_json_and_refuses_to_guess_the_rest():
    assert formats.detect(b'{"format": "lifelogger", "version": 1, "labels": [], "events": []}') == "lifelogger-json"
    assert formats.detect(b"Name,Start,End\nx,1,2\n") is None
    assert formats.detect(b'{"events": []}') is None
    assert formats.detect(b"\xff\xfe") is None


def test_rows_are_yielded_lazily():
    _, rows = formats.read("toggl-csv", (DATA / "toggl-detailed.csv").read_bytes(), ZoneInfo("UTC"))
    assert not isinstance(rows, list)
    assert isinstance(next(iter(rows)), ImportRow)


# --- Through POST /import: what used to answer 500 now answers 422 and changes nothing ----


def post_import(user, data: bytes, fmt, **query):
    return user.post("/import", query_string={"format": fmt, **query}, data=data, headers={"Content-Type": "text/csv"})


@pytest.mark.parametrize(
    ("fmt", "zone", "data", "says"),
    [
        ("lifelogger-json", None, b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("toggl-csv", "Europe/Berlin", (TOGGL_HEADER + "J,j@example.com,,Work,," + "x" * 140_000 + ",No,2024-03-04,09:00:00,2024-03-04,10:00:00,01:00:00,,\n").encode(), "too long"),
        ("toggl-csv", "America/Los_Angeles", (TOGGL_HEADER + "J,j@example.com,,Work,,x,No,9999-12-31,23:00:00,9999-12-31,23:30:00,00:30:00,,\n").encode(), "1900-01-01 to 9999-12-30"),
        ("toggl-csv", "Europe/Berlin", (TOGGL_HEADER + "J,j@example.com,,Work,,x,No,0001-01-01,09:00:00,0001-01-01,10:00:00,01:00:00,,\n").encode(), "1900-01-01 to 9999-12-30"),
        ("clockify-csv", "Asia/Tokyo", fixture("clockify-detailed.csv").replace(b'"14/03/2024","09:00:00 AM"', b'"01/01/0001","12:00:00 AM"'), "1900-01-01 to 9999-12-30"),
        ("clockify-csv", "Europe/London", fixture("clockify-ambiguous-dates.csv"), "date_format=DMY"),
        ("timetagger-csv", None, fixture("timetagger-local.tsv"), "choose the time zone it was exported in"),
        ("toggl-csv", "Europe/Berlin", fixture("empty.csv"), "The file is empty."),
    ],
    ids=["deep-json", "long-field", "year-9999-in-LA", "year-1", "clockify-year-1-in-Tokyo", "ambiguous-dates", "timetagger-local-no-zone", "empty"],
)
def test_unreadable_files_are_refused_with_422_and_nothing_changes(user, fmt, zone, data, says):
    labels = user.get("/labels").json["labels"]
    response = post_import(user, data, fmt, **({"timezone": zone} if zone else {}))
    assert response.status_code == 422, response.json
    assert says in json.dumps(response.json)
    assert user.get("/labels").json["labels"] == labels
    assert user.get("/events", query_string={"start": "1900-01-01T00:00:00Z", "end": "9999-12-30T00:00:00Z"}).json["events"] == []


def test_a_timew_export_imports_through_the_api(user, clock):
    clock.current = utc(2024, 3, 4, 15, 0, 0)  # "now": after the export, its last interval still open
    intervals = [item for item in json.loads(fixture("timewarrior-export.json")) if item.get("tags") != ["Coffee"]]
    response = post_import(user, json.dumps(intervals).encode(), "timewarrior-json")
    assert response.status_code == 200, response.json
    assert response.json["imported"] == 4
    events = user.get("/events", query_string={"start": "2024-03-04T00:00:00Z", "end": "2024-03-05T00:00:00Z"}).json["events"]
    # The user already has "Reading": the interval tagged "Deep work" and "reading" is
    # logged under it (in the user's spelling), the other tag goes into the note.
    assert [(e["label"], e["started_at"], e["ended_at"], e["note"]) for e in events] == [
        ("Programming", "2024-03-04T09:00:00+00:00", "2024-03-04T10:30:00+00:00", "#work"),
        ("Reading", "2024-03-04T11:00:00+00:00", "2024-03-04T12:15:30+00:00", 'Reading "Dune", ch. 3 #"Deep work"'),
        ("Untagged", "2024-03-04T13:00:00+00:00", "2024-03-04T13:45:00+00:00", None),
        ("Writing", "2024-03-04T14:00:00+00:00", None, None),
    ]
