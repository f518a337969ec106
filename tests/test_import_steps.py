"""A large import is written in short steps: other users write in between, the importing
user's own writes wait for it (503, Retry-After), and a failure mid-way leaves nothing."""
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from lifelogger.blueprints.transfer import service
from lifelogger.db import db
from lifelogger.db.models import Event, User
from tests.support.factories import set_import_lease

STEP = service.IMPORT_STEP_ROWS


def csv_of_minutes(count: int, label: str = "Imported", first: datetime = datetime(2020, 1, 1, tzinfo=timezone.utc)) -> bytes:
    """``count`` one-minute events, one every two minutes."""
    lines = ["label,started_at,ended_at"]
    for number in range(count):
        start = first + timedelta(minutes=2 * number)
        lines.append(f"{label},{start:%Y-%m-%dT%H:%M:%SZ},{start + timedelta(minutes=1):%Y-%m-%dT%H:%M:%SZ}")
    return "\n".join(lines).encode()


def post(user, data: bytes, **query):
    return user.post("/import", query_string={"format": "lifelogger-csv", **query}, data=data, headers={"Content-Type": "text/csv"})


def events_logged(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event).join(User).where(User.username == username))


def lease_of(app, username: str):
    with app.app_context():
        return db.session.execute(select(User.import_lease, User.import_lease_until).where(User.username == username)).one()


def in_a_thread(request):
    """Run ``request`` as a request of its own would run, in another thread: its answer."""
    answers = []
    worker = threading.Thread(target=lambda: answers.append(request()))
    worker.start()
    worker.join()
    return answers[0]


@pytest.fixture
def between_steps(monkeypatch):
    """``between_steps(action)``: run ``action`` in the pauses between the import's write transactions."""
    actions = []
    monkeypatch.setattr(service, "let_other_writers_in", lambda: [action() for action in actions])
    return actions.append


# --- steps -----------------------------------------------------------------------------------


def test_a_large_import_is_written_in_transactions_of_at_most_one_step(app, user, clock, monkeypatch):
    per_commit, current = [], []
    real_insert = service._insert_events
    monkeypatch.setattr(service, "_insert_events", lambda values: (current.append(len(values)), real_insert(values)))
    with app.app_context():
        engine = db.engine

    def committed(_connection):
        per_commit.append(sum(current))
        current.clear()

    event.listen(engine, "commit", committed)
    try:
        response = post(user, csv_of_minutes(2 * STEP + 1))
    finally:
        event.remove(engine, "commit", committed)

    assert response.status_code == 200, response.json
    assert response.json["imported"] == 2 * STEP + 1
    assert current == []  # nothing inserted outside a committed transaction
    assert [rows for rows in per_commit if rows] == [STEP, STEP, 1]
    assert events_logged(app, "yourname") == 2 * STEP + 1
    assert lease_of(app, "yourname") == (None, None)


def test_other_users_write_between_the_steps_and_the_importing_user_is_asked_to_wait(app, user, make_user, clock, between_steps):
    other = make_user("other", labels=["Reading"])
    answers = []
    between_steps(lambda: answers.append((in_a_thread(lambda: other.post("/events/start", json={"label": "Reading"})),
                                          in_a_thread(lambda: user.post("/events/start", json={"label": "Reading"})))))

    response = post(user, csv_of_minutes(STEP + 1))

    assert response.status_code == 200, response.json
    [(theirs, mine)] = answers
    assert theirs.status_code == 201, theirs.json
    assert mine.status_code == 503
    assert mine.headers["Retry-After"] == "2"
    assert mine.json["message"].startswith("An import is being written into your log; nothing was changed.")
    # Once the import is done, the same tap goes through.
    assert user.post("/events/start", json={"label": "Reading"}).status_code == 201


def test_while_an_import_writes_its_users_reads_answer_and_every_kind_of_write_waits(app, user, clock):
    set_import_lease(app, "yourname", "a-running-import", clock() + timedelta(seconds=30))
    assert user.get("/events", query_string={"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}).status_code == 200
    assert user.get("/labels").status_code == 200
    writes = [
        user.post("/events/start", json={"label": "Reading"}),
        user.post("/events", json={"label": "Reading", "started_at": "2026-03-24T08:00:00Z", "ended_at": "2026-03-24T09:00:00Z"}),
        user.post("/labels", json={"name": "Cooking"}),
        user.patch("/labels/Reading", json={"name": "Books"}),
        user.delete("/labels/Exercise"),
        post(user, csv_of_minutes(1)),  # a second import waits for the first
    ]
    assert [answer.status_code for answer in writes] == [503] * len(writes), [answer.json for answer in writes]
    assert all(answer.headers.get("Retry-After") for answer in writes)
    assert post(user, csv_of_minutes(1), dry_run="true").status_code == 200  # a dry run only reads
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]
    assert events_logged(app, "yourname") == 0


def test_an_import_whose_server_died_keeps_its_user_out_only_until_its_lease_runs_out(app, user, clock):
    set_import_lease(app, "yourname", "a-dead-import", clock() - timedelta(seconds=1))
    started = user.post("/events/start", json={"label": "Reading"})
    assert started.status_code == 201, started.json
    assert lease_of(app, "yourname") == (None, None)  # broken by that write


# --- all or nothing --------------------------------------------------------------------------


def test_a_step_that_fails_undoes_the_steps_before_it(app, user, clock, make_event, monkeypatch):
    make_event(user, "Reading", "2026-03-01T08:00:00Z", "2026-03-01T09:00:00Z")
    real_insert, calls = service._insert_events, []

    def fail_on_the_second_step(values):
        calls.append(len(values))
        if len(calls) == 2:
            raise OperationalError("INSERT INTO events", {}, sqlite3.OperationalError("database or disk is full"))
        real_insert(values)

    monkeypatch.setattr(service, "_insert_events", fail_on_the_second_step)

    response = post(user, csv_of_minutes(2 * STEP + 1, label="New label"))

    assert response.status_code == 503, response.json
    assert events_logged(app, "yourname") == 1  # the first step's rows are gone; the user's own event stays
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]  # "New label" too
    assert lease_of(app, "yourname") == (None, None)
    monkeypatch.setattr(service, "_insert_events", real_insert)
    assert post(user, csv_of_minutes(2 * STEP + 1, label="New label")).json["imported"] == 2 * STEP + 1


def test_an_import_whose_lease_was_broken_undoes_itself_and_says_so(app, user, clock, between_steps):
    between_steps(lambda: set_import_lease(app, "yourname", None, None))  # as a write after the lease ran out does

    response = post(user, csv_of_minutes(STEP + 1))

    assert response.status_code == 503
    assert "took too long" in response.json["message"] and "nothing was imported" in response.json["message"]
    assert events_logged(app, "yourname") == 0


def test_what_changed_between_the_check_and_the_lease_is_decided_again(app, user, clock, make_event, monkeypatch):
    real_take = service._take_import_lease

    def log_something_first(importing_user):
        # Another tab logs an event the file's row overlaps, after the check and before the lease.
        in_a_thread(lambda: make_event(user, "Reading", "2020-01-01T00:00:30Z", "2020-01-01T00:01:30Z"))
        return real_take(importing_user)

    monkeypatch.setattr(service, "_take_import_lease", log_something_first)

    response = post(user, csv_of_minutes(3))

    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["row"] == 2 and error["field"] == "overlaps" and "(Reading, 2020-01-01T00:00:30+00:00" in error["message"]
    assert events_logged(app, "yourname") == 1
    assert lease_of(app, "yourname") == (None, None)  # refused: the lease is given back
    assert user.post("/events/start", json={"label": "Reading"}).status_code == 201
