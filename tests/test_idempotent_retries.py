"""A retried write whose first answer was lost after it committed gets that first answer again.

The loss is made where it hurts: the worker "dies" (an exception nobody handles) right
after the first database commit of the request, before any answer leaves the server.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event

from lifelogger.db import db


class WorkerDied(Exception):
    """Stands for the worker being killed: no answer reaches the client."""


@pytest.fixture
def dies_after_first_commit(app):
    """The next request's first commit is durable, then its worker dies."""
    armed = {"on": True}

    def die(_session):
        if armed["on"]:
            armed["on"] = False
            raise WorkerDied

    event.listen(db.session, "after_commit", die)
    yield
    event.remove(db.session, "after_commit", die)


@pytest.mark.parametrize("action,path,body", [
    ("start", "/events/start", {"label": "Reading"}),
    ("log", "/events", {"label": "Reading", "started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T10:00:00Z"}),
])
def test_a_retry_after_the_answer_was_lost_gets_the_original_answer(user, clock, dies_after_first_commit, action, path, body):
    headers = {"Idempotency-Key": f"tap-{action}"}
    with pytest.raises(WorkerDied):
        user.post(path, json=body, headers=headers)
    retried = user.post(path, json=body, headers=headers)
    assert retried.status_code == 201, retried.get_json()
    again = user.post(path, json=body, headers=headers)
    assert (again.status_code, again.get_json()) == (201, retried.get_json())
    assert again.headers["Idempotent-Replayed"] == "true"
    # Acted once: one event, the one both answers describe.
    events = user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).json["events"]
    assert [e["id"] for e in events] == [retried.get_json()["id"]]
