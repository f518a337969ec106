"""Export everything, import from other trackers: all or nothing, with a per-row report."""
import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
EVERYTHING = {"start": "2000-01-01T00:00:00Z", "end": "2030-01-01T00:00:00Z"}


@pytest.fixture
def later(clock):
    """Let "now" be the real time again: after every sample file's events (and sessions stay fresh)."""
    clock.current = datetime.now(timezone.utc).replace(microsecond=0)
    return clock


def import_file(user, name_or_bytes, fmt, **query):
    data = name_or_bytes if isinstance(name_or_bytes, bytes) else (DATA / name_or_bytes).read_bytes()
    return user.post("/import", query_string={"format": fmt, **query}, data=data, headers={"Content-Type": "text/csv"})


def events_of(user):
    return [(e["label"], e["started_at"], e["ended_at"], e["note"]) for e in user.get("/events", query_string=EVERYTHING).json["events"]]


# --- export -----------------------------------------------------------------------------


def test_json_export_has_labels_events_and_the_running_one(user, clock, make_event):
    done = make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    running = user.post("/events/start", json={"label": "Programming", "note": "API"}).json
    response = user.get("/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="lifelogger-export.json"'
    assert json.loads(response.data) == {
        "format": "lifelogger",
        "version": 1,
        "labels": ["Exercise", "Programming", "Reading"],
        "events": [
            {"source_id": done["id"], "label": "Reading", "started_at": "2026-03-24T09:00:00+00:00", "ended_at": "2026-03-24T10:00:00+00:00", "note": None},
            {"source_id": running["id"], "label": "Programming", "started_at": "2026-03-24T12:00:00+00:00", "ended_at": None, "note": "API"},
        ],
    }


def test_export_of_a_range(user, clock, make_event):
    make_event(user, "Reading", "2026-03-23T09:00:00Z", "2026-03-23T10:00:00Z")
    inside = make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    body = json.loads(user.get("/export", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).data)
    assert [e["source_id"] for e in body["events"]] == [inside["id"]]
    assert user.get("/export", query_string={"start": "2026-03-24T00:00:00Z"}).status_code == 422


def test_csv_export_for_spreadsheets(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:30:00Z")
    response = user.get("/export", query_string={"format": "csv"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data(as_text=True) == (
        "label,started_at,ended_at,duration_minutes\nReading,2026-03-24T09:00:00+00:00,2026-03-24T10:30:00+00:00,90.0\n"
    )


def test_csv_export_has_a_note_column_when_notes_exist(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:30:00Z")
    user.patch(f"/events/{event['id']}", json={"note": 'Dune, "the" book'})
    rows = list(csv.reader(io.StringIO(user.get("/export", query_string={"format": "csv"}).get_data(as_text=True))))
    assert rows == [
        ["label", "started_at", "ended_at", "duration_minutes", "note"],
        ["Reading", "2026-03-24T09:00:00+00:00", "2026-03-24T10:30:00+00:00", "90.0", 'Dune, "the" book'],
    ]


def test_export_wipe_import_export_is_byte_identical(app, make_user, clock, make_event):
    """The round trip loses nothing: labels (used or not), events, notes, the running event, ids."""
    original = make_user("alice", labels=["Unused label", "Reading", "Lesen 📚", "Work/Admin"])
    make_event(original, "Reading", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    noted = make_event(original, "Lesen 📚", "2026-03-24T09:00:00Z", "2026-03-24T09:30:00Z")
    original.patch(f"/events/{noted['id']}", json={"note": "zwei\nZeilen, \"quoted\""})
    make_event(original, "Work/Admin", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    original.post("/events/start", json={"label": "Reading"})
    first = original.get("/export").data

    fresh = make_user("alice2")  # "wiped": a new, empty account
    response = fresh.post("/import", query_string={"format": "lifelogger-json"}, data=first, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.json
    assert response.json["imported"] == 4
    assert fresh.get("/export").data == first


def test_export_is_streamed(user, clock):
    response = user.get("/export")
    assert response.is_streamed


# --- import -----------------------------------------------------------------------------


def test_toggl_import_in_the_named_zone_dst_correct(user, later):
    response = import_file(user, "toggl.csv", "toggl-csv", timezone="Europe/Berlin")
    assert response.status_code == 200, response.json
    assert response.json == {
        "dry_run": False,
        "format": "toggl-csv",
        "overlaps": "refuse",
        "complete": True,
        "imported": 4,
        "skipped_duplicates": 0,
        "skipped_empty": 0,
        "trimmed": [],
        "trimmed_total": 0,
        "skipped_trimmed_away": 0,
        "running_started": None,
        "skipped_running": [],
        "trim_preview": {"rows": 0, "min_seconds": None, "max_seconds": None, "skipped": 0},
        "labels_created": ["Reading the paper", "Sleep"],
        "errors": [],
        "errors_total": 0,
    }
    assert events_of(user) == [
        ("Programming", "2026-03-24T08:00:00+00:00", "2026-03-24T10:30:00+00:00", "Importer"),
        ("Exercise", "2026-03-24T17:00:00+00:00", "2026-03-24T17:45:00+00:00", "Run, 5 km"),
        ("Reading the paper", "2026-03-25T06:15:00+00:00", "2026-03-25T06:45:00+00:00", None),
        # 01:30 CET to 03:30 CEST on the night clocks spring forward: one hour.
        ("Sleep", "2026-03-29T00:30:00+00:00", "2026-03-29T01:30:00+00:00", None),
    ]


def test_clockify_import_with_12_hour_times_across_the_autumn_change(user, later):
    response = import_file(user, "clockify.csv", "clockify-csv", timezone="America/New_York")
    assert response.status_code == 200, response.json
    assert events_of(user) == [
        ("Programming", "2026-03-24T13:00:00+00:00", "2026-03-24T15:30:00+00:00", "Code review"),
        ("Exercise", "2026-03-24T22:00:00+00:00", "2026-03-24T22:45:00+00:00", "Gym"),
        # 01:30 EDT to 01:15 EST, after the clocks fell back: 45 minutes.
        ("Reading", "2026-11-01T05:30:00+00:00", "2026-11-01T06:15:00+00:00", None),
    ]


def test_timetagger_import_takes_the_first_tag_as_label(user, later):
    response = import_file(user, "timetagger.csv", "timetagger-csv")
    assert response.status_code == 200, response.json
    assert events_of(user) == [
        ("Reading", "2026-03-24T08:00:00+00:00", "2026-03-24T09:00:00+00:00", "#reading Dune"),
        ("Programming", "2026-03-24T09:00:00+00:00", "2026-03-24T10:30:00+00:00", "#programming #work importer tests"),
        ("Untagged", "2026-03-24T10:30:00+00:00", "2026-03-24T10:45:00+00:00", "coffee break"),
    ]


def test_lifelogger_csv_import(user, later):
    assert import_file(user, "lifelogger.csv", "lifelogger-csv").json["imported"] == 2
    assert events_of(user) == [
        ("Programming", "2026-03-24T09:00:00+00:00", "2026-03-24T11:30:00+00:00", "Importer"),
        ("Exercise", "2026-03-24T11:30:00+00:00", "2026-03-24T12:00:00+00:00", None),
    ]


def test_reimporting_the_same_file_adds_nothing(user, later):
    import_file(user, "toggl.csv", "toggl-csv", timezone="Europe/Berlin")
    again = import_file(user, "toggl.csv", "toggl-csv", timezone="Europe/Berlin")
    assert again.status_code == 200
    assert again.json["imported"] == 0 and again.json["skipped_duplicates"] == 4
    assert len(events_of(user)) == 4


def test_dry_run_reports_and_changes_nothing(user, later):
    response = import_file(user, "toggl.csv", "toggl-csv", timezone="Europe/Berlin", dry_run="true")
    assert response.status_code == 200
    assert response.json["dry_run"] is True and response.json["imported"] == 4
    assert events_of(user) == []
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]


def test_malformed_rows_are_reported_per_row_and_nothing_is_imported(user, later):
    response = import_file(user, "toggl-malformed.csv", "toggl-csv", timezone="Europe/Berlin")
    assert response.status_code == 422
    body = response.json
    assert body["imported"] == 1 and body["code"] == 422  # what would have been imported
    assert [error["row"] for error in body["errors"]] == [3, 4, 5, 6]
    messages = {error["row"]: error["message"] for error in body["errors"]}
    assert messages[3] == "Start date: cannot read '2026-02-30': no such date."
    assert "does not exist in Europe/Berlin" in messages[4]
    assert "ended_at must be after started_at" in messages[5]
    assert "Overlaps row 2 of this file" in messages[6]
    assert events_of(user) == []


def test_timetagger_malformed_rows(user, later):
    body = import_file(user, "timetagger-malformed.csv", "timetagger-csv").json
    assert [(e["row"], e["message"].split(":")[0]) for e in body["errors"]] == [(2, "stop"), (3, "start")]


def test_overlaps_with_existing_events_are_reported_not_merged(user, later, make_event):
    existing = make_event(user, "Reading", "2026-03-24T08:30:00Z", "2026-03-24T09:30:00Z")
    body = import_file(user, "toggl.csv", "toggl-csv", timezone="Europe/Berlin").json
    assert body["errors"] == [{"row": 2, "field": "overlaps", "message": f"Overlaps your event {existing['id']} (Reading, 2026-03-24T08:30:00+00:00 to 2026-03-24T09:30:00+00:00)."}]
    assert len(events_of(user)) == 1


def test_local_time_formats_need_a_zone(user):
    response = import_file(user, "toggl.csv", "toggl-csv")
    assert response.status_code == 422
    assert [error["field"] for error in response.json["errors"]] == ["timezone"]
    unknown = import_file(user, "toggl.csv", "toggl-csv", timezone="Mars/Olympus")
    assert unknown.status_code == 422
    # An invalid parameter is refused in the import's one refusal shape too (as documented).
    assert unknown.json["errors"] == [{"row": None, "field": "timezone", "message": "Unknown time zone 'Mars/Olympus'; use an IANA name like Europe/Berlin."}]
    assert (unknown.json["imported"], unknown.json["errors_total"], unknown.json["dry_run"]) == (0, 1, False)
    assert import_file(user, "toggl.csv", "toggl-csv", timezone="Europe").status_code == 422  # a tz folder, not a zone


def test_a_file_in_the_wrong_format_is_refused_clearly(user):
    response = import_file(user, "timetagger.csv", "toggl-csv", timezone="UTC")
    assert response.status_code == 422
    assert "Missing column(s)" in response.json["message"]
    assert import_file(user, b"\xff\xfe\x00garbage", "lifelogger-csv").status_code == 422
    assert import_file(user, b"", "lifelogger-csv").status_code == 422


def test_multipart_upload(user, later):
    data = {"file": (io.BytesIO((DATA / "lifelogger.csv").read_bytes()), "export.csv")}
    response = user.post("/import", query_string={"format": "lifelogger-csv"}, data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    assert response.json["imported"] == 2


def test_a_year_sized_file_is_accepted_beyond_the_64_kib_body_limit(user, later):
    lines = ["label,started_at,ended_at"]
    for day in range(365):
        for hour in range(0, 20, 2):
            start = f"2025-01-01T{hour:02d}:00:00Z"
            lines.append(f"Reading,{start},{start}")  # zero-length: only the size matters here
    data = "\n".join(lines).encode()
    assert len(data) > 64 * 1024
    response = import_file(user, data, "lifelogger-csv", dry_run="true")
    assert response.status_code == 200  # read and judged row by row, not refused as too large
    assert response.json["skipped_empty"] == 3650


# --- the import's checks, against the rules stated plainly ----------------------------------


def brute_force_import(log, rows):
    """What an import must decide, by the rules themselves (quadratic, for small files).

    Oldest row first: a row equal to an event of the log or an accepted row (label,
    start, end) is a duplicate; else a running row (no end) is kept only when it is
    the newest row, nothing in the log runs and it overlaps nothing (an open end is
    "now and on"), and is skipped otherwise; else a row overlapping any kept one is
    refused; else it is accepted.
    """
    def overlap(a, b):
        return (a[2] is None or b[1] < a[2]) and (b[2] is None or a[1] < b[2])

    kept, skipped, refused, running_skipped = list(log), 0, set(), set()
    log_runs = any(end is None for _label, _start, end in log)
    for number, row in sorted(rows.items(), key=lambda item: (item[1][1], item[0])):
        newest = all(other[1] < row[1] for n, other in rows.items() if n != number)
        if row in kept:
            skipped += 1
        elif row[2] is None:
            if newest and not log_runs and not any(overlap(row, other) for other in kept):
                kept.append(row)
            else:
                running_skipped.add(number)
        elif any(overlap(row, other) for other in kept):
            refused.add(number)
        else:
            kept.append(row)
    return skipped, refused, running_skipped


@pytest.mark.parametrize("seed", range(12))
def test_duplicates_and_overlaps_are_decided_as_the_rules_say(user, clock, seed):
    """Random logs (a running event in some) and random files with touching, nested,
    crossing, equal and open-ended rows: the import decides every row as stated."""
    import random

    rng = random.Random(seed)
    base = int(datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp())
    iso = lambda t: None if t is None else datetime.fromtimestamp(base + 600 * t, timezone.utc).isoformat()  # noqa: E731
    clock.set(iso(400))
    labels = ["Exercise", "Programming", "Reading"]

    log, t = [], rng.randrange(5)
    while t < 200:  # the user's log: events that never overlap, the last one perhaps running
        end = t + rng.randrange(1, 8)
        log.append((rng.choice(labels), t, None if end >= 200 and seed % 2 else min(end, 200)))
        t = end + rng.randrange(0, 4)
    for label, start, end in log:
        if end is None:
            assert user.post("/events/start", json={"label": label, "started_at": iso(start)}).status_code == 201
        else:
            response = user.post("/events", json={"label": label, "started_at": iso(start), "ended_at": iso(end)})
            assert response.status_code == 201, response.json
    rows = {}
    for number in range(2, 40):  # rows 2.. (row 1 is the header)
        if log and rng.random() < 0.2:
            rows[number] = rng.choice(log)  # a duplicate of the log
        elif rows and rng.random() < 0.1:
            rows[number] = rng.choice(list(rows.values()))  # a duplicate within the file
        else:
            start = rng.randrange(0, 230)
            rows[number] = (rng.choice(labels), start, None if rng.random() < 0.03 else start + rng.randrange(1, 10))
    lines = ["label,started_at,ended_at,duration_minutes"]
    lines += [f"{label},{iso(start)},{iso(end) or ''}," for label, start, end in rows.values()]

    response = import_file(user, "\n".join(lines).encode(), "lifelogger-csv", dry_run="true")
    skipped, refused, running_skipped = brute_force_import(log, rows)
    body = response.json
    assert {error["row"] for error in body["errors"]} == refused
    assert all(error["message"].startswith("Overlaps ") for error in body["errors"])
    assert {skip["row"] for skip in body["skipped_running"]} == running_skipped
    assert body["skipped_duplicates"] == skipped
    assert body["imported"] == len(rows) - skipped - len(refused) - len(running_skipped)


def test_imported_notes_are_found_by_search_in_any_case(user, later):
    """Imported events are written in bulk: their notes must be searchable like any other."""
    rows = "label,started_at,ended_at,duration_minutes,note\nReading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z,60,Straße nach ÉPERNAY\n"
    assert import_file(user, rows.encode(), "lifelogger-csv").status_code == 200
    found = user.get("/events", query_string={**EVERYTHING, "q": "STRASSE nach épernay"}).json["events"]
    assert [event["note"] for event in found] == ["Straße nach ÉPERNAY"]
