"""/stats: minutes and percentages per label, clipped to the range, in SQL."""
import pytest

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}


def test_the_seed_pages_example_comes_out_exactly(user, clock, make_event):
    make_event(user, "Programming", "2026-03-24T06:00:00Z", "2026-03-24T09:07:30Z")  # 187.5 min
    make_event(user, "Exercise", "2026-03-24T09:07:30Z", "2026-03-24T11:00:00Z")  # 112.5 min
    response = user.get("/stats", query_string=DAY)
    assert response.status_code == 200
    assert response.json == {
        "percentages": {"Programming": 62.5, "Exercise": 37.5},
        "minutes": {"Programming": 187.5, "Exercise": 112.5},
    }


def test_no_events_gives_empty_maps(user):
    assert user.get("/stats", query_string=DAY).json == {"percentages": {}, "minutes": {}}


def test_events_are_clipped_to_the_range(user, clock, make_event):
    make_event(user, "Reading", "2026-03-23T23:00:00Z", "2026-03-24T01:00:00Z")  # 60 min inside
    make_event(user, "Exercise", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")  # 60 min inside
    query = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-24T10:30:00Z"}  # cuts Exercise to 30 min
    body = user.get("/stats", query_string=query).json
    assert body["minutes"] == {"Reading": 60.0, "Exercise": 30.0}
    assert body["percentages"] == {"Reading": 66.67, "Exercise": 33.33}


def test_an_event_covering_the_whole_range(user, clock, make_event):
    make_event(user, "Reading", "2026-03-23T00:00:00Z", "2026-03-24T11:00:00Z")
    body = user.get("/stats", query_string={"start": "2026-03-24T10:00:00Z", "end": "2026-03-24T10:10:00Z"}).json
    assert body == {"percentages": {"Reading": 100.0}, "minutes": {"Reading": 10.0}}


def test_the_running_event_counts_up_to_now(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    user.post("/events/start", json={"label": "Programming"})  # at 12:00
    clock.advance(minutes=30)
    body = user.get("/stats", query_string=DAY).json
    assert body["minutes"] == {"Reading": 60.0, "Programming": 30.0}


def test_the_running_event_never_counts_past_the_end(user, clock):
    user.post("/events/start", json={"label": "Programming"})  # at 12:00
    clock.advance(hours=5)
    body = user.get("/stats", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-24T13:00:00Z"}).json
    assert body["minutes"] == {"Programming": 60.0}


def test_a_range_in_the_future_of_the_running_event_is_empty(user, clock):
    user.post("/events/start", json={"label": "Programming"})
    body = user.get("/stats", query_string={"start": "2026-03-25T00:00:00Z", "end": "2026-03-26T00:00:00Z"}).json
    assert body == {"percentages": {}, "minutes": {}}


def test_percentages_sum_to_100(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T01:00:00Z", "2026-03-24T01:07:00Z")
    make_event(user, "Exercise", "2026-03-24T02:00:00Z", "2026-03-24T02:07:00Z")
    make_event(user, "Programming", "2026-03-24T03:00:00Z", "2026-03-24T03:07:00Z")
    body = user.get("/stats", query_string=DAY).json
    assert body["percentages"] == {"Exercise": 33.33, "Programming": 33.33, "Reading": 33.33}
    assert abs(sum(body["percentages"].values()) - 100) <= 0.05


def test_minutes_keep_seconds_as_two_decimals(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T01:00:00Z", "2026-03-24T01:00:20Z")
    assert user.get("/stats", query_string=DAY).json["minutes"] == {"Reading": 0.33}


def test_an_empty_range_has_no_time(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T01:00:00Z", "2026-03-24T02:00:00Z")
    query = {"start": "2026-03-24T01:30:00Z", "end": "2026-03-24T01:30:00Z"}
    assert user.get("/stats", query_string=query).json == {"percentages": {}, "minutes": {}}


@pytest.mark.parametrize("query", [{}, {"start": "2026-03-24T00:00:00Z"}, {"start": "x", "end": "y"}])
def test_stats_validates_the_range_like_events(user, query):
    response = user.get("/stats", query_string=query)
    assert response.status_code == 422
    assert response.json["errors"]["query"]


def test_the_widest_range_counts_every_event_on_every_backend(user, clock, make_event):
    """Instants beyond 32-bit seconds (before 1901, after 2038) stay 64-bit in SQL."""
    make_event(user, "Reading", "1900-01-01T00:00:00Z", "1900-01-01T01:00:00Z")
    make_event(user, "Exercise", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    response = user.get("/stats", query_string={"start": "1900-01-01T00:00:00Z", "end": "9999-12-30T00:00:00Z"})
    assert response.status_code == 200, response.json
    assert response.json["minutes"] == {"Exercise": 60.0, "Reading": 60.0}
