"""Ownership, route by route: a second user reaches none of the first user's data.

``ROUTES`` classifies every (rule, method) of the app's URL map: either public
(with the reason) or a check of what Bob gets when he aims at Alice's data.
``test_every_route_is_classified`` fails for any route missing from the table,
so a new endpoint cannot land without saying how it keeps owners apart; each
check then runs Bob's request and asserts that

- the answer is the expected one (404 for Alice's ids, Bob's own data otherwise),
- it contains nothing of Alice's (names, labels, event ids) that Bob did not send,
- Alice's data and sessions are exactly as before,
- the same request without a token is a 401.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import pytest

from tests.support.api import ApiClient

ALICE_PASSWORD = "alice's own long passphrase"
BOB_PASSWORD = "bob's own long passphrase"
ALICE_SECRETS = ("alicesecret", "Alice Hidden-Name", "AliceOnlyLabel", "Alice's script token")
EVERYTHING = {"start": "2000-01-01T00:00:00Z", "end": "2030-01-01T00:00:00Z"}


@dataclass
class World:
    alice: ApiClient
    bob: ApiClient
    alice_event_ids: list[int]
    alice_token_id: int
    alice_device_id: int


@dataclass(frozen=True)
class Check:
    """Bob's request (path under /api/v1 and client kwargs) and the statuses it may get."""

    request: Callable[[World], tuple[str, dict]]
    statuses: frozenset[int]
    also: Callable[[World, object], None] | None = None  # further assertions on Bob's response


def alices_event(world: World) -> int:
    return world.alice_event_ids[0]


def own(*statuses: int) -> frozenset[int]:
    return frozenset(statuses)


NOT_FOUND = frozenset({404})
RULE_EVENT_ID = "/api/v1/events/<int:event_id>"

PUBLIC = {
    ("/static/<path:filename>", "GET"): "the app's own static files",
    ("/api/v1/openapi.json", "GET"): "the API's description",
    ("/api/v1/docs", "GET"): "the API explorer page",
    ("/api/v1/docs/assets/<path:filename>", "GET"): "the API explorer's files",
    ("/api/v1/health", "GET"): "liveness of the server, no user data",
    ("/api/v1/auth/register", "POST"): "creates a new account; touches no one else's",
    ("/api/v1/auth/login", "POST"): "opens only the account whose password is given",
    ("/api/v1/auth/refresh", "POST"): "opens only the device whose HttpOnly cookie it receives (no bearer token)",
    # The browser app's pages are shells: their data comes from the API, with the token.
    ("/", "GET"): "an HTML page shell without personal data",
    ("/timeline", "GET"): "an HTML page shell without personal data",
    ("/stats", "GET"): "an HTML page shell without personal data",
    ("/labels", "GET"): "an HTML page shell without personal data",
    ("/account", "GET"): "an HTML page shell without personal data",
    ("/import", "GET"): "an HTML page shell without personal data",
    ("/query", "GET"): "an HTML page shell without personal data",
    ("/login", "GET"): "an HTML page shell without personal data",
    ("/signup", "GET"): "an HTML page shell without personal data",
    ("/favicon.ico", "GET"): "the app's icon",
    ("/manifest.webmanifest", "GET"): "the web app manifest (name, icons)",
    ("/sw.js", "GET"): "the service worker script (caches the app shell, never /api/)",
}

# Routes whose credential is a token in the path, not the Authorization header:
# a second user cannot name the first user's token; tests/test_calendar.py
# checks that a feed shows only its owner's events and that any other token is 404.
PATH_TOKEN = {
    ("/api/v1/feeds/<token>/calendar.ics", "GET"): "a calendar-scope token in the path opens its owner's feed only",
}

ROUTES: dict[tuple[str, str], Check] = {
    ("/api/v1/auth/logout", "POST"): Check(lambda w: ("/auth/logout", {}), own(204)),
    ("/api/v1/auth/logout-all", "POST"): Check(lambda w: ("/auth/logout-all", {}), own(200)),
    ("/api/v1/auth/devices", "GET"): Check(
        lambda w: ("/auth/devices", {}), own(200), also=lambda w, r: r.json == {"devices": []} or pytest.fail(r.json)
    ),
    ("/api/v1/auth/devices/<int:device_id>", "DELETE"): Check(
        lambda w: (f"/auth/devices/{w.alice_device_id}", {}), NOT_FOUND
    ),
    ("/api/v1/me", "GET"): Check(
        lambda w: ("/me", {}), own(200), also=lambda w, r: r.json["username"] == "bob" or pytest.fail(r.json)
    ),
    ("/api/v1/me", "PATCH"): Check(lambda w: ("/me", {"json": {"display_name": "Bob Renamed"}}), own(200)),
    ("/api/v1/me/password", "POST"): Check(
        lambda w: ("/me/password", {"json": {"current_password": BOB_PASSWORD, "new_password": "bob's next passphrase"}}),
        own(204),
    ),
    ("/api/v1/labels", "GET"): Check(
        lambda w: ("/labels", {}), own(200), also=lambda w, r: r.json == {"labels": ["Gardening"]} or pytest.fail(r.json)
    ),
    ("/api/v1/labels", "POST"): Check(lambda w: ("/labels", {"json": {"name": "Knitting"}}), own(201)),
    ("/api/v1/labels/<path:name>", "PATCH"): Check(
        lambda w: ("/labels/AliceOnlyLabel", {"json": {"name": "Stolen"}}), NOT_FOUND
    ),
    ("/api/v1/labels/<path:name>", "DELETE"): Check(lambda w: ("/labels/AliceOnlyLabel", {}), NOT_FOUND),
    ("/api/v1/events", "GET"): Check(
        lambda w: ("/events", {"query_string": EVERYTHING}),
        own(200),
        also=lambda w, r: r.json == {"events": []} or pytest.fail(r.json),
    ),
    # Bob's event may overlap Alice's: a 409 here would also leak her event.
    ("/api/v1/events", "POST"): Check(
        lambda w: (
            "/events",
            {"json": {"label": "Gardening", "started_at": "2026-03-24T09:30:00Z", "ended_at": "2026-03-24T10:30:00Z"}},
        ),
        own(201),
    ),
    ("/api/v1/events/start", "POST"): Check(lambda w: ("/events/start", {"json": {"label": "Gardening"}}), own(201)),
    # Alice has a running event, Bob has none.
    ("/api/v1/events/stop", "POST"): Check(lambda w: ("/events/stop", {}), own(409)),
    ("/api/v1/events/current", "GET"): Check(
        lambda w: ("/events/current", {}), own(200), also=lambda w, r: r.json["event"] is None or pytest.fail(str(r.json))
    ),
    (RULE_EVENT_ID, "GET"): Check(lambda w: (f"/events/{alices_event(w)}", {}), NOT_FOUND),
    (RULE_EVENT_ID, "PATCH"): Check(
        lambda w: (f"/events/{alices_event(w)}", {"json": {"label": "Gardening"}}), NOT_FOUND
    ),
    (RULE_EVENT_ID, "DELETE"): Check(lambda w: (f"/events/{alices_event(w)}", {}), NOT_FOUND),
    ("/api/v1/stats", "GET"): Check(
        lambda w: ("/stats", {"query_string": EVERYTHING}),
        own(200),
        also=lambda w, r: r.json == {"percentages": {}, "minutes": {}} or pytest.fail(str(r.json)),
    ),
    ("/api/v1/stats/daily", "GET"): Check(
        lambda w: ("/stats/daily", {"query_string": {"start": "2026-03-23T00:00:00Z", "end": "2026-03-25T00:00:00Z"}}),
        own(200),
        also=lambda w, r: all(day["minutes"] == {} for day in r.json["days"]) or pytest.fail(str(r.json)),
    ),
    ("/api/v1/goals", "GET"): Check(
        lambda w: ("/goals", {}), own(200), also=lambda w, r: r.json == {"goals": []} or pytest.fail(str(r.json))
    ),
    ("/api/v1/goals/progress", "GET"): Check(
        lambda w: ("/goals/progress", {}), own(200), also=lambda w, r: r.json == {"goals": []} or pytest.fail(str(r.json))
    ),
    ("/api/v1/goals/<path:label>", "GET"): Check(lambda w: ("/goals/AliceOnlyLabel", {}), NOT_FOUND),
    ("/api/v1/goals/<path:label>", "PUT"): Check(
        lambda w: ("/goals/AliceOnlyLabel", {"json": {"kind": "at_most", "minutes": 1, "per": "day"}}), NOT_FOUND
    ),
    ("/api/v1/goals/<path:label>", "DELETE"): Check(lambda w: ("/goals/AliceOnlyLabel", {}), NOT_FOUND),
    ("/api/v1/tokens", "GET"): Check(
        lambda w: ("/tokens", {}), own(200), also=lambda w, r: r.json == {"tokens": []} or pytest.fail(str(r.json))
    ),
    ("/api/v1/tokens", "POST"): Check(
        lambda w: ("/tokens", {"json": {"name": "bob's", "scope": "read", "password": BOB_PASSWORD}}), own(201)
    ),
    ("/api/v1/tokens", "DELETE"): Check(lambda w: ("/tokens", {}), own(204)),
    ("/api/v1/tokens/<int:token_id>", "DELETE"): Check(lambda w: (f"/tokens/{w.alice_token_id}", {}), NOT_FOUND),
    ("/api/v1/calendar.ics", "GET"): Check(
        lambda w: ("/calendar.ics", {"query_string": EVERYTHING}),
        own(200),
        also=lambda w, r: "BEGIN:VEVENT" not in r.get_data(as_text=True) or pytest.fail(r.get_data(as_text=True)),
    ),
    ("/api/v1/export", "GET"): Check(
        lambda w: ("/export", {}),
        own(200),
        also=lambda w, r: [e["label"] for e in r.json["events"]] == [] or pytest.fail(str(r.json)),
    ),
    # Bob's import may overlap Alice's events, and creates labels in his set only.
    ("/api/v1/import", "POST"): Check(
        lambda w: (
            "/import",
            {
                "query_string": {"format": "lifelogger-csv"},
                "data": b"label,started_at,ended_at\nReading,2026-03-24T09:30:00Z,2026-03-24T10:30:00Z\n",
                "headers": {"Content-Type": "text/csv"},
            },
        ),
        own(200),
        also=lambda w, r: r.json["imported"] == 1 or pytest.fail(str(r.json)),
    ),
}


def routes_in(app) -> set[tuple[str, str]]:
    """Every (rule, method) the app answers, HEAD and OPTIONS aside (Flask adds them)."""
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_classified(app):
    unclassified = routes_in(app) - set(ROUTES) - set(PUBLIC) - set(PATH_TOKEN)
    assert not unclassified, (
        f"Routes with no ownership check in tests/test_ownership.py: {sorted(unclassified)}. "
        "Add each to ROUTES (what a second user gets) or, if it serves no user data, to PUBLIC."
    )


def test_the_table_lists_only_real_routes(app):
    assert set(ROUTES) <= routes_in(app), sorted(set(ROUTES) - routes_in(app))


@pytest.fixture
def world(app, make_user, clock, make_event) -> World:
    alice = make_user(
        "alicesecret", password=ALICE_PASSWORD, labels=["AliceOnlyLabel", "Reading"], display_name="Alice Hidden-Name"
    )
    bob = make_user("bob", password=BOB_PASSWORD, labels=["Gardening"])
    finished = make_event(alice, "AliceOnlyLabel", "2026-03-24T09:00:00Z", "2026-03-24T11:00:00Z")
    running = alice.post("/events/start", json={"label": "Reading"})
    assert running.status_code == 201
    goal = {"kind": "at_least", "minutes": 60, "per": "day"}
    assert alice.put("/goals/AliceOnlyLabel", json=goal).status_code == 200
    token = alice.post("/tokens", json={"name": "Alice's script token", "scope": "read", "password": ALICE_PASSWORD})
    assert token.status_code == 201
    remembered = ApiClient(app.test_client()).post(
        "/auth/login", json={"username": "alicesecret", "password": ALICE_PASSWORD, "remember": True}
    )
    assert remembered.status_code == 200
    device = ApiClient(app.test_client(), token=remembered.json["token"]).get("/auth/devices").json["devices"][0]
    return World(alice, bob, [finished["id"], running.json["id"]], token.json["id"], device["id"])


def snapshot(user: ApiClient) -> dict:
    """Everything Alice can see of her account."""
    views = {
        "me": user.get("/me"),
        "labels": user.get("/labels"),
        "events": user.get("/events", query_string=EVERYTHING),
        "current": user.get("/events/current"),
        "stats": user.get("/stats", query_string=EVERYTHING),
        "goals": user.get("/goals"),
        "tokens": user.get("/tokens"),
        "devices": user.get("/auth/devices"),
        "export": user.get("/export"),
    }
    assert all(response.status_code == 200 for response in views.values()), "Alice's session ended"
    return {name: response.json for name, response in views.items()}


def ids_in(value) -> set:
    if isinstance(value, dict):
        return {v for k, v in value.items() if k == "id"} | set().union(*(ids_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(ids_in(v) for v in value)) if value else set()
    return set()


@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[1]} {r[0]}")
def test_a_second_user_reaches_none_of_the_first_users_data(app, world, route):
    rule, method = route
    check = ROUTES[route]
    before = snapshot(world.alice)
    path, kwargs = check.request(world)

    response = world.bob.open(method, path, **kwargs)

    assert response.status_code in check.statuses, (response.status_code, response.get_data(as_text=True))
    text = response.get_data(as_text=True)
    sent = path + json.dumps(kwargs, default=repr)  # echoing Bob's own input back to him leaks nothing
    for secret in ALICE_SECRETS:
        assert secret in sent or secret not in text
    body = json.loads(text) if text and response.mimetype == "application/json" else None  # an iCalendar is text
    assert not ids_in(body) & set(world.alice_event_ids)
    if check.also:
        check.also(world, response)
    assert snapshot(world.alice) == before
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/login", json={"username": "alicesecret", "password": ALICE_PASSWORD}).status_code == 200


@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[1]} {r[0]}")
def test_every_non_public_route_needs_a_token(app, world, route):
    rule, method = route
    before = snapshot(world.alice)
    path, kwargs = ROUTES[route].request(world)
    response = ApiClient(app.test_client()).open(method, path, **kwargs)
    assert response.status_code == 401
    assert snapshot(world.alice) == before
