"""/labels: a per-user set of names, unique regardless of case."""
import pytest


def test_labels_have_the_seed_shape_sorted_case_insensitively(make_user):
    user = make_user(labels=["reading", "Programming", "exercise", "Art"])
    assert user.get("/labels").json == {"labels": ["Art", "exercise", "Programming", "reading"]}


def test_new_user_has_no_labels(make_user):
    assert make_user().get("/labels").json == {"labels": []}


def test_create_label_trims_and_keeps_unicode(make_user):
    user = make_user()
    response = user.post("/labels", json={"name": "  Lesen 📚  "})
    assert response.status_code == 201
    assert response.json == {"name": "Lesen 📚"}
    assert user.get("/labels").json["labels"] == ["Lesen 📚"]


def test_label_names_clash_regardless_of_case(user):
    response = user.post("/labels", json={"name": "programming"})
    assert response.status_code == 409
    assert "Programming" in user.get("/labels").json["labels"]
    assert "programming" not in user.get("/labels").json["labels"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "bell\x07", "two\nlines", 12, None])
def test_bad_label_names_are_refused(make_user, name):
    user = make_user()
    response = user.post("/labels", json={"name": name})
    assert response.status_code == 422
    assert "name" in response.json["errors"]["json"]
    assert user.get("/labels").json["labels"] == []


def test_rename_moves_the_events_along(user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    response = user.patch("/labels/Reading", json={"name": "Books"})
    assert response.status_code == 200
    assert response.json == {"name": "Books"}
    assert user.get(f"/events/{event['id']}").json["label"] == "Books"
    assert user.get("/labels").json["labels"] == ["Books", "Exercise", "Programming"]


def test_rename_can_change_only_the_case(user):
    assert user.patch("/labels/reading", json={"name": "READING"}).status_code == 200
    assert "READING" in user.get("/labels").json["labels"]


def test_rename_onto_an_existing_label_is_a_conflict(user):
    response = user.patch("/labels/Reading", json={"name": "exercise"})
    assert response.status_code == 409
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]


def test_names_with_a_slash_travel_url_encoded(make_user):
    user = make_user(labels=["Work/Admin"])
    assert user.patch("/labels/Work%2FAdmin", json={"name": "Work/Ops"}).status_code == 200
    assert user.get("/labels").json["labels"] == ["Work/Ops"]
    assert user.delete("/labels/Work%2FOps").status_code == 204
    assert user.get("/labels").json["labels"] == []


def test_unknown_label_is_404(user):
    assert user.patch("/labels/Nope", json={"name": "Yes"}).status_code == 404
    response = user.delete("/labels/Nope")
    assert response.status_code == 404
    assert "Nope" in response.json["message"]


def test_delete_unused_label(user):
    response = user.delete("/labels/Reading")
    assert response.status_code == 204
    assert response.data == b""
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming"]


def test_delete_label_in_use_says_how_many_events_use_it(user, clock, make_event):
    make_event(user, "Reading", "2026-03-24T08:00:00Z", "2026-03-24T09:00:00Z")
    make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    response = user.delete("/labels/Reading")
    assert response.status_code == 409
    assert "2 events use it" in response.json["message"]
    assert "Reading" in user.get("/labels").json["labels"]


def test_labels_sort_by_code_point_whatever_the_database_locale(database_url, tmp_path):
    """SQLite and PostgreSQL (even a database created with an en-US collation) list labels alike."""
    from flask_migrate import upgrade

    from lifelogger import create_app
    from lifelogger.db import db

    from tests.support.api import PASSWORD, ApiClient
    from tests.support.config import base_config
    from tests.support.databases import scratch_database

    with scratch_database(database_url, tmp_path, "locale", postgresql_options="LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE template0") as url:
        app = create_app(base_config(url))
        try:
            with app.app_context():
                upgrade()
            anon = ApiClient(app.test_client())
            anon.post("/auth/register", json={"username": "yourname", "password": PASSWORD})
            token = anon.post("/auth/login", json={"username": "yourname", "password": PASSWORD}).json["token"]
            user = ApiClient(app.test_client(), token=token)
            for name in ["ça va", "Zed", "cb", "work admin", "Work/Admin2", "a-b", "ab"]:
                assert user.post("/labels", json={"name": name}).status_code == 201
            assert user.get("/labels").json["labels"] == ["a-b", "ab", "cb", "work admin", "Work/Admin2", "Zed", "ça va"]
        finally:
            with app.app_context():
                db.engine.dispose()


# --- Invisible and bidirectional characters; one label per canonical name (issue 15) --------

HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_a_label_with_an_invisible_or_bidi_control_character_is_refused_naming_it(make_user, char):
    user = make_user()
    response = user.post("/labels", json={"name": f"Read{char}ing"})
    assert response.status_code == 422
    assert response.json["code"] == 422 and response.json["message"]
    assert f"U+{ord(char):04X}" in " ".join(response.json["errors"]["json"]["name"])
    assert user.get("/labels").json["labels"] == []


def test_renaming_to_a_name_with_a_bidi_override_is_refused(user):
    response = user.patch("/labels/Reading", json={"name": "\u202egnidaeR"})
    assert response.status_code == 422
    assert "U+202E" in " ".join(response.json["errors"]["json"]["name"])
    assert "Reading" in user.get("/labels").json["labels"]


def test_cafe_typed_two_ways_is_one_label_stored_precomposed(make_user):
    user = make_user()
    assert user.post("/labels", json={"name": "Cafe\u0301"}).json == {"name": "Caf\u00e9"}
    clash = user.post("/labels", json={"name": "Caf\u00e9"})
    assert clash.status_code == 409
    assert user.get("/labels").json["labels"] == ["Caf\u00e9"]


def test_an_event_finds_its_label_whichever_way_it_is_typed(make_user, clock):
    user = make_user(labels=["Caf\u00e9"])
    started = user.post("/events/start", json={"label": "CAFE\u0301"})
    assert started.status_code == 201, started.json
    assert started.json["label"] == "Caf\u00e9"


def test_an_import_with_cafe_typed_two_ways_makes_one_label(make_user, clock):
    user = make_user()
    csv = "label,started_at,ended_at\nCafe\u0301,2026-03-23T09:00:00Z,2026-03-23T10:00:00Z\nCaf\u00e9,2026-03-23T11:00:00Z,2026-03-23T12:00:00Z\n"
    response = user.post("/import", query_string={"format": "lifelogger-csv"}, data=csv.encode(), headers={"Content-Type": "text/csv"})
    assert response.status_code in (200, 201), response.json
    assert user.get("/labels").json["labels"] == ["Caf\u00e9"]


def test_an_import_refuses_a_label_with_a_zero_width_space(make_user, clock):
    user = make_user()
    csv = "label,started_at,ended_at\nRead\u200bing,2026-03-23T09:00:00Z,2026-03-23T10:00:00Z\n"
    response = user.post("/import", query_string={"format": "lifelogger-csv"}, data=csv.encode(), headers={"Content-Type": "text/csv"})
    assert "U+200B" in str(response.json), response.json
    assert user.get("/labels").json["labels"] == []
