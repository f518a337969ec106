"""``flask export --user NAME`` / ``flask import FILE``: one user's data between instances.

The source is always a fresh SQLite instance; the target is the suite's
database, so with LIFELOGGER_TEST_DATABASE_URL on PostgreSQL this moves a
user from SQLite to PostgreSQL.
"""
import json

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from lifelogger import create_app
from lifelogger.core import timeutil
from lifelogger.blueprints.transfer import service as transfer
from lifelogger.db import clock as database_clock, db
from lifelogger.db.models import Event, Goal, Label, User
from lifelogger.blueprints.transfer.accounts import NOT_CARRIED, NOT_CARRIED_COLUMNS

from tests.support.api import PASSWORD, ApiClient
from tests.support.clock import Clock
from tests.support.config import base_config

EVERYTHING = {"start": "1900-01-01T00:00:00Z", "end": "9999-01-01T00:00:00Z"}


def build_source(directory, clock):
    """Another instance, on SQLite, where "yourname" has a history using every field there is."""
    app = create_app(base_config(f"sqlite:///{directory / 'source.sqlite3'}"))
    with app.app_context():
        upgrade()
    clock.set("2025-12-31T23:59:59Z")
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/register", json={"username": "YourName", "password": PASSWORD, "display_name": "Jacob Ünïcode"}).status_code == 201
    clock.set("2026-03-24T12:00:00Z")
    token = anon.post("/auth/login", json={"username": "yourname", "password": PASSWORD}).json["token"]
    user = ApiClient(app.test_client(), token=token)
    settings = {"timezone": "Europe/Berlin", "day_starts_at": "04:30", "forgotten_after_minutes": 90}
    assert user.patch("/me", json=settings).status_code == 200
    for name in ["Programming", "Work/Admin", "ça va 😀", "Unused"]:
        assert user.post("/labels", json={"name": name}).status_code == 201
    events = [
        ("Programming", "1969-07-20T20:17:40Z", "1969-07-21T02:56:15Z", "One small step ✓"),
        ("Work/Admin", "2026-03-24T09:00:00Z", "2026-03-24T09:00:01Z", None),
        ("ça va 😀", "2026-03-24T09:00:01Z", "2026-03-24T11:30:00Z", "line one\nline two"),
    ]
    for label, started_at, ended_at, note in events:
        payload = {"label": label, "started_at": started_at, "ended_at": ended_at, **({"note": note} if note else {})}
        response = user.post("/events", json=payload)
        assert response.status_code == 201, response.json
    # An event that came from yet another instance keeps its original id there.
    imported = {"format": "lifelogger", "labels": [], "events": [
        {"source_id": 4242, "label": "Programming", "started_at": "2020-02-29T10:00:00Z", "ended_at": "2020-02-29T11:00:00Z", "note": None}
    ]}  # fmt: skip
    assert user.post("/import", query_string={"format": "lifelogger-json"}, json=imported).status_code == 200
    assert user.put("/goals/Programming", json={"kind": "at_least", "minutes": 60, "per": "day"}).status_code == 200
    assert user.put("/goals/Unused", json={"kind": "at_most", "minutes": 30, "per": "week"}).status_code == 200
    assert user.post("/events/start", json={"label": "Programming", "note": "deep work"}).status_code == 201
    clock.set("2026-03-24T12:30:00Z")
    return app


@pytest.fixture
def source(tmp_path, clock):
    app = build_source(tmp_path, clock)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """``flask export`` of the source account, made once for the tests that only need the file."""
    with pytest.MonkeyPatch.context() as patch:
        clock = Clock(timeutil.parse_instant("2026-03-24T12:00:00Z"))
        patch.setattr(timeutil, "now", clock)
        patch.setattr(database_clock, "database_now", clock)
        app = build_source(tmp_path_factory.mktemp("source"), clock)
        text = export(app)
        with app.app_context():
            db.engine.dispose()
    return text


CARRIED = {"users", "labels", "events", "goals"}


def export(app, username="yourname"):
    result = app.test_cli_runner().invoke(args=["export", "--user", username])
    assert result.exit_code == 0, result.output
    return result.stdout


def import_(app, tmp_path, text, *options):
    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import", str(path), *options])


def rows(app, username):
    """Every column of the user's rows in the carried tables, minus the ids local to an instance."""

    def columns(obj, skip=()):
        return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in {"id", "user_id", "label_id", *skip}}

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        labels = db.session.scalars(select(Label).where(Label.user_id == user.id).order_by(Label.name_key))
        events = db.session.scalars(select(Event).where(Event.user_id == user.id).order_by(Event.started_at))
        goals = db.session.scalars(select(Goal).where(Goal.user_id == user.id))
        return {
            "users": columns(user),
            "labels": [columns(label) for label in labels],
            # source_id is set on import (to the id the event had where it was first recorded).
            "events": [{**columns(e, {"source_id"}), "label": e.label, "original_id": e.original_id} for e in events],
            "goals": sorted(({**columns(goal), "label": goal.label} for goal in goals), key=lambda g: g["label"]),
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


def test_export_is_the_transfer_json_plus_the_account(source):
    document = json.loads(export(source))
    assert document["format"] == "lifelogger" and document["version"] == 1
    assert document["account"] == {
        "display_name": "Jacob Ünïcode",
        "timezone": "Europe/Berlin",
        "day_starts_at": "04:30",
        "forgotten_after_minutes": 90,
        "username": "yourname",
        "created_at": "2025-12-31T23:59:59+00:00",
        "password_hash": document["account"]["password_hash"],
    }
    assert document["account"]["password_hash"].startswith("$2b$04$")
    assert document["labels"] == ["Programming", "Unused", "Work/Admin", "ça va 😀"]
    assert document["goals"] == [
        {"kind": "at_least", "minutes": 60, "per": "day", "label": "Programming"},
        {"kind": "at_most", "minutes": 30, "per": "week", "label": "Unused"},
    ]
    first, imported, *_middle, running = document["events"]
    assert first == {"source_id": 1, "label": "Programming", "started_at": "1969-07-20T20:17:40+00:00", "ended_at": "1969-07-21T02:56:15+00:00", "note": "One small step ✓"}
    assert imported["source_id"] == 4242
    assert running == {"source_id": running["source_id"], "label": "Programming", "started_at": "2026-03-24T12:00:00+00:00", "ended_at": None, "note": "deep work"}
    with source.app_context():
        user = db.session.scalar(select(User).where(User.username == "yourname"))
        assert json.loads("".join(transfer.export_json(user))) == {k: v for k, v in document.items() if k not in {"account", "goals"}}


def test_every_column_of_a_users_data_is_either_carried_or_left_out_on_purpose(source):
    """A new table or column fails here until the export carries it (or NOT_CARRIED says why not)."""
    with source.app_context():
        for table in db.metadata.sorted_tables:
            if table.name == "users" or "user_id" in table.columns:
                assert table.name in CARRIED | NOT_CARRIED, f"decide whether flask export carries {table.name}"
        # The source account uses every carried column (not just its default), so the round trip compares real values.
        with db.engine.connect() as conn:
            for name in CARRIED:
                table = db.metadata.tables[name]
                for column in table.columns:
                    if column.primary_key or column.foreign_keys or f"{name}.{column.name}" in NOT_CARRIED_COLUMNS:
                        continue
                    default = column.default.arg if column.default is not None and column.default.is_scalar else None
                    used = select(func.count()).select_from(table).where(column.is_not(None))
                    if default is not None:
                        used = used.where(column != default)
                    assert conn.execute(used).scalar() > 0, f"the source fixture never sets {name}.{column.name}"


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
    expected = rows(source, "yourname")
    expected["users"]["username"] = "jacob2"
    assert rows(app, "jacob2") == expected


def test_import_refuses_a_taken_username(exported, app, tmp_path, make_user):
    make_user("yourname")
    result = import_(app, tmp_path, exported)
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
        (lambda d: d.update(format="something-else"), "Not a Life Logger export"),
        (lambda d: d.pop("account"), "no 'account'"),
        (lambda d: d.pop("events"), "expected {\"format\": \"lifelogger\", \"events\""),
        (lambda d: d["account"].update(password_hash="plain text"), "Not a bcrypt hash"),
        (lambda d: d["account"].update(timezone="Mars/Olympus"), "time zone"),
        (lambda d: d["account"].update(day_starts_at="25:00"), "between 00:00 and 23:59"),
        (lambda d: d["labels"].append("programming"), "unique regardless of case"),
        (lambda d: d["labels"].remove("Unused"), "Goals name labels missing"),
        (lambda d: d["events"][2].update(ended_at="2026-03-24T10:00:00+00:00"), "Overlaps row 3 of this file"),
        (lambda d: d["events"][2].update(ended_at=None), "Event 3: Still running in the file, but not its newest row"),
        (lambda d: d["events"][0].update(ended_at=d["events"][0]["started_at"]), "ended_at must be after started_at"),
        (lambda d: d["events"][-1].update(started_at="2999-01-01T00:00:00+00:00"), "in the future"),
        (lambda d: d["events"].append({"label": "Programming", "started_at": "garbage", "ended_at": None}), "ISO 8601"),
    ],
)
def test_import_refuses_an_inconsistent_document_and_writes_nothing(exported, app, tmp_path, change, complaint):
    document = json.loads(exported)
    result = import_(app, tmp_path, json.dumps(_broken(document, change)))
    assert result.exit_code == 1
    assert complaint in result.output
    with app.app_context():
        for model in (User, Label, Goal, Event):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_a_flask_export_file_also_imports_through_the_api(exported, user):
    """The account document is /export's JSON plus keys POST /import ignores."""
    response = user.post("/import", query_string={"format": "lifelogger-json"}, data=exported, content_type="application/json")
    assert response.status_code == 200, response.json
    assert response.json["imported"] == 5


def test_import_of_a_file_that_is_not_json(app, tmp_path):
    result = import_(app, tmp_path, "{nope")
    assert result.exit_code == 1 and "is not JSON" in result.output
