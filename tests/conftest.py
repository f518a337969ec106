"""Fixtures: an app on a freshly emptied database per test, clients, factories.

The schema is built once per run by the real migrations. Tests run on a
temporary SQLite file by default, or on the database named by
``LIFELOGGER_TEST_DATABASE_URL`` (e.g. PostgreSQL), whose tables are dropped
and rebuilt first, so never point it at data you want to keep.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import MetaData, create_engine, make_url, text

from lifelogger import create_app
from lifelogger.core import timeutil
from lifelogger.db import db

API = "/api/v1"
PASSWORD = "correct horse battery"


def _reset_schema(url: str) -> None:
    """Drop every table (including Alembic's) so the migrations start from nothing."""
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            existing = MetaData()
            existing.reflect(bind=conn)
            existing.drop_all(bind=conn)
    engine.dispose()


def base_config(database_url: str, **overrides) -> dict:
    """The config every test app starts from: cheap bcrypt, an explicit database."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "BCRYPT_ROUNDS": 4,
        "SESSION_IDLE_TIMEOUT": 3600,
        "ALLOW_REGISTRATION": True,
        "PROXY_FIX": 0,
        # Hardening (issue 5): the suite registers many users from one address;
        # tests/test_ratelimit.py turns the limits on. Tests of 64-bit instants
        # query 1900 to 9999; tests/test_resource_limits.py applies the 50-year default.
        "RATELIMIT_ENABLED": False,
        "MAX_RANGE_DAYS": 3_000_000,
        **overrides,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database migrated to head, once per test run."""
    from flask_migrate import upgrade

    url = os.environ.get("LIFELOGGER_TEST_DATABASE_URL")
    if url:
        _reset_schema(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'lifelogger-test.sqlite3'}"
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app_config(database_url) -> dict:
    """Override in a test module (or with indirect parametrization) to change config."""
    return base_config(database_url)


@pytest.fixture
def app(app_config):
    """The app, on a database emptied after the test."""
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class ApiClient:
    """A test client speaking to /api/v1, with a user's bearer token when it has one."""

    def __init__(self, client: FlaskClient, token: str | None = None, username: str | None = None):
        self.client = client
        self.token = token
        self.username = username

    def _headers(self, headers):
        merged = dict(headers or {})
        if self.token and "Authorization" not in merged:
            merged["Authorization"] = f"Bearer {self.token}"
        return merged

    def open(self, method: str, path: str, headers=None, **kwargs):
        return self.client.open(API + path, method=method, headers=self._headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.open("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.open("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


@pytest.fixture
def anon(client) -> ApiClient:
    """An API client without a token."""
    return ApiClient(client)


@pytest.fixture
def make_user(app):
    """``make_user(username=..., labels=[...])`` → a logged-in ApiClient of a new user."""
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, password: str = PASSWORD, labels=(), **profile) -> ApiClient:
        username = username or f"user{next(counter)}"
        anon = ApiClient(app.test_client())
        response = anon.post("/auth/register", json={"username": username, "password": password, **profile})
        assert response.status_code == 201, response.json
        response = anon.post("/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        user = ApiClient(app.test_client(), token=response.json["token"], username=username.lower())
        for label in labels:
            assert user.post("/labels", json={"name": label}).status_code == 201
        return user

    return make


@pytest.fixture
def user(make_user) -> ApiClient:
    """A logged-in user with the seed page's labels."""
    return make_user("yourname", labels=["Exercise", "Programming", "Reading"], display_name="Jacob")


@dataclass
class Clock:
    """The app's notion of "now", moved by the test."""

    current: datetime

    def __call__(self) -> datetime:
        return self.current

    def set(self, iso: str) -> None:
        self.current = timeutil.parse_instant(iso)

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze ``timeutil.now`` at 2026-03-24T12:00:00Z; tests move it explicitly."""
    frozen = Clock(timeutil.parse_instant("2026-03-24T12:00:00Z"))
    monkeypatch.setattr(timeutil, "now", frozen)
    return frozen


@pytest.fixture
def make_event():
    """``make_event(user, label, start_iso, end_iso)`` → the created event's JSON."""

    def make(user: ApiClient, label: str, started_at: str, ended_at: str) -> dict:
        response = user.post("/events", json={"label": label, "started_at": started_at, "ended_at": ended_at})
        assert response.status_code == 201, response.json
        return response.json

    return make


# --- Second databases (production issue): backups, imports, migrations -------


@contextmanager
def scratch_database(database_url: str, tmp_path, name: str, postgresql_options: str = "") -> Iterator[str]:
    """A new, empty database of the suite's kind: an SQLite file, or a PostgreSQL
    database named after the suite's (``<suite database>_<name>``, created with
    ``postgresql_options``), dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    scratch = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{scratch}" {postgresql_options}'))
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_database_url(database_url, tmp_path) -> Iterator[str]:
    """The URL of a second database with nothing in it (no tables)."""
    with scratch_database(database_url, tmp_path, "scratch") as url:
        yield url
