"""An imported event meets the same rules as one sent to POST /events: one rule, two doors."""
import json

import pytest

NOTE_WITH = {
    "a bell (U+0007)": "ring\u0007ring",
    "an escape (U+001B)": "\u001b[31mred",
    "a NUL": "nul\u0000here",
    "2,001 characters": "x" * 2001,
}
SLOT = {"started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T10:00:00Z"}


def lifelogger_json(note: str) -> bytes:
    event = {"label": "Reading", **SLOT, "note": note}
    return json.dumps({"format": "lifelogger", "version": 1, "labels": ["Reading"], "events": [event]}).encode()


@pytest.mark.parametrize("what", NOTE_WITH)
def test_a_note_the_api_refuses_is_refused_by_the_import_too(user, clock, what):
    note = NOTE_WITH[what]
    api = user.post("/events", json={"label": "Reading", **SLOT, "note": note})
    assert api.status_code == 422

    imported = user.post(
        "/import", query_string={"format": "lifelogger-json"}, data=lifelogger_json(note), content_type="application/json"
    )
    assert imported.status_code == 422
    [error] = imported.json["errors"]
    assert error["row"] == 1 and error["message"].startswith("Note: ")
    assert user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).json["events"] == []


def test_a_note_with_line_breaks_and_tabs_is_accepted_by_both(user, clock):
    note = "first line\n\tsecond line"
    imported = user.post(
        "/import", query_string={"format": "lifelogger-json"}, data=lifelogger_json(note), content_type="application/json"
    )
    assert imported.status_code == 200, imported.json
    [event] = user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).json["events"]
    assert event["note"] == note
