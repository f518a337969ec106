"""Taps queued offline (past instants, idempotency keys) and forgotten timers."""
import pytest

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}


def test_a_running_event_past_the_threshold_is_flagged(user, clock):
    user.post("/events/start", json={"label": "Reading"})
    clock.advance(hours=11, minutes=59)
    assert user.get("/events/current").json["suspect_forgotten"] is False
    clock.advance(minutes=1)
    assert user.get("/events/current").json["suspect_forgotten"] is True


def test_the_threshold_is_the_users(user, clock):
    user.patch("/me", json={"forgotten_after_minutes": 90})
    user.post("/events/start", json={"label": "Reading"})
    clock.advance(minutes=90)
    assert user.get("/events/current").json["suspect_forgotten"] is True


def test_stop_a_forgotten_timer_at_a_past_time(user, clock):
    started = user.post("/events/start", json={"label": "Reading"}).json
    clock.advance(hours=14)
    response = user.post("/events/stop", json={"ended_at": "2026-03-24T13:30:00Z"})
    assert response.status_code == 200
    assert response.json == {**started, "ended_at": "2026-03-24T13:30:00+00:00"}


@pytest.mark.parametrize("ended_at,status", [("2026-03-24T11:59:59Z", 422), ("2026-03-24T15:00:01Z", 422)])
def test_a_past_stop_is_not_before_the_start_nor_in_the_future(user, clock, ended_at, status):
    user.post("/events/start", json={"label": "Reading"})  # 12:00
    clock.advance(hours=3)
    assert user.post("/events/stop", json={"ended_at": ended_at}).status_code == status
    assert user.get("/events/current").json["event"] is not None


def test_a_queued_start_keeps_its_original_instant(user, clock):
    first = user.post("/events/start", json={"label": "Reading"}).json  # 12:00
    clock.advance(hours=1)
    second = user.post("/events/start", json={"label": "Exercise", "started_at": "2026-03-24T12:40:00Z"}).json
    assert second["started_at"] == "2026-03-24T12:40:00+00:00"
    assert user.get(f"/events/{first['id']}").json["ended_at"] == "2026-03-24T12:40:00+00:00"


def test_a_queued_start_is_validated(user, clock, make_event):
    make_event(user, "Programming", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")
    assert user.post("/events/start", json={"label": "Reading", "started_at": "2026-03-24T12:00:01Z"}).status_code == 422  # future
    assert user.post("/events/start", json={"label": "Reading", "started_at": "2026-03-24T10:30:00Z"}).status_code == 409  # overlap
    user.post("/events/start", json={"label": "Reading", "started_at": "2026-03-24T11:30:00Z"})
    response = user.post("/events/start", json={"label": "Exercise", "started_at": "2026-03-24T11:00:00Z"})
    assert response.status_code == 422  # before the running event's start
    assert "running" in response.json["message"]


def test_the_same_idempotency_key_acts_once(user, clock):
    headers = {"Idempotency-Key": "tap-1"}
    first = user.post("/events/start", json={"label": "Reading"}, headers=headers)
    clock.advance(minutes=5)
    again = user.post("/events/start", json={"label": "Reading"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    events = user.get("/events", query_string=DAY).json["events"]
    assert len(events) == 1 and events[0]["ended_at"] is None


def test_different_keys_act_separately(user, clock):
    user.post("/events/start", json={"label": "Reading"}, headers={"Idempotency-Key": "tap-1"})
    clock.advance(minutes=5)
    user.post("/events/start", json={"label": "Exercise"}, headers={"Idempotency-Key": "tap-2"})
    assert len(user.get("/events", query_string=DAY).json["events"]) == 2


def test_a_failed_write_does_not_use_up_its_key(user, clock):
    headers = {"Idempotency-Key": "tap-stop"}
    assert user.post("/events/stop", headers=headers).status_code == 409  # nothing running yet
    user.post("/events/start", json={"label": "Reading"})
    clock.advance(minutes=5)
    assert user.post("/events/stop", headers=headers).status_code == 200


def test_a_key_reused_for_another_action_is_refused(user, clock):
    user.post("/events/start", json={"label": "Reading"}, headers={"Idempotency-Key": "k"})
    clock.advance(minutes=5)
    response = user.post("/events/stop", headers={"Idempotency-Key": "k"})
    assert response.status_code == 422
    assert user.get("/events/current").json["event"] is not None


def test_keys_are_per_user(make_user, clock):
    alice, bob = make_user("alice", labels=["Run"]), make_user("bob", labels=["Run"])
    alice.post("/events/start", json={"label": "Run"}, headers={"Idempotency-Key": "same"})
    response = bob.post("/events/start", json={"label": "Run"}, headers={"Idempotency-Key": "same"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert bob.get("/events/current").json["event"]["id"] == response.json["id"]
