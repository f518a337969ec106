"""GET /events: the directly written JSON matches the schema's, and keyset pages."""
import random

import pytest
from flask import jsonify
from sqlalchemy import or_, select

from lifelogger.core import timeutil
from lifelogger.blueprints.events.cursor import encode_cursor
from lifelogger.blueprints.events.listing import format_epoch
from lifelogger.blueprints.events.schemas import EventListSchema
from lifelogger.db import db
from lifelogger.db.models import Event, Label, User

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}
# Everything JSON must escape, and what the app's provider escapes to ASCII.
TRICKY_LABELS = ['Say "hi"', "back\\slash", "Café ☕", "</script><b>", "Lesen 📚", "tab\u00a0nbsp"]
TRICKY_NOTES = [None, 'a "quoted" note', "line\nbreak\tand tab", "emoji 🎉 and \\ backslash", "<b>html</b>", "ünïcödé"]


@pytest.fixture
def busy(make_user, clock, make_event):
    """A user with events under tricky labels, some running into the range, one running now."""
    user = make_user("busy", labels=TRICKY_LABELS)
    make_event(user, TRICKY_LABELS[0], "2026-03-23T23:30:00Z", "2026-03-24T00:15:00Z")  # starts before the range
    minute = 15
    for index in range(12):
        start = f"2026-03-24T{minute // 60:02d}:{minute % 60:02d}:07Z"
        minute += 37
        end = f"2026-03-24T{minute // 60:02d}:{minute % 60:02d}:00Z"
        payload = {"label": TRICKY_LABELS[index % len(TRICKY_LABELS)], "started_at": start, "ended_at": end}
        note = TRICKY_NOTES[index % len(TRICKY_NOTES)]
        response = user.post("/events", json=payload if note is None else {**payload, "note": note})
        assert response.status_code == 201, response.json
    assert user.post("/events/start", json={"label": TRICKY_LABELS[2], "note": "still going"}).status_code == 201  # 12:00
    return user


def schema_json(app, username, start, end, q=None, **extra) -> bytes:
    """What flask-smorest would send: Flask's JSON of EventListSchema's dump of the models."""
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        query = select(Event).where(
            Event.user_id == user.id,
            Event.started_at >= timeutil.parse_instant(start),
            Event.started_at < timeutil.parse_instant(end),
        )
        if q:
            key = q.casefold()
            query = query.join(Label).where(or_(Event.note_key.contains(key, autoescape=True), Label.name_key.contains(key, autoescape=True)))
        events = db.session.scalars(query.order_by(Event.started_at, Event.id)).all()
        return jsonify(EventListSchema().dump({"events": events, **extra})).get_data()


def test_the_listing_is_byte_equal_to_the_schemas_dump(app, busy):
    response = busy.get("/events", query_string=DAY)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert len(response.json["events"]) == 13  # 12 by hand + the running one
    assert response.get_data() == schema_json(app, "busy", **DAY)


def test_notes_come_out_as_written(busy):
    events = busy.get("/events", query_string=DAY).json["events"]
    assert {event["note"] for event in events} == set(TRICKY_NOTES) | {"still going"}


@pytest.mark.parametrize("q", ["quoted", "CAFÉ", "🎉", "nothing like it"])
def test_a_search_is_byte_equal_to_the_schemas_dump(app, busy, q):
    response = busy.get("/events", query_string={**DAY, "q": q})
    assert response.get_data() == schema_json(app, "busy", **DAY, q=q)


def test_a_search_pages_like_the_whole_answer(busy):
    whole = busy.get("/events", query_string={**DAY, "q": "e"}).json["events"]
    assert 2 < len(whole) < 13
    assert [event for page in pages(busy, 2, {**DAY, "q": "e"}) for event in page] == whole


def test_a_page_is_byte_equal_to_the_schemas_dump_with_next(app, busy):
    whole = busy.get("/events", query_string=DAY).json["events"]
    page = busy.get("/events", query_string={**DAY, "limit": 13})
    assert page.json["next"] is None
    assert page.get_data() == schema_json(app, "busy", **DAY, next=None)
    first = busy.get("/events", query_string={**DAY, "limit": 5})
    cursor = first.json["next"]
    assert isinstance(cursor, str)
    assert first.json["events"] == whole[:5]
    # The schema's dump of the same five events with the same cursor.
    fifth_start = whole[5]["started_at"]
    expected = schema_json(app, "busy", DAY["start"], fifth_start, next=cursor)
    assert first.get_data() == expected


def test_an_empty_listing(user):
    response = user.get("/events", query_string=DAY)
    assert response.get_data() == b'{"events":[]}\n'


def test_fast_instant_format_matches_the_apis_format():
    rng = random.Random(6)
    low, high = timeutil.to_epoch(timeutil.EARLIEST), timeutil.to_epoch(timeutil.LATEST)
    samples = [low, high, -1, 0, 1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_400]
    samples += [rng.randint(low, high) for _ in range(20_000)]
    for seconds in samples:
        assert format_epoch(seconds) == timeutil.format_instant(timeutil.from_epoch(seconds)), seconds


# --- keyset pagination ------------------------------------------------------


def pages(user, limit, query=DAY):
    """Follow `next` until it is null; the list of pages' event lists."""
    found, cursor = [], None
    while True:
        params = {**query, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = user.get("/events", query_string=params)
        assert response.status_code == 200, response.json
        assert set(response.json) == {"events", "next"}
        found.append(response.json["events"])
        cursor = response.json["next"]
        if cursor is None:
            return found
        assert len(found) < 100, "pagination does not end"


@pytest.mark.parametrize("limit", [1, 2, 5, 13, 14, 10_000])
def test_pages_concatenate_to_the_unpaged_list(busy, limit):
    whole = busy.get("/events", query_string=DAY).json
    assert set(whole) == {"events"}  # without limit: exactly the seed's shape
    found = pages(busy, limit)
    assert [event for page in found for event in page] == whole["events"]
    assert all(len(page) == limit for page in found[:-1])
    assert 0 < len(found[-1]) <= limit  # no empty page after an exact multiple


def test_the_order_is_oldest_first_and_stable(busy):
    events = [event for page in pages(busy, 4) for event in page]
    assert [e["started_at"] for e in events] == sorted(e["started_at"] for e in events)
    assert [event for page in pages(busy, 4) for event in page] == events


def test_a_cursor_survives_changes_before_it(busy, clock):
    first = busy.get("/events", query_string={**DAY, "limit": 3}).json
    busy.delete(f"/events/{first['events'][0]['id']}")
    rest = busy.get("/events", query_string={**DAY, "limit": 100, "cursor": first["next"]}).json
    ids = [event["id"] for event in first["events"] + rest["events"]]
    assert len(ids) == len(set(ids)) == 13


def test_an_empty_range_has_one_empty_page(user):
    assert pages(user, 10) == [[]]


@pytest.mark.parametrize("limit", [0, -1, 10_001, "ten"])
def test_limit_out_of_range_is_422(user, limit):
    response = user.get("/events", query_string={**DAY, "limit": limit})
    assert response.status_code == 422
    assert "limit" in response.json["errors"]["query"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "!!!!",
        encode_cursor(1774310400, 5) + "A",  # tampered
        "MTc3NDMxMDQwMCw1==",  # padded: not the canonical form
        encode_cursor(1774310400, 5).replace("M", "N"),
        "KzE3NzQzMTA0MDAsNQ",  # "+1774310400,5"
        encode_cursor(10**30, 5),  # an instant no database column holds
        encode_cursor(1774310400, 2**63),  # an id past BIGINT
        encode_cursor(1774310400, 0),
        "x" * 65,
    ],
)
def test_a_bad_cursor_is_422(user, cursor):
    response = user.get("/events", query_string={**DAY, "limit": 5, "cursor": cursor})
    assert response.status_code == 422
    assert "cursor" in response.json["errors"]["query"]


def test_a_cursor_needs_a_limit(user):
    response = user.get("/events", query_string={**DAY, "cursor": encode_cursor(1774310400, 5)})
    assert response.status_code == 422
    assert "limit" in response.json["errors"]["query"]


def test_paging_is_documented(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/events"]["get"]
    params = {param["name"]: param for param in operation["parameters"]}
    limit = params["limit"]["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 10000)
    assert "next" in params["cursor"]["description"]
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]["EventList"]
    assert set(schema["properties"]) == {"events", "next"}
