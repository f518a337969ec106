"""Fuzzing the whole API from its OpenAPI document (schemathesis, in-process over WSGI).

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid and
invalid, each authenticated as a user who has labels and events; every
response must pass schemathesis's default checks plus "no 5xx": it is
documented, its status code and content type are declared, its body matches
the declared schema, invalid input is refused, valid input accepted.

Bounded for CI: 25 examples per operation and phase, derandomized (the same
cases on every run). A deeper local run:

    FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_fuzz_api.py

The app is built once, at import (schemathesis needs the schema when the tests
are collected), on a throw-away SQLite file: rate limits off, bcrypt cost 4.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from lifelogger import config, create_app
from lifelogger.db import db

from tests.support.config import base_config

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
USERNAME, PASSWORD = "fuzzer", "fuzzing is fun and long"

# On a RAM disk when there is one: every case commits (a fresh session), and
# SQLite's fsyncs on a real disk would triple the run's time.
_workdir = tempfile.mkdtemp(prefix="lifelogger-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
atexit.register(shutil.rmtree, _workdir, ignore_errors=True)

# "Schema-valid request rejected" (positive_data_acceptance) expects no 422 for
# data the OpenAPI document calls valid. Every rule a schema can state is in
# the document (lengths, patterns, instant years); these operations also apply
# rules that depend on more than one field or on the user's stored data, which
# JSON Schema cannot state, so a schema-valid request may still be a 422 there.
SEMANTIC_422 = {
    ("GET", "/api/v1/events"): "end before start, or a range over LIFELOGGER_MAX_RANGE_DAYS",
    ("GET", "/api/v1/stats"): "end before start, or a range over LIFELOGGER_MAX_RANGE_DAYS",
    ("GET", "/api/v1/stats/daily"): "end before start, a range over 3660 days, or an unknown time zone",
    ("POST", "/api/v1/events"): "a label not in your set; ended_at not after started_at; a time in the future",
    ("PATCH", "/api/v1/events/{event_id}"): "as POST /events",
    ("POST", "/api/v1/events/start"): "a label not in your set",
    ("POST", "/api/v1/labels"): "the label cap (LIFELOGGER_MAX_LABELS_PER_USER)",
    ("POST", "/api/v1/auth/register"): "one of the 10,000 most common passwords",
    ("POST", "/api/v1/me/password"): "one of the 10,000 most common passwords",
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis's default
# "Allow header mismatch" (allow_header_conformance): OPTIONS /goals/progress
# truthfully allows PUT and DELETE too: they reach the goal of a label named
# "progress" through /goals/{label}, where the document lists them. OpenAPI
# matches a concrete path before a template, so it cannot say so.
ALLOW_HEADER_EXCEPTIONS = {("GET", "/api/v1/goals/progress"): "PUT/DELETE go to /goals/{label} with label=progress"}
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            *(
                {
                    "include-method": method,
                    "include-path": path,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
                }
                for method, path in SEMANTIC_422
            ),
            *(
                {"include-method": method, "include-path": path, "checks": {"allow_header_conformance": {"enabled": False}}}
                for method, path in ALLOW_HEADER_EXCEPTIONS
            ),
        ]
    }
)


def _build_app():
    from flask_migrate import upgrade

    url = f"sqlite:///{Path(_workdir) / 'fuzz.sqlite3'}"
    # The product's limits, except those the fuzzer must not trip over (see the module docstring).
    app = create_app(base_config(url, MAX_RANGE_DAYS=config.SETTINGS["MAX_RANGE_DAYS"][1]))
    with app.app_context():
        upgrade()
    _seed(app)
    return app


def _seed(app) -> None:
    """The fuzzing user, with labels and a few events for generated requests to land on."""
    client = app.test_client()
    api = "/api/v1"
    assert client.post(f"{api}/auth/register", json={"username": USERNAME, "password": PASSWORD}).status_code == 201
    token = client.post(f"{api}/auth/login", json={"username": USERNAME, "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for name in ("Programming", "Exercise", "Reading", "Work/Admin"):
        assert client.post(f"{api}/labels", json={"name": name}, headers=headers).status_code == 201
    for day in range(1, 5):
        event = {"label": "Programming", "started_at": f"2026-01-0{day}T09:00:00Z", "ended_at": f"2026-01-0{day}T11:00:00Z"}
        assert client.post(f"{api}/events", json=event, headers=headers).status_code == 201
    assert client.post(f"{api}/events/start", json={"label": "Reading"}, headers=headers).status_code == 201


app = _build_app()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


@schema.auth(refresh_interval=None)
class FreshSession:
    """A new session for every case: a fuzzed logout, logout-all or password change cannot starve the rest."""

    def get(self, case, context):
        client = context.app.test_client()
        response = client.post("/api/v1/auth/login", json={"username": USERNAME, "password": PASSWORD})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json["token"]

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module", autouse=True)
def _dispose_fuzz_database():
    yield
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(_workdir, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_survives_fuzzing(case):
    case.call_and_validate(additional_checks=[not_a_server_error])
