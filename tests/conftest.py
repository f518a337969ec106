"""Fixtures: an app on a freshly emptied database per test, clients, factories.

The schema is built once per run by the real migrations. Tests run on a
temporary SQLite file by default, or on the database named by
``LIFELOGGER_TEST_DATABASE_URL`` (e.g. PostgreSQL), whose tables are dropped
and rebuilt first, so never point it at data you want to keep.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from lifelogger import create_app
from lifelogger.core import timeutil
from lifelogger.db import clock as database_clock, db
from tests.support.api import PASSWORD, ApiClient
from tests.support.clock import Clock
from tests.support.config import base_config, config_overrides
from tests.support.databases import reset_schema, scratch_database
from tests.support.factories import new_event, new_user


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database migrated to head, once per test run."""
    from flask_migrate import upgrade

    url = os.environ.get("LIFELOGGER_TEST_DATABASE_URL")
    if url:
        reset_schema(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'lifelogger-test.sqlite3'}"
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app_config(request, database_url) -> dict:
    """The app's config: ``base_config`` plus the test's overrides.

    Set them with the marker, on a module (``pytestmark``), a class or a test:
    ``@pytest.mark.app_config(SESSION_IDLE_TIMEOUT=60)``; or, to run a test
    once per config, parametrize indirectly:
    ``@pytest.mark.parametrize("app_config", [{...}, {...}], indirect=True)``.
    """
    return base_config(database_url, **config_overrides(request))


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


@pytest.fixture
def anon(client) -> ApiClient:
    """An API client without a token."""
    return ApiClient(client)


@pytest.fixture
def make_user(app):
    """``make_user(username=..., labels=[...], **profile)`` → a logged-in ApiClient of a new
    user (password ``PASSWORD``), written straight to the database."""
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, password: str = PASSWORD, labels=(), **profile) -> ApiClient:
        return new_user(app, username or f"user{next(counter)}", password, labels, **profile)

    return make


@pytest.fixture
def user(make_user) -> ApiClient:
    """A logged-in user with the seed page's labels."""
    return make_user("yourname", labels=["Exercise", "Programming", "Reading"], display_name="Jacob")


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze ``timeutil.now`` (and the database's clock, lifelogger.db.clock) at 2026-03-24T12:00:00Z;
    tests move it explicitly."""
    frozen = Clock(timeutil.parse_instant("2026-03-24T12:00:00Z"))
    monkeypatch.setattr(timeutil, "now", frozen)
    monkeypatch.setattr(database_clock, "database_now", frozen)
    return frozen


@pytest.fixture
def make_event(app):
    """``make_event(user, label, start_iso, end_iso)`` → the new event's JSON, written straight
    to the database under the API's rules."""

    def make(user: ApiClient, label: str, started_at: str, ended_at: str) -> dict:
        return new_event(app, user, label, started_at, ended_at)

    return make


@pytest.fixture
def empty_database_url(database_url, tmp_path) -> Iterator[str]:
    """The URL of a second database with nothing in it (no tables)."""
    with scratch_database(database_url, tmp_path, "scratch") as url:
        yield url
