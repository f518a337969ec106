"""A token opens its own user's data only: another user's ids are simply "not found"."""


def test_users_see_only_their_own_data(make_user, clock, make_event):
    alice = make_user("alice", labels=["Reading", "Secret"])
    bob = make_user("bob", labels=["Exercise"])
    event = make_event(alice, "Secret", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    alice.post("/events/start", json={"label": "Reading"})
    day = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}

    assert bob.get("/me").json["username"] == "bob"
    assert bob.get("/labels").json == {"labels": ["Exercise"]}
    assert bob.get("/events", query_string=day).json == {"events": []}
    assert bob.get("/stats", query_string=day).json == {"percentages": {}, "minutes": {}}
    assert bob.get("/events/current").json == {"event": None, "suspect_forgotten": False}
    assert bob.post("/events/stop").status_code == 409


def test_another_users_event_id_is_404_for_every_method(make_user, clock, make_event):
    alice = make_user("alice", labels=["Reading"])
    bob = make_user("bob", labels=["Reading"])
    event = make_event(alice, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")

    assert bob.get(f"/events/{event['id']}").status_code == 404
    assert bob.patch(f"/events/{event['id']}", json={"label": "Reading"}).status_code == 404
    assert bob.delete(f"/events/{event['id']}").status_code == 404
    assert alice.get(f"/events/{event['id']}").json == event


def test_labels_are_per_user(make_user, clock, make_event):
    alice = make_user("alice", labels=["Reading"])
    bob = make_user("bob")
    assert bob.post("/labels", json={"name": "reading"}).status_code == 201  # no clash across users
    assert bob.post("/events/start", json={"label": "Knitting"}).status_code == 422
    make_event(alice, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    assert bob.patch("/labels/Reading", json={"name": "Books"}).status_code == 200
    assert alice.get("/labels").json == {"labels": ["Reading"]}
    assert bob.delete("/labels/Books").status_code == 204  # alice's events don't pin bob's label
    assert alice.delete("/labels/Reading").status_code == 409


def test_events_of_different_users_may_overlap(make_user, clock, make_event):
    alice = make_user("alice", labels=["Reading"])
    bob = make_user("bob", labels=["Reading"])
    make_event(alice, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    same_hour = {"label": "Reading", "started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T10:00:00Z"}
    assert bob.post("/events", json=same_hour).status_code == 201
    alice.post("/events/start", json={"label": "Reading"})
    assert bob.post("/events/start", json={"label": "Reading"}).status_code == 201
