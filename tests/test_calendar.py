"""The calendar feed: GET /calendar.ics (Bearer) and /feeds/<token>/calendar.ics (a calendar-scope token).

Every feed is read back with the ``icalendar`` package, as a calendar app would read it.
"""
from datetime import UTC, datetime

import icalendar
import pytest

from tests.support.api import PASSWORD


NOTE = 'Standup; then "review", café ☕\nline two, with a backslash \\ too'
LONG_NOTE = ("A long note that a calendar app must unfold again. " * 20).strip()


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.get_data()
    assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends in CRLF"
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    return icalendar.Calendar.from_ical(raw)


def events_of(calendar) -> list:
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def logged(user, clock, make_event):
    """Two finished events (one with a tricky note, one with a long one) and a running one, all in March 2026."""
    make_event(user, "Programming", "2026-03-20T09:00:00Z", "2026-03-20T11:30:00Z")
    for label, start, end, note in [
        ("Exercise", "2026-03-23T07:00:00Z", "2026-03-23T08:00:00Z", NOTE),
        ("Reading", "2026-03-23T20:00:00Z", "2026-03-23T21:00:00Z", LONG_NOTE),
    ]:
        response = user.post("/events", json={"label": label, "started_at": start, "ended_at": end, "note": note})
        assert response.status_code == 201, response.json
    assert user.post("/events/start", json={"label": "Reading"}).status_code == 201  # at 12:00 on the 24th
    clock.advance(minutes=30)
    return user


def calendar_token(user) -> str:
    response = user.post("/tokens", json={"name": "My phone's calendar", "scope": "calendar", "password": PASSWORD})
    assert response.status_code == 201, response.json
    assert response.json["scope"] == "calendar"
    return response.json["token"]


def test_the_calendar_has_one_vevent_per_event_in_utc(logged):
    calendar = parse(logged.get("/calendar.ics"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = events_of(calendar)
    assert [str(e["SUMMARY"]) for e in events] == ["Programming", "Exercise", "Reading", "Reading"]
    first = events[0]
    assert first["DTSTART"].dt == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert first["DTEND"].dt == datetime(2026, 3, 20, 11, 30, tzinfo=UTC)
    for event in events:
        assert event["DTSTART"].dt.utcoffset().total_seconds() == 0
        assert event["DTEND"].dt.utcoffset().total_seconds() == 0
        assert event["DTSTAMP"].dt.tzinfo is not None
    assert b"DTSTART:20260320T090000Z\r\n" in logged.get("/calendar.ics").get_data()
    # The running event ends at the time of the fetch.
    assert events[-1]["DTSTART"].dt == datetime(2026, 3, 24, 12, 0, tzinfo=UTC)
    assert events[-1]["DTEND"].dt == datetime(2026, 3, 24, 12, 30, tzinfo=UTC)


def test_notes_with_commas_semicolons_newlines_and_non_ascii_come_back_exactly(logged):
    events = events_of(parse(logged.get("/calendar.ics")))
    assert "DESCRIPTION" not in events[0]
    assert str(events[1]["DESCRIPTION"]) == NOTE
    assert str(events[2]["DESCRIPTION"]) == LONG_NOTE


def test_a_long_note_is_folded(logged):
    raw = logged.get("/calendar.ics").get_data().decode()
    assert "\r\n DESCRIPTION" not in raw
    description = next(line for line in raw.split("\r\n") if line.startswith("DESCRIPTION:A long note"))
    assert len(description.encode()) == 75  # and the rest follows on continuation lines
    assert str(events_of(icalendar.Calendar.from_ical(raw))[2]["DESCRIPTION"]) == LONG_NOTE


def test_uids_are_unique_and_stable_across_fetches(logged, clock):
    first = [str(e["UID"]) for e in events_of(parse(logged.get("/calendar.ics")))]
    clock.advance(minutes=10)
    second = [str(e["UID"]) for e in events_of(parse(logged.get("/calendar.ics")))]
    assert first == second and len(set(first)) == 4
    ids = [e["id"] for e in logged.get("/events", query_string={"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}).json["events"]]
    assert first == [f"event-{event_id}@localhost" for event_id in ids]


def test_the_default_window_is_the_last_90_days(user, clock, make_event):
    make_event(user, "Reading", "2025-12-20T09:00:00Z", "2025-12-20T10:00:00Z")  # 94 days before now
    make_event(user, "Reading", "2025-12-25T09:00:00Z", "2025-12-25T10:00:00Z")  # 89 days before now
    events = events_of(parse(user.get("/calendar.ics")))
    assert [e["DTSTART"].dt.date().isoformat() for e in events] == ["2025-12-25"]


def test_a_range_selects_the_events_that_overlap_it(logged):
    query = {"start": "2026-03-20T10:00:00Z", "end": "2026-03-23T07:30:00Z"}
    events = events_of(parse(logged.get("/calendar.ics", query_string=query)))
    assert [str(e["SUMMARY"]) for e in events] == ["Programming", "Exercise"]


@pytest.mark.parametrize(
    "query", [{"start": "2026-03-20T00:00:00Z"}, {"start": "soon", "end": "2026-03-20T00:00:00Z"},
              {"start": "2026-03-21T00:00:00Z", "end": "2026-03-20T00:00:00Z"}]
)
def test_a_bad_range_is_a_422_json_error(logged, query):
    response = logged.get("/calendar.ics", query_string=query)
    assert response.status_code == 422
    assert set(response.json) >= {"code", "status", "message", "errors"}


def test_the_feed_url_gives_the_same_calendar_without_a_header(app, logged):
    token = calendar_token(logged)
    anon = app.test_client()
    feed = parse(anon.get(f"/api/v1/feeds/{token}/calendar.ics"))
    bearer = parse(logged.get("/calendar.ics"))
    assert [str(e["UID"]) for e in events_of(feed)] == [str(e["UID"]) for e in events_of(bearer)]


def test_a_revoked_feed_token_closes_the_feed(app, logged):
    token = calendar_token(logged)
    anon = app.test_client()
    assert anon.get(f"/api/v1/feeds/{token}/calendar.ics").status_code == 200
    [listed] = logged.get("/tokens").json["tokens"]
    assert listed["last_used_at"] is not None
    assert logged.delete(f"/tokens/{listed['id']}").status_code == 204
    response = anon.get(f"/api/v1/feeds/{token}/calendar.ics")
    assert response.status_code == 404
    assert response.json["code"] == 404


@pytest.mark.parametrize("scope", ["read", "write"])
def test_only_a_calendar_token_opens_a_feed(app, user, scope):
    token = user.post("/tokens", json={"name": "script", "scope": scope, "password": PASSWORD}).json["token"]
    assert app.test_client().get(f"/api/v1/feeds/{token}/calendar.ics").status_code == 404
    assert app.test_client().get(f"/api/v1/feeds/{user.token}/calendar.ics").status_code == 404  # a session token
    assert app.test_client().get("/api/v1/feeds/llpat_nonsense/calendar.ics").status_code == 404


def test_a_feed_shows_only_its_owners_events(app, logged, make_user, make_event):
    bob = make_user("bob", labels=["Gardening"])
    make_event(bob, "Gardening", "2026-03-22T09:00:00Z", "2026-03-22T10:00:00Z")
    bobs = events_of(parse(app.test_client().get(f"/api/v1/feeds/{calendar_token(bob)}/calendar.ics")))
    assert [str(e["SUMMARY"]) for e in bobs] == ["Gardening"]


def _every_api_route(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or "/feeds/" in rule.rule:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", "1").replace(f"<path:{name}>", "Reading").replace(f"<{name}>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_a_calendar_token_is_refused_everywhere_else(app, logged):
    """Walks the URL map, so a new endpoint that forgets the calendar scope fails here."""
    headers = {"Authorization": f"Bearer {calendar_token(logged)}"}
    client = app.test_client()
    routes = list(_every_api_route(app))
    assert ("GET", "/api/v1/calendar.ics") in routes and ("GET", "/api/v1/events") in routes
    refused = []
    for method, path in routes:
        response = client.open(path, method=method, json={}, headers=headers)
        if response.status_code != 403:
            refused.append((method, path, response.status_code))
    # The public routes answer anyone; the token gives them nothing more.
    public = {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs"), ("GET", "/api/v1/health"),
              ("GET", "/api/v1/docs/assets/Reading"), ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/login")}
    assert {(m, p) for m, p, _ in refused} <= public, refused


def test_the_calendar_scope_is_offered_when_creating_a_token(client):
    spec = client.get("/api/v1/openapi.json").json
    [schema] = [s for name, s in spec["components"]["schemas"].items() if name.startswith("NewPersonalToken")]
    assert "calendar" in schema["properties"]["scope"]["enum"]


def test_the_openapi_document_describes_both_feeds(client):
    spec = client.get("/api/v1/openapi.json").json
    calendar = spec["paths"]["/api/v1/calendar.ics"]["get"]
    feed = spec["paths"]["/api/v1/feeds/{token}/calendar.ics"]["get"]
    assert (calendar["operationId"], feed["operationId"]) == ("getCalendar", "getCalendarFeed")
    for operation in (calendar, feed):
        assert "text/calendar" in operation["responses"]["200"]["content"]
        assert "422" in operation["responses"]
    assert feed["security"] == [] and "404" in feed["responses"]
    assert calendar["security"] == [{"bearerAuth": []}]
