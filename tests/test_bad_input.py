"""Bad input found by fuzzing (and its neighbours): refused with a 4xx, never a 500.

Each test here was a 500 or a wrong answer before the fix named in its docstring.
"""
from __future__ import annotations

import pytest

from tests.support.api import PASSWORD
from .test_ratelimit import key_prefix  # noqa: F401 - fixture

LONE_SURROGATE = '"\\ud800 and more text"'  # a JSON escape, valid JSON syntax, not Unicode text


def post_raw(client, path, body: str):
    return client.post(path, data=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(
    "path,body",
    [
        ("/auth/login", '{"username": %s, "password": "a long passphrase"}' % LONE_SURROGATE),
        ("/auth/login", '{"username": "yourname", "password": %s}' % LONE_SURROGATE),
        ("/auth/register", '{"username": "someone", "password": %s}' % LONE_SURROGATE),
        ("/labels", '{"name": %s}' % LONE_SURROGATE),
        ("/events/start", '{"label": %s}' % LONE_SURROGATE),
        ("/me/password", '{"current_password": %s, "new_password": "another long one"}' % LONE_SURROGATE),
        ("/me/password", '{"current_password": "%s", "new_password": %s}' % (PASSWORD, LONE_SURROGATE)),
        ("/labels", '{%s: "key, not value"}' % LONE_SURROGATE),
    ],
)
def test_unpaired_surrogate_escapes_are_400(user, path, body):
    """smorest.JSONBodyParser: such strings reached bcrypt and SQLite and raised UnicodeEncodeError."""
    response = post_raw(user, path, body)
    assert response.status_code == 400
    assert "unpaired surrogate" in response.json["message"]
    assert user.get("/me").status_code == 200  # the password did not change


def test_a_surrogate_pair_is_ordinary_text(user):
    response = post_raw(user, "/labels", '{"name": "Music \\ud83c\\udfb5"}')
    assert response.status_code == 201
    assert response.json["name"] == "Music 🎵"


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/labels", "/events"])
def test_deeply_nested_json_is_400(user, path):
    """smorest.JSONBodyParser: Python's JSON parser raised RecursionError (a 500) past ~900 levels."""
    depth = 20_000  # 40 KB: under the size limit
    response = post_raw(user, path, "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert "nested too deeply" in response.json["message"]


def test_deeply_nested_json_at_log_in_does_not_upset_the_limiter(database_url, key_prefix):
    """ratelimit.login_username: an error in a key function made Flask-Limiter take
    Redis for dead and count in each worker's memory from then on."""
    import redis

    from lifelogger import create_app

    from tests.support.api import ApiClient
    from .test_ratelimit import REDIS_URL, _empty_database, limited_config

    app = create_app(limited_config(database_url, REDIS_URL, key_prefix))
    anon = ApiClient(app.test_client())
    try:
        depth = 20_000
        assert post_raw(anon, "/auth/login", "[" * depth + "]" * depth).status_code == 400
        assert anon.post("/auth/login", json={"username": "nobody", "password": "wrong password"}).status_code == 401
        store = redis.Redis.from_url(REDIS_URL)
        assert list(store.scan_iter(match=f"*{key_prefix}*"))  # still counting in Redis
        store.close()
    finally:
        _empty_database(app)


@pytest.mark.parametrize("event_id", [2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_event_ids_beyond_the_integer_column_are_404(user, event_id, method):
    """converters.IdConverter: 2**31 was a DataError on PostgreSQL, 2**63 an OverflowError on SQLite (500s)."""
    kwargs = {"json": {"label": "Reading"}} if method == "patch" else {}
    response = getattr(user, method)(f"/events/{event_id}", **kwargs)
    assert response.status_code == 404
    assert response.json["code"] == 404


@pytest.mark.parametrize("name", ["Sleep\n", "\tSleep", "Sle\u2028ep", "Sleep\x7f", "\u3000", "\u00a0 \u2003"])
def test_names_with_control_characters_or_nothing_visible_are_422(user, name):
    """fields.TrimmedName: the OpenAPI pattern now states these rules, checked on the name as sent."""
    response = user.post("/labels", json={"name": name})
    assert response.status_code == 422
    assert "name" in response.json["errors"]["json"]
    response = user.patch("/me", json={"display_name": name})
    assert response.status_code == 422


def test_surrounding_spaces_are_trimmed_within_the_length(user):
    assert user.post("/labels", json={"name": "  Sleep  "}).json == {"name": "Sleep"}
    assert user.post("/labels", json={"name": " " + "x" * 62 + " "}).status_code == 201
    response = user.post("/labels", json={"name": "y" * 63 + "  "})  # 65 as sent
    assert response.status_code == 422


def test_the_documented_name_pattern_is_the_one_enforced(client):
    import re

    from lifelogger.api.fields import VISIBLE_TEXT

    props = client.get("/api/v1/openapi.json").json["components"]["schemas"]["Label"]["properties"]["name"]
    assert props["pattern"] == VISIBLE_TEXT
    assert (props["minLength"], props["maxLength"]) == (1, 64)
    documented = re.compile(props["pattern"])
    for name in ["Sleep", "  Sleep ", "Écrire", "Work/Admin", "🎵"]:
        assert documented.fullmatch(name)
    for name in ["", "   ", "Sleep\n", "a\x00b"]:
        assert not documented.fullmatch(name)


@pytest.mark.parametrize(
    "start,end",
    [
        ("1900-01-01T00:00:00+05:00", "1900-01-02T00:00:00Z"),  # 1899 in UTC
        ("9999-12-30T20:00:00-23:59", "9999-12-30T23:59:59-23:59"),  # 9999-12-31 in UTC
    ],
)
def test_instants_at_the_ends_of_the_documented_dates_are_accepted(user, start, end):
    """timeutil.INSTANT_PATTERN: any text dated 1900-01-01..9999-12-30 is accepted, whatever its offset."""
    for path in ("/events", "/stats"):
        assert user.get(path, query_string={"start": start, "end": end}).status_code == 200


@pytest.mark.parametrize(
    "value,message",
    [
        ("1899-12-31T23:59:59Z", "from 1900-01-01 to 9999-12-30"),
        ("0510-11-19T00:16:49Z", "from 1900-01-01 to 9999-12-30"),
        ("9999-12-31T00:00:00Z", "from 1900-01-01 to 9999-12-30"),
        ("9999-12-31T23:00:00-05:00", "from 1900-01-01 to 9999-12-30"),
        ("20260324T090000Z", "Not an ISO 8601 instant"),
    ],
)
def test_instants_outside_the_documented_dates_are_422(user, value, message):
    response = user.get("/events", query_string={"start": value, "end": "2026-03-25T00:00:00Z"})
    assert response.status_code == 422
    assert message in response.json["errors"]["query"]["start"][0]


def test_the_documented_instant_pattern_is_the_one_enforced(client):
    from lifelogger.core.timeutil import INSTANT_PATTERN

    spec = client.get("/api/v1/openapi.json").json
    start = next(p for p in spec["paths"]["/api/v1/events"]["get"]["parameters"] if p["name"] == "start")
    assert start["schema"] == {"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN}
    event = spec["components"]["schemas"]["NewEvent"]["properties"]["started_at"]
    assert event["pattern"] == INSTANT_PATTERN


@pytest.mark.parametrize("token_id", [2**31, 2**63, 10**30])
def test_token_ids_beyond_the_integer_column_are_404(user, token_id):
    """converters.IdConverter bounds every <int:...> id, not only events'."""
    response = user.delete(f"/tokens/{token_id}")
    assert response.status_code == 404


def test_the_id_bound_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    for path, name in [("/api/v1/events/{event_id}", "event_id"), ("/api/v1/tokens/{token_id}", "token_id")]:
        operation = next(iter(spec["paths"][path].values()))
        parameters = spec["paths"][path].get("parameters", []) + operation.get("parameters", [])
        schema = next(p for p in parameters if p["name"] == name)["schema"]
        assert schema == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


@pytest.mark.parametrize("note", ["bell\x07", "nul\x00", "escape\x1b[31m", "del\x7f"])
def test_notes_with_control_characters_are_422(user, clock, note):
    """fields.NoteText: the pattern in the document is the rule enforced (line breaks and tabs allowed)."""
    assert user.post("/events/start", json={"label": "Reading", "note": note}).status_code == 422


def test_notes_keep_line_breaks_and_tabs(user, clock):
    response = user.post("/events/start", json={"label": "Reading", "note": "one\n\ttwo"})
    assert response.status_code == 201
    assert response.json["note"] == "one\n\ttwo"


@pytest.mark.parametrize("value", ["24:00", "4:00", "04:60", "０４:００", "04.00"])
def test_day_start_must_be_hh_mm(user, value):
    """fields.TimeOfDay: documented as a pattern; full-width digits were accepted by int()."""
    response = user.patch("/me", json={"day_starts_at": value})
    assert response.status_code == 422


def test_the_documented_note_and_time_of_day_patterns(client):
    from lifelogger.api.fields import NOTE_TEXT, TimeOfDay

    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert schemas["StartEvent"]["properties"]["note"]["pattern"] == NOTE_TEXT
    assert schemas["ProfileUpdate"]["properties"]["day_starts_at"]["pattern"] == TimeOfDay.PATTERN


def _import_json(user, events, labels=()):
    document = {"format": "lifelogger", "labels": list(labels), "events": events}
    return user.post("/import", query_string={"format": "lifelogger-json"}, json=document)


@pytest.mark.parametrize("source_id", [2**63, -(2**63) - 1, 10**30])
def test_an_imported_source_id_past_64_bits_is_a_row_error(user, source_id):
    """transfer.formats: a huge source_id reached the BIGINT column and raised OverflowError (a 500)."""
    event = {"label": "Reading", "started_at": "2020-01-01T00:00:00Z", "ended_at": "2020-01-01T01:00:00Z", "source_id": source_id}
    response = _import_json(user, [event])
    assert response.status_code == 422
    assert "64 bits" in response.json["errors"][0]["message"]


def test_the_largest_source_id_imports(user):
    event = {"label": "Reading", "started_at": "2020-01-01T00:00:00Z", "ended_at": "2020-01-01T01:00:00Z", "source_id": 2**63 - 1}
    assert _import_json(user, [event]).status_code == 200


@pytest.mark.app_config(MAX_LABELS_PER_USER=5)
def test_an_import_cannot_pass_the_label_cap(user):
    """transfer.service: imports created labels without the cap that POST /labels applies."""
    # `user` has 3 labels; 3 more from the file would make 6.
    events = [
        {"label": name, "started_at": f"2020-01-0{day}T00:00:00Z", "ended_at": f"2020-01-0{day}T01:00:00Z"}
        for day, name in enumerate(["Sleep", "Music", "Garden"], start=1)
    ]
    response = _import_json(user, events)
    assert response.status_code == 422
    assert "more than the 5 allowed" in response.json["message"]
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]
    assert _import_json(user, events[:2]).status_code == 200  # 5 in all: fine
