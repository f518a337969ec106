"""Several app servers, one clock: server-stamped instants come from the database.

Two app instances on the suite's database; one node's Python clock runs 5 s ahead.
A start there and a switch on the other node a second later are both accepted,
in order. SQLite serves one host, whose clock is the database's, so the case
exists only on PostgreSQL (run the suite with LIFELOGGER_TEST_DATABASE_URL).
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from lifelogger import create_app
from lifelogger.core import timeutil
from lifelogger.db import db
from tests.support.api import ApiClient


@pytest.fixture
def second_node(app_config):
    """Another app server on the same database."""
    node = create_app(app_config)
    yield node
    with node.app_context():
        db.engine.dispose()


def test_a_switch_on_a_node_behind_the_one_that_started_is_accepted_in_order(app, second_node, user, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite is single-host: the app's clock is the database's clock")
    ahead = ApiClient(app.test_client(), user.token)
    behind = ApiClient(second_node.test_client(), user.token)
    real_now = timeutil.now

    with monkeypatch.context() as skew:
        skew.setattr(timeutil, "now", lambda: real_now() + timedelta(seconds=5))
        started = ahead.post("/events/start", json={"label": "Reading"})
    assert started.status_code == 201, started.get_json()
    time.sleep(1.1)  # the switch comes a second later, by any clock
    switched = behind.post("/events/start", json={"label": "Exercise"})
    assert switched.status_code == 201, switched.get_json()

    first = timeutil.parse_instant(started.get_json()["started_at"])
    second = timeutil.parse_instant(switched.get_json()["started_at"])
    assert first < second <= real_now() + timedelta(seconds=1)
    events = behind.get("/events", query_string={"start": timeutil.format_instant(first - timedelta(hours=1)),
                                                  "end": timeutil.format_instant(second + timedelta(hours=1))}).json["events"]
    assert [(e["label"], e["ended_at"]) for e in events] == [("Reading", switched.get_json()["started_at"]), ("Exercise", None)]
