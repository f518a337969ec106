"""``flask export --user NAME`` / ``flask import FILE``: one user's data between instances.

The source is always a fresh SQLite instance; the target is the suite's
database, so with LIFELOGGER_TEST_DATABASE_URL on PostgreSQL this moves a
user from SQLite to PostgreSQL.
"""
import json

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from lifelogger import create_app
from lifelogger.extensions import db
from lifelogger.models import Event, Label, User

from .conftest import PASSWORD, ApiClient, base_config

EVERYTHING = {"start": "1900-01-01T00:00:00Z", "end": "9999-01-01T00:00:00Z"}


@pytest.fixture
def source(tmp_path, clock):
    """Another instance, on SQLite, where "yourname" has a history and a running event."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'source.sqlite3'}"))
    with app.app_context():
        upgrade()
    clock.set("2025-12-31T23:59:59Z")
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/register", json={"username": "YourName", "password": PASSWORD, "display_name": "Jacob Ünïcode"}).status_code == 201
    clock.set("2026-03-24T12:00:00Z")
    token = anon.post("/auth/login", json={"username": "yourname", "password": PASSWORD}).json["token"]
    user = ApiClient(app.test_client(), token=token)
    for name in ["Programming", "Work/Admin", "ça va 😀", "Unused"]:
        assert user.post("/labels", json={"name": name}).status_code == 201
    events = [
        ("Programming", "1969-07-20T20:17:40Z", "1969-07-21T02:56:15Z"),
        ("Work/Admin", "2026-03-24T09:00:00Z", "2026-03-24T09:00:01Z"),
        ("ça va 😀", "2026-03-24T09:00:01Z", "2026-03-24T11:30:00Z"),
    ]
    for label, started_at, ended_at in events:
        response = user.post("/events", json={"label": label, "started_at": started_at, "ended_at": ended_at})
        assert response.status_code == 201, response.json
    assert user.post("/events/start", json={"label": "Programming"}).status_code == 201
    clock.set("2026-03-24T12:30:00Z")
    yield app
    with app.app_context():
        db.engine.dispose()


def export(app, username="yourname"):
    result = app.test_cli_runner().invoke(args=["export", "--user", username])
    assert result.exit_code == 0, result.output
    return result.stdout


def import_(app, tmp_path, text, *options):
    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import", str(path), *options])


def rows(app, username):
    """Every column of the user's rows, minus the ids that are local to an instance."""

    def columns(obj, skip):
        return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        labels = db.session.scalars(select(Label).where(Label.user_id == user.id).order_by(Label.name_key))
        events = db.session.scalars(select(Event).where(Event.user_id == user.id).order_by(Event.started_at))
        return {
            "user": columns(user, {"id"}),
            "labels": [columns(label, {"id", "user_id"}) for label in labels],
            "events": [{**columns(e, {"id", "user_id", "label_id"}), "label": e.label} for e in events],
        }


def api_view(app, username):
    """What the user sees through the API after logging in with their password."""
    login = ApiClient(app.test_client()).post("/auth/login", json={"username": username, "password": PASSWORD})
    assert login.status_code == 200
    user = ApiClient(app.test_client(), token=login.json["token"])
    strip_id = lambda event: {k: v for k, v in event.items() if k != "id"}  # noqa: E731
    me = user.get("/me").json
    return {
        "me": {k: v for k, v in me.items() if k != "id"},
        "labels": user.get("/labels").json,
        "events": [strip_id(e) for e in user.get("/events", query_string=EVERYTHING).json["events"]],
        "current": strip_id(user.get("/events/current").json["event"]),
        "stats": user.get("/stats", query_string=EVERYTHING).json,
    }


def test_export_is_the_documented_json(source):
    document = json.loads(export(source))
    assert document["format"] == "lifelogger-user" and document["version"] == 1
    assert document["user"]["username"] == "yourname"
    assert document["user"]["created_at"] == "2025-12-31T23:59:59+00:00"
    assert document["labels"] == ["Programming", "Unused", "Work/Admin", "ça va 😀"]
    assert document["events"][0] == {"label": "Programming", "started_at": "1969-07-20T20:17:40+00:00", "ended_at": "1969-07-21T02:56:15+00:00"}
    assert document["events"][-1] == {"label": "Programming", "started_at": "2026-03-24T12:00:00+00:00", "ended_at": None}


def test_a_user_moves_to_another_instance_with_nothing_lost(source, app, tmp_path):
    text = export(source)
    result = import_(app, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert rows(app, "yourname") == rows(source, "yourname")
    assert api_view(app, "yourname") == api_view(source, "yourname")
    assert json.loads(export(app)) == json.loads(text)


def test_import_under_another_name(source, app, tmp_path):
    result = import_(app, tmp_path, export(source), "--user", "Jacob2")
    assert result.exit_code == 0, result.output
    assert rows(app, "jacob2") == {**rows(source, "yourname"), "user": {**rows(source, "yourname")["user"], "username": "jacob2"}}


def test_import_refuses_a_taken_username(source, app, tmp_path, make_user):
    make_user("yourname")
    result = import_(app, tmp_path, export(source))
    assert result.exit_code == 1
    assert "'yourname' is taken" in result.output


def test_export_of_an_unknown_user_fails(app):
    result = app.test_cli_runner().invoke(args=["export", "--user", "nobody"])
    assert result.exit_code == 1 and "no user 'nobody'" in result.output


def _broken(document, change):
    broken = json.loads(json.dumps(document))
    change(broken)
    return broken


@pytest.mark.parametrize(
    "change, complaint",
    [
        (lambda d: d.update(format="something-else"), "Not a Life Logger user export"),
        (lambda d: d.update(version=2), "Only version 1"),
        (lambda d: d["user"].update(password_hash="plain text"), "Not a bcrypt hash"),
        (lambda d: d["labels"].append("programming"), "unique regardless of case"),
        (lambda d: d["labels"].remove("Work/Admin"), "missing from 'labels': Work/Admin"),
        (lambda d: d["events"][1].update(ended_at="2026-03-24T10:00:00+00:00"), "overlaps the next one"),
        (lambda d: d["events"][1].update(ended_at=None), "overlaps the next one"),
        (lambda d: d["events"][0].update(ended_at=d["events"][0]["started_at"]), "does not end after it starts"),
        (lambda d: d["events"][-1].update(started_at="2027-01-01T00:00:00+00:00"), "in the future"),
        (lambda d: d["events"].append({"label": "Programming", "started_at": "garbage", "ended_at": None}), "ISO 8601"),
    ],
)
def test_import_refuses_an_inconsistent_document_and_writes_nothing(source, app, tmp_path, change, complaint):
    document = json.loads(export(source))
    result = import_(app, tmp_path, json.dumps(_broken(document, change)))
    assert result.exit_code == 1
    assert complaint in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "yourname")) is None


def test_import_of_a_file_that_is_not_json(app, tmp_path):
    result = import_(app, tmp_path, "{nope")
    assert result.exit_code == 1 and "is not JSON" in result.output
