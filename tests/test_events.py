"""/events: starting, stopping, logging by hand, correcting and listing."""
import pytest


def start(user, label):
    return user.post("/events/start", json={"label": label})


def test_start_returns_the_running_event(user, clock):
    response = start(user, "Programming")
    assert response.status_code == 201
    assert response.json == {
        "id": response.json["id"],
        "label": "Programming",
        "started_at": "2026-03-24T12:00:00+00:00",
        "ended_at": None,
        "note": None,
    }
    assert user.get("/events/current").json == {"event": response.json, "suspect_forgotten": False}


def test_start_stops_the_running_event_at_the_same_instant(user, clock):
    first = start(user, "Programming").json
    clock.advance(minutes=90)
    second = start(user, "Exercise").json
    stopped = user.get(f"/events/{first['id']}").json
    assert stopped["ended_at"] == second["started_at"] == "2026-03-24T13:30:00+00:00"
    assert user.get("/events/current").json["event"]["id"] == second["id"]


def test_start_with_unknown_label_is_422(user, clock):
    response = start(user, "Knitting")
    assert response.status_code == 422
    assert "not in your label set" in response.json["message"]
    assert user.get("/events/current").json == {"event": None, "suspect_forgotten": False}


def test_switching_twice_within_a_second_replaces_the_mis_tap(user, clock):
    previous = start(user, "Reading").json
    clock.advance(minutes=5)
    mistap = start(user, "Exercise").json
    corrected = start(user, "Programming").json  # same second as the mis-tap
    assert user.get(f"/events/{mistap['id']}").status_code == 404
    assert corrected["started_at"] == mistap["started_at"]
    assert user.get(f"/events/{previous['id']}").json["ended_at"] == corrected["started_at"]
    events = user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).json
    assert [e["label"] for e in events["events"]] == ["Reading", "Programming"]


def test_stop_returns_the_stopped_event(user, clock):
    started = start(user, "Reading").json
    clock.advance(minutes=30)
    response = user.post("/events/stop")
    assert response.status_code == 200
    assert response.json == {**started, "ended_at": "2026-03-24T12:30:00+00:00"}
    assert user.get("/events/current").json == {"event": None, "suspect_forgotten": False}


def test_stop_with_nothing_running_is_409(user, clock):
    response = user.post("/events/stop")
    assert response.status_code == 409
    assert "Nothing is running" in response.json["message"]


def test_stop_within_the_starting_second_discards_the_event(user, clock):
    started = start(user, "Reading").json
    response = user.post("/events/stop")
    assert response.status_code == 200
    assert response.json["ended_at"] == response.json["started_at"] == started["started_at"]
    assert user.get(f"/events/{started['id']}").status_code == 404
    assert user.get("/events/current").json == {"event": None, "suspect_forgotten": False}


def test_every_event_the_api_creates_passes_its_own_patch_rules(user, clock):
    start(user, "Reading")
    clock.advance(seconds=1)
    start(user, "Exercise")
    clock.advance(seconds=1)
    user.post("/events/stop")
    events = user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).json["events"]
    assert len(events) == 2
    for event in events:
        assert event["ended_at"] > event["started_at"]
        response = user.patch(f"/events/{event['id']}", json={"started_at": event["started_at"], "ended_at": event["ended_at"]})
        assert response.status_code == 200, response.json


def test_create_a_finished_event_by_hand(user, clock):
    response = user.post(
        "/events", json={"label": "Programming", "started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T11:30:00+00:00"}
    )
    assert response.status_code == 201
    assert response.json["started_at"] == "2026-03-24T09:00:00+00:00"
    assert response.json["ended_at"] == "2026-03-24T11:30:00+00:00"


def test_instants_in_other_offsets_are_converted_to_utc(user, clock):
    response = user.post(
        "/events", json={"label": "Reading", "started_at": "2026-03-24T10:00:00+01:00", "ended_at": "2026-03-24T05:30:00.999-05:00"}
    )
    assert response.status_code == 201
    assert response.json["started_at"] == "2026-03-24T09:00:00+00:00"
    assert response.json["ended_at"] == "2026-03-24T10:30:00+00:00"  # kept to whole seconds


def test_instants_without_an_offset_are_utc(user, clock):
    response = user.post("/events", json={"label": "Reading", "started_at": "2026-03-24T09:00:00", "ended_at": "2026-03-24T10:00:00"})
    assert response.json["started_at"] == "2026-03-24T09:00:00+00:00"


@pytest.mark.parametrize(
    "started_at,ended_at,field",
    [
        ("2026-03-24T10:00:00Z", "2026-03-24T09:00:00Z", "ended_at"),
        ("2026-03-24T10:00:00Z", "2026-03-24T10:00:00Z", "ended_at"),
        ("2026-03-24T11:00:00Z", "2026-03-24T12:00:01Z", "ended_at"),
        ("2026-03-24T12:00:01Z", "2026-03-24T13:00:00Z", "started_at"),
    ],
)
def test_hand_entered_times_must_be_ordered_and_not_in_the_future(user, clock, started_at, ended_at, field):
    response = user.post("/events", json={"label": "Reading", "started_at": started_at, "ended_at": ended_at})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).json == {"events": []}


@pytest.mark.parametrize(
    "started_at,ended_at",
    [
        ("2026-03-24T08:30:00Z", "2026-03-24T09:30:00Z"),  # overlaps the start
        ("2026-03-24T09:30:00Z", "2026-03-24T10:30:00Z"),  # overlaps the end
        ("2026-03-24T09:15:00Z", "2026-03-24T09:45:00Z"),  # inside
        ("2026-03-24T08:00:00Z", "2026-03-24T11:00:00Z"),  # around
    ],
)
def test_overlapping_events_are_refused_naming_the_event(user, clock, make_event, started_at, ended_at):
    existing = make_event(user, "Programming", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    response = user.post("/events", json={"label": "Reading", "started_at": started_at, "ended_at": ended_at})
    assert response.status_code == 409
    assert f"event {existing['id']}" in response.json["message"]
    assert "Programming" in response.json["message"]


def test_touching_events_do_not_overlap(user, clock, make_event):
    make_event(user, "Programming", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    for label, started_at, ended_at in [
        ("Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z"),
        ("Exercise", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z"),
    ]:
        response = user.post("/events", json={"label": label, "started_at": started_at, "ended_at": ended_at})
        assert response.status_code == 201, response.json


def test_a_hand_entered_event_may_not_overlap_the_running_one(user, clock):
    running = start(user, "Programming").json  # 12:00 and on
    clock.advance(hours=2)
    response = user.post("/events", json={"label": "Reading", "started_at": "2026-03-24T13:00:00Z", "ended_at": "2026-03-24T13:30:00Z"})
    assert response.status_code == 409
    assert f"event {running['id']}" in response.json["message"]
    ok = user.post("/events", json={"label": "Reading", "started_at": "2026-03-24T11:00:00Z", "ended_at": "2026-03-24T12:00:00Z"})
    assert ok.status_code == 201


def test_list_events_in_a_range_oldest_first(user, clock, make_event):
    late = make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    early = make_event(user, "Programming", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    make_event(user, "Exercise", "2026-03-23T23:00:00Z", "2026-03-24T00:30:00Z")  # starts before the range
    make_event(user, "Exercise", "2026-03-24T11:00:00Z", "2026-03-24T11:30:00Z")  # starts at the (exclusive) end
    response = user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-24T11:00:00Z"})
    assert response.status_code == 200
    assert response.json == {"events": [early, late]}


def test_query_string_offset_with_an_unencoded_plus(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    # curl "...?start=2026-03-24T00:00:00+00:00" sends the '+' raw: it arrives as a space.
    response = user.get("/events?start=2026-03-24T00:00:00+00:00&end=2026-03-25T00:00:00+00:00")
    assert response.status_code == 200
    assert response.json == {"events": [event]}


@pytest.mark.parametrize(
    "query,bad",
    [
        ({"end": "2026-03-25T00:00:00Z"}, "start"),
        ({"start": "2026-03-24T00:00:00Z"}, "end"),
        ({"start": "yesterday", "end": "2026-03-25T00:00:00Z"}, "start"),
        ({"start": "2026-03-24T00:00:00Z", "end": "2026-13-45T99:00:00Z"}, "end"),
        ({"start": "2026-03-25T00:00:00Z", "end": "2026-03-24T00:00:00Z"}, "end"),
        ({"start": "0001-01-01T00:00:00+01:00", "end": "2026-03-24T00:00:00Z"}, "start"),
    ],
)
def test_bad_ranges_are_422_naming_the_param(user, query, bad):
    response = user.get("/events", query_string=query)
    assert response.status_code == 422
    assert bad in response.json["errors"]["query"]
    assert bad in response.json["message"]


def test_get_one_event(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    assert user.get(f"/events/{event['id']}").json == event


def test_missing_event_is_404(user):
    for method in ("get", "patch", "delete"):
        response = getattr(user, method)("/events/999999", json={"label": "Reading"} if method == "patch" else None)
        assert response.status_code == 404
        assert response.json["code"] == 404


def test_patch_changes_label_and_times(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    response = user.patch(f"/events/{event['id']}", json={"label": "Exercise", "started_at": "2026-03-24T10:15:00Z"})
    assert response.status_code == 200
    assert response.json == {**event, "label": "Exercise", "started_at": "2026-03-24T10:15:00+00:00"}


def test_patch_applies_the_same_time_rules(user, clock, make_event):
    first = make_event(user, "Reading", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    second = make_event(user, "Exercise", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    assert user.patch(f"/events/{second['id']}", json={"started_at": "2026-03-24T08:30:00Z"}).status_code == 409
    assert user.patch(f"/events/{second['id']}", json={"ended_at": "2026-03-24T09:59:00Z"}).status_code == 422
    assert user.patch(f"/events/{second['id']}", json={"ended_at": "2026-03-24T12:00:01Z"}).status_code == 422
    assert user.patch(f"/events/{second['id']}", json={"label": "Knitting"}).status_code == 422
    assert user.get(f"/events/{second['id']}").json == second
    assert user.get(f"/events/{first['id']}").json == first


def test_patch_ended_at_stops_the_running_event(user, clock):
    running = start(user, "Reading").json
    clock.advance(hours=1)
    response = user.patch(f"/events/{running['id']}", json={"ended_at": "2026-03-24T12:45:00Z"})
    assert response.status_code == 200
    assert response.json["ended_at"] == "2026-03-24T12:45:00+00:00"
    assert user.get("/events/current").json == {"event": None, "suspect_forgotten": False}


def test_patch_ended_at_to_null_is_refused(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    response = user.patch(f"/events/{event['id']}", json={"ended_at": None})
    assert response.status_code == 422
    assert "POST /events/start" in response.json["message"]
    assert user.get(f"/events/{event['id']}").json == event


def test_delete_event(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    response = user.delete(f"/events/{event['id']}")
    assert response.status_code == 204
    assert response.data == b""
    assert user.get(f"/events/{event['id']}").status_code == 404
