"""CSV for spreadsheets on GET /events, /stats and /stats/daily: chosen by Accept or format=csv.

Every body is read back with Python's csv module, as a spreadsheet would read it.
"""
import csv
import io

import pytest

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}
CSV_ACCEPT = {"Accept": "text/csv"}
ENDPOINTS = ["/events", "/stats", "/stats/daily"]


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def day(user, clock, make_event):
    """Programming 06:00-09:07:30 (187.5 min), Exercise with a formula-like note 09:07:30-11:00 (112.5 min)."""
    make_event(user, "Programming", "2026-03-24T06:00:00Z", "2026-03-24T09:07:30Z")
    made = user.post(
        "/events",
        json={"label": "Exercise", "started_at": "2026-03-24T09:07:30Z", "ended_at": "2026-03-24T11:00:00Z",
              "note": '=HYPERLINK("http://evil.example","run, \"fast\"\nhome")'},
    )
    assert made.status_code == 201, made.json
    return user


def test_events_as_csv_have_a_header_utc_instants_numeric_minutes_and_neutralised_notes(day):
    rows = read_csv(day.get("/events", query_string=DAY, headers=CSV_ACCEPT))
    assert list(rows[0]) == ["id", "label", "started_at", "ended_at", "duration_minutes", "note"]
    assert [(r["label"], r["started_at"], r["ended_at"], float(r["duration_minutes"])) for r in rows] == [
        ("Programming", "2026-03-24T06:00:00+00:00", "2026-03-24T09:07:30+00:00", 187.5),
        ("Exercise", "2026-03-24T09:07:30+00:00", "2026-03-24T11:00:00+00:00", 112.5),
    ]
    assert rows[0]["note"] == ""
    # A spreadsheet shows it as text: the leading apostrophe stops the formula.
    assert rows[1]["note"] == '\'=HYPERLINK("http://evil.example","run, \"fast\"\nhome")'
    ids = [event["id"] for event in day.get("/events", query_string=DAY).json["events"]]
    assert [int(r["id"]) for r in rows] == ids


def test_a_label_that_looks_like_a_formula_is_neutralised(user, clock, make_event):
    assert user.post("/labels", json={"name": "+cmd"}).status_code == 201
    make_event(user, "+cmd", "2026-03-24T06:00:00Z", "2026-03-24T07:00:00Z")
    assert [r["label"] for r in read_csv(user.get("/events", query_string=DAY, headers=CSV_ACCEPT))] == ["'+cmd"]
    assert [r["label"] for r in read_csv(user.get("/stats", query_string=DAY, headers=CSV_ACCEPT))] == ["'+cmd"]


def test_the_running_event_has_empty_end_and_minutes(user, clock):
    assert user.post("/events/start", json={"label": "Reading"}).status_code == 201
    [row] = read_csv(user.get("/events", query_string=DAY, headers=CSV_ACCEPT))
    assert (row["label"], row["started_at"], row["ended_at"], row["duration_minutes"]) == (
        "Reading", "2026-03-24T12:00:00+00:00", "", ""
    )


def test_stats_as_csv_match_the_json(day):
    rows = read_csv(day.get("/stats", query_string=DAY, headers=CSV_ACCEPT))
    assert [(r["label"], float(r["minutes"]), float(r["percentage"])) for r in rows] == [
        ("Programming", 187.5, 62.5),
        ("Exercise", 112.5, 37.5),
    ]


def test_daily_stats_as_csv_have_a_row_per_day_and_label(day):
    query = {"start": "2026-03-23T00:00:00Z", "end": "2026-03-25T00:00:00Z", "tz": "UTC"}
    rows = read_csv(day.get("/stats/daily", query_string=query, headers=CSV_ACCEPT))
    assert [(r["date"], r["label"], float(r["minutes"])) for r in rows] == [
        ("2026-03-24", "Programming", 187.5),
        ("2026-03-24", "Exercise", 112.5),
    ]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_format_csv_in_the_query_works_without_headers(day, path):
    rows = read_csv(day.get(path, query_string={**DAY, "format": "csv"}))
    assert rows


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/csv;q=0.5", "text/*;q=0.1, application/*"])
def test_json_stays_the_answer_for_json_clients(day, path, accept):
    headers = {"Accept": accept} if accept else {}
    response = day.get(path, query_string=DAY, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert isinstance(response.json, dict)
    assert "Accept" in response.headers.get("Vary", "")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_accept_that_allows_neither_is_a_406_json_error(day, path):
    response = day.get(path, query_string=DAY, headers={"Accept": "application/xml"})
    assert response.status_code == 406
    assert response.mimetype == "application/json"
    assert response.json["code"] == 406 and response.json["status"] == "Not Acceptable"
    assert "text/csv" in response.json["message"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_unknown_format_is_a_422(day, path):
    response = day.get(path, query_string={**DAY, "format": "xlsx"})
    assert response.status_code == 422
    assert "format" in response.json["errors"]["query"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_bad_input_in_csv_is_still_a_json_error(day, path):
    response = day.get(path, query_string={"start": "yesterday", "end": DAY["end"]}, headers=CSV_ACCEPT)
    assert response.status_code == 422
    assert response.mimetype == "application/json"


def test_events_csv_pages_with_a_link_header(user, clock, make_event):
    for hour in range(5):
        make_event(user, "Programming", f"2026-03-24T0{hour}:00:00Z", f"2026-03-24T0{hour}:30:00Z")
    seen, url, query = [], "/events", {**DAY, "limit": 2, "format": "csv"}
    for _ in range(5):
        response = user.get(url, query_string=query)
        seen += [r["started_at"] for r in read_csv(response)]
        link = response.headers.get("Link")
        if link is None:
            break
        assert link.endswith('>; rel="next"')
        url, query = link[1 : link.index(">")].removeprefix("/api/v1"), None
    assert seen == [f"2026-03-24T0{hour}:00:00+00:00" for hour in range(5)]


def test_events_csv_without_limit_is_the_whole_range(user, clock, make_event):
    for minute in range(0, 60 * 5, 2):
        make_event(user, "Programming", f"2026-03-24T{minute // 60:02d}:{minute % 60:02d}:00Z",
                   f"2026-03-24T{minute // 60:02d}:{minute % 60:02d}:30Z")
    response = user.get("/events", query_string=DAY, headers=CSV_ACCEPT)
    assert len(read_csv(response)) == 150
    assert "Link" not in response.headers


def test_the_openapi_document_shows_csv_and_406(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ENDPOINTS:
        operation = spec["paths"]["/api/v1" + path]["get"]
        assert "application/json" in operation["responses"]["200"]["content"]
        assert "text/csv" in operation["responses"]["200"]["content"]
        assert "406" in operation["responses"]
        assert any(p["name"] == "format" and p["schema"]["enum"] == ["json", "csv"] for p in operation["parameters"])
