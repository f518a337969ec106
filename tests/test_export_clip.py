"""GET /export?clip=true: a range's events cut to it, so a spreadsheet's sums equal /stats."""
import csv
import io
from collections import defaultdict

WEEK = {"start": "2026-03-16T00:00:00Z", "end": "2026-03-23T00:00:00Z"}


def sleep_week(user, make_event, clock):
    """Nights of Sleep across both edges of the week, plus one inside; Reading running since Sunday night."""
    make_event(user, "Sleep", "2026-03-15T22:00:00Z", "2026-03-16T06:00:00Z")  # 6 h inside
    make_event(user, "Sleep", "2026-03-18T23:00:00Z", "2026-03-19T07:30:00Z")  # 8.5 h inside
    make_event(user, "Sleep", "2026-03-22T22:00:00Z", "2026-03-23T06:00:00Z")  # 2 h inside
    clock.set("2026-03-22T23:30:00Z")


def minutes_per_label(csv_text: str) -> dict[str, float]:
    totals = defaultdict(float)
    for row in csv.DictReader(io.StringIO(csv_text, newline="")):
        totals[row["label"]] += float(row["duration_minutes"])
    return dict(totals)


def test_a_weeks_sleep_from_a_clipped_export_equals_stats(user, clock, make_event):
    assert user.post("/labels", json={"name": "Sleep"}).status_code == 201
    sleep_week(user, make_event, clock)
    exported = user.get("/export", query_string={**WEEK, "format": "csv", "clip": "true"})
    assert exported.status_code == 200
    totals = minutes_per_label(exported.get_data(as_text=True))
    stats = user.get("/stats", query_string=WEEK).json["minutes"]
    assert totals["Sleep"] == stats["Sleep"] == 16.5 * 60
    assert totals == stats


def test_the_running_event_is_cut_at_now(user, clock, make_event):
    clock.set("2026-03-20T12:00:00Z")
    assert user.post("/events/start", json={"label": "Reading"}).status_code == 201
    clock.advance(minutes=45)
    body = user.get("/export", query_string={**WEEK, "clip": "true"}).json
    [event] = body["events"]
    assert (event["started_at"], event["ended_at"]) == ("2026-03-20T12:00:00+00:00", "2026-03-20T12:45:00+00:00")


def test_without_clip_the_range_selects_whole_events_by_start(user, clock, make_event):
    assert user.post("/labels", json={"name": "Sleep"}).status_code == 201
    sleep_week(user, make_event, clock)
    events = user.get("/export", query_string=WEEK).json["events"]
    assert [(e["started_at"], e["ended_at"]) for e in events] == [
        ("2026-03-18T23:00:00+00:00", "2026-03-19T07:30:00+00:00"),
        ("2026-03-22T22:00:00+00:00", "2026-03-23T06:00:00+00:00"),
    ]


def test_clipping_changes_nothing_stored(user, clock, make_event):
    assert user.post("/labels", json={"name": "Sleep"}).status_code == 201
    sleep_week(user, make_event, clock)
    everything = {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}
    before = user.get("/events", query_string=everything).json
    assert user.get("/export", query_string={**WEEK, "clip": "true"}).status_code == 200
    assert user.get("/events", query_string=everything).json == before


def test_clip_needs_a_range(user):
    response = user.get("/export", query_string={"clip": "true"})
    assert response.status_code == 422
    assert "clip" in response.json["errors"]["query"]
