"""The import engine's policies and report: zero-length rows, overlaps (refuse or trim), the running row, one report shape."""
import io
import json

import pytest

from lifelogger.blueprints.transfer import schemas

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}


def csv_file(*rows: str) -> bytes:
    return "\n".join(["label,started_at,ended_at", *rows]).encode()


def post(user, data: bytes, fmt: str | None = "lifelogger-csv", **query):
    if fmt is not None:
        query["format"] = fmt
    return user.post("/import", query_string=query, data=data, headers={"Content-Type": "text/csv"})


def events_of(user):
    return [(e["label"], e["started_at"], e["ended_at"]) for e in user.get("/events", query_string=DAY).json["events"]]


def iso(hh_mm_ss: str) -> str:
    return f"2026-03-24T{hh_mm_ss}+00:00"


# --- zero-length rows ------------------------------------------------------------------------


def test_zero_length_rows_are_skipped_and_counted_not_refused(user, clock):
    data = csv_file(
        "Reading,2026-03-24T09:00:00Z,2026-03-24T09:00:00Z",
        "Reading,2026-03-24T10:00:00Z,2026-03-24T11:00:00Z",
    )
    response = post(user, data)
    assert response.status_code == 200, response.json
    assert response.json["skipped_empty"] == 1 and response.json["imported"] == 1
    assert events_of(user) == [("Reading", iso("10:00:00"), iso("11:00:00"))]


def test_an_end_before_the_start_is_still_an_error(user, clock):
    response = post(user, csv_file("Reading,2026-03-24T10:00:00Z,2026-03-24T09:00:00Z"))
    assert response.status_code == 422
    assert response.json["errors"] == [{"row": 2, "field": "ended_at", "message": "ended_at must be after started_at."}]


# --- overlaps: refuse or trim ----------------------------------------------------------------

OVERLAPPING = csv_file(
    "Reading,2026-03-24T09:00:00Z,2026-03-24T10:00:10Z",  # row 2
    "Exercise,2026-03-24T10:00:00Z,2026-03-24T11:00:00Z",  # row 3: starts 10 s before row 2 ends
    "Exercise,2026-03-24T10:30:00Z,2026-03-24T10:45:00Z",  # row 4: inside row 3, trimmed to nothing
)


def test_refuse_names_each_clash_and_says_what_trim_would_do(user, clock):
    response = post(user, OVERLAPPING, dry_run="true")
    assert response.status_code == 422
    body = response.json
    # Row 4 lies inside row 3, which is refused: it overlaps nothing kept.
    assert [(e["row"], e["field"], e["message"]) for e in body["errors"]] == [(3, "overlaps", "Overlaps row 2 of this file.")]
    assert body["errors_total"] == 1 and body["imported"] == 2
    assert body["trim_preview"] == {"rows": 1, "min_seconds": 10, "max_seconds": 10, "skipped": 1}
    assert events_of(user) == []


def test_trim_starts_the_later_row_when_the_earlier_ends(user, clock):
    response = post(user, OVERLAPPING, overlaps="trim")
    assert response.status_code == 200, response.json
    assert response.json["trimmed"] == [{"row": 3, "seconds": 10}]
    assert response.json["trimmed_total"] == 1 and response.json["skipped_trimmed_away"] == 1
    assert response.json["imported"] == 2
    assert events_of(user) == [
        ("Reading", iso("09:00:00"), iso("10:00:10")),
        ("Exercise", iso("10:00:10"), iso("11:00:00")),
    ]


def test_trim_yields_to_events_already_logged_on_both_sides(user, clock, make_event):
    make_event(user, "Programming", "2026-03-24T08:00:00Z", "2026-03-24T09:00:20Z")
    make_event(user, "Programming", "2026-03-24T09:59:30Z", "2026-03-24T10:30:00Z")
    response = post(user, csv_file("Reading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z"), overlaps="trim")
    assert response.status_code == 200, response.json
    assert response.json["trimmed"] == [{"row": 2, "seconds": 50}]
    assert ("Reading", iso("09:00:20"), iso("09:59:30")) in events_of(user)


def test_reimporting_a_trimmed_file_adds_nothing(user, clock, make_event):
    make_event(user, "Programming", "2026-03-24T08:00:00Z", "2026-03-24T09:00:20Z")
    first = post(user, OVERLAPPING, overlaps="trim")
    assert first.status_code == 200, first.json
    again = post(user, OVERLAPPING, overlaps="trim")
    assert again.status_code == 200, again.json
    assert again.json["imported"] == 0 and again.json["skipped_duplicates"] == 2
    assert len(events_of(user)) == 3


# --- the running row -------------------------------------------------------------------------


def test_the_newest_running_row_becomes_the_running_event(user, clock):
    data = csv_file("Reading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z", "Exercise,2026-03-24T11:00:00Z,")
    response = post(user, data)
    assert response.status_code == 200, response.json
    assert response.json["running_started"] == 3 and response.json["skipped_running"] == []
    assert user.get("/events/current").json["event"]["label"] == "Exercise"


def test_a_running_row_that_is_not_the_newest_is_skipped_and_reported(user, clock):
    data = csv_file("Exercise,2026-03-24T08:00:00Z,", "Reading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z")
    response = post(user, data)
    assert response.status_code == 200, response.json
    assert response.json["running_started"] is None
    assert response.json["skipped_running"] == [{"row": 2, "message": "Still running in the file, but not its newest row: skipped."}]
    assert events_of(user) == [("Reading", iso("09:00:00"), iso("10:00:00"))]


def test_a_running_row_is_skipped_while_something_runs(user, clock):
    assert user.post("/events/start", json={"label": "Programming", "started_at": "2026-03-24T11:30:00Z"}).status_code == 201
    response = post(user, csv_file("Exercise,2026-03-24T11:00:00Z,"))
    assert response.status_code == 200, response.json
    assert response.json["skipped_running"][0]["message"].endswith("you already have a running event: skipped.")
    assert user.get("/events/current").json["event"]["label"] == "Programming"


# --- one report for every outcome ----------------------------------------------------------


def required_fields(schema) -> set[str]:
    return {name for name, field in schema.fields.items() if field.required}


def test_a_refusal_carries_the_whole_report_beside_the_error_shape(user, clock):
    accepted = post(user, csv_file("Reading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z"), dry_run="true")
    refused = post(user, csv_file("Reading,2026-03-24T09:00:00Z,nope"), dry_run="true")
    assert accepted.status_code == 200 and refused.status_code == 422
    assert set(accepted.json) == required_fields(schemas.ImportReportSchema())
    assert set(refused.json) == required_fields(schemas.ImportRefusalSchema())
    assert required_fields(schemas.ImportRefusalSchema()) == required_fields(schemas.ImportReportSchema()) | {"code", "status", "message"}
    assert schemas.ImportRefusalSchema().validate(refused.json) == {}
    assert refused.json["errors"][0]["row"] == 2


def test_a_file_level_refusal_has_the_same_report(user, clock):
    response = post(user, b"\xff\xfe garbage")
    assert response.status_code == 422
    assert set(response.json) == required_fields(schemas.ImportRefusalSchema())
    assert response.json["errors"] == [{"row": None, "field": "file", "message": response.json["message"]}]


def test_the_openapi_document_gives_both_answers_the_report_schema(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/import"]["post"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    refused = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    components = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    ok_schema, refused_schema = components[ok.rsplit("/", 1)[1]], components[refused.rsplit("/", 1)[1]]
    assert set(ok_schema["required"]) == required_fields(schemas.ImportReportSchema())
    assert set(refused_schema["required"]) == set(ok_schema["required"]) | {"code", "status", "message"}


# --- what is sent ----------------------------------------------------------------------------


def test_an_empty_upload_is_not_the_same_as_no_file(user):
    empty = user.post("/import", query_string={"format": "lifelogger-csv"}, data={"file": (io.BytesIO(b""), "x.csv")}, content_type="multipart/form-data")
    assert (empty.status_code, empty.json["message"]) == (422, "The file is empty.")
    empty_body = post(user, b"")
    assert (empty_body.status_code, empty_body.json["message"]) == (422, "The file is empty.")
    none = user.post("/import", query_string={"format": "lifelogger-csv"}, data={}, content_type="multipart/form-data")
    assert none.status_code == 422 and none.json["message"].startswith("No file sent.")


def test_without_a_format_an_unrecognised_file_asks_to_choose(user):
    response = post(user, b"hello\nworld\n", fmt=None)
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["field"] == "format" and "choose a format" in error["message"]


def test_without_a_format_the_detected_one_is_read(user, clock, monkeypatch):
    from lifelogger.blueprints.transfer import formats

    monkeypatch.setattr(formats, "detect", lambda data: "lifelogger-csv", raising=False)
    response = post(user, csv_file("Reading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z"), fmt=None)
    assert response.status_code == 200, response.json
    assert response.json["format"] == "lifelogger-csv" and response.json["imported"] == 1


def test_a_detected_format_with_local_times_still_needs_a_zone(user, clock, monkeypatch):
    from lifelogger.blueprints.transfer import formats

    monkeypatch.setattr(formats, "detect", lambda data: "toggl-csv", raising=False)
    response = post(user, b"Project,Description\n", fmt=None)
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["timezone"]


def test_date_order_and_the_users_labels_reach_the_reader(user, clock, monkeypatch):
    from lifelogger.blueprints.transfer import formats

    seen = {}

    def read(fmt, data, zone, *, date_format=None, known_labels=()):
        seen.update(date_format=date_format, known_labels=list(known_labels))
        return [], iter(())

    monkeypatch.setattr(formats, "read", read)
    assert post(user, b"x", date_format="DMY").status_code == 200
    assert seen == {"date_format": "DMY", "known_labels": ["Exercise", "Programming", "Reading"]}
    assert post(user, b"x", date_format="DDMMYY").status_code == 422


# --- the API's rules, at the import's door -------------------------------------------------


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_a_lone_surrogate_in_a_json_note_is_a_row_error(user, clock, dry_run):
    event = {"label": "Reading", "started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T10:00:00Z", "note": "\udfff"}
    data = json.dumps({"format": "lifelogger", "version": 1, "labels": [], "events": [event]}).encode()
    response = post(user, data, fmt="lifelogger-json", dry_run=dry_run)
    assert response.status_code == 422
    assert response.json["errors"] == [{"row": 1, "field": "note", "message": "Note: Not valid Unicode text."}]
    assert events_of(user) == []


def test_a_local_date_before_1900_is_out_of_the_apis_range(user, clock):
    data = b"Project,Description,Start date,Start time,End date,End time\nOld,x,1899-12-30,10:00:00,1899-12-30,11:00:00\n"
    response = post(user, data, fmt="toggl-csv", timezone="Europe/Berlin")
    assert response.status_code == 422
    [error] = response.json["errors"]
    # Refused by the reader, naming the column of the user's own file.
    assert error["field"] == "Start date" and "1900-01-01 to 9999-12-30" in error["message"]


def test_an_invalid_name_in_the_labels_list_is_reported_not_dropped(user, clock):
    data = json.dumps({"format": "lifelogger", "version": 1, "labels": ["Good", "bad\u0007bell"], "events": []}).encode()
    response = post(user, data, fmt="lifelogger-json")
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json["errors"]] == [(None, "labels")]
    assert "Good" not in user.get("/labels").json["labels"]
