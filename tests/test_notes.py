"""Notes on events, and finding events by a word in their note or label."""
import pytest

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}


def test_starting_a_timer_can_add_a_note(user, clock):
    event = user.post("/events/start", json={"label": "Reading", "note": "  Dune, chapter 3 "}).json
    assert event["note"] == "Dune, chapter 3"


def test_hand_entered_events_keep_multiline_notes(user, clock):
    payload = {"label": "Reading", "started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T10:00:00Z", "note": "line one\nline two"}
    assert user.post("/events", json=payload).json["note"] == "line one\nline two"


def test_patch_changes_and_clears_the_note(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    assert event["note"] is None
    assert user.patch(f"/events/{event['id']}", json={"note": "Dune"}).json["note"] == "Dune"
    assert user.patch(f"/events/{event['id']}", json={"note": None}).json["note"] is None
    assert user.patch(f"/events/{event['id']}", json={"note": "x"}).json["note"] == "x"
    assert user.patch(f"/events/{event['id']}", json={"note": "   "}).json["note"] is None


@pytest.mark.parametrize("note", ["x" * 2001, "bell\x07", 42])
def test_bad_notes_are_refused(user, clock, note):
    assert user.post("/events/start", json={"label": "Reading", "note": note}).status_code == 422
    assert user.get("/events/current").json == {"event": None, "suspect_forgotten": False}


def test_search_finds_words_in_notes_and_labels_ignoring_case(user, clock, make_event):
    user.post("/labels", json={"name": "Ärztin"})
    dune = make_event(user, "Reading", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    user.patch(f"/events/{dune['id']}", json={"note": "DUNE, chapter 3"})
    doctor = make_event(user, "Ärztin", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    make_event(user, "Exercise", "2026-03-24T10:00:00Z", "2026-03-24T11:00:00Z")

    def ids(q):
        return [e["id"] for e in user.get("/events", query_string={**DAY, "q": q}).json["events"]]

    assert ids("dune") == [dune["id"]]
    assert ids("ärzt") == [doctor["id"]]
    assert ids("READ") == [dune["id"]]
    assert ids("%") == []  # LIKE wildcards are matched literally
    assert ids("nothing like it") == []


def test_search_still_needs_the_range(user):
    assert user.get("/events", query_string={"q": "dune"}).status_code == 422


@pytest.mark.parametrize("q", ["\x00", "du\x00ne", "\x1f", "\t", "line\nbreak", "\r", "\x7f", "\x85"])
def test_a_search_with_a_control_character_is_422(user, clock, make_event, q):
    """A NUL in q matched every event on SQLite; control characters are refused, not searched for."""
    make_event(user, "Reading", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    response = user.get("/events", query_string={**DAY, "q": q})
    assert response.status_code == 422, response.json
    assert response.json["code"] == 422 and response.json["status"] and response.json["message"]
    assert "control characters" in " ".join(response.json["errors"]["query"]["q"])


def test_a_nul_percent_encoded_in_the_url_is_422(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    response = user.get("/events?start=2026-03-24T00:00:00Z&end=2026-03-25T00:00:00Z&q=%00")
    assert response.status_code == 422
