"""What an import costs, whatever the file: the label cap first, linear label handling,
no write lock for checking, a capped error report."""
import json
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from lifelogger.blueprints.transfer import formats, service
from lifelogger.db import db
from tests.support.databases import write_lock_held


def post(user, data: bytes, fmt: str = "lifelogger-csv", **query):
    return user.post("/import", query_string={"format": fmt, **query}, data=data, headers={"Content-Type": "text/csv"})


@contextmanager
def counted_statements(app):
    """The SQL statements the app sends inside the block."""
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def file_with_labels(count: int) -> bytes:
    lines = ["label,started_at,ended_at"]
    for number in range(count):
        hour, minute = divmod(number, 60)
        lines.append(f"Label {number},2026-03-{1 + hour // 24:02d}T{hour % 24:02d}:{minute:02d}:00Z,2026-03-{1 + hour // 24:02d}T{hour % 24:02d}:{minute:02d}:30Z")
    return "\n".join(lines).encode()


# --- labels ----------------------------------------------------------------------------------


def test_a_file_naming_50000_labels_is_refused_before_any_work(app, user, clock):
    labels = [f"Label {number}" for number in range(50_000)]
    data = json.dumps({"format": "lifelogger", "version": 1, "labels": labels, "events": []}).encode()
    with counted_statements(app) as statements:
        response = post(user, data, fmt="lifelogger-json")
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["field"] == "labels" and "more than the 500 allowed" in error["message"]
    assert len(statements) < 10  # authentication and one look at the user's labels; not one per name
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]


@pytest.mark.app_config(MAX_LABELS_PER_USER=5)
def test_existing_and_new_labels_together_may_not_pass_the_cap(user, clock):
    # The user has 3 labels: 2 new ones fit, 3 do not, in a dry run and a real import alike.
    assert post(user, file_with_labels(2), dry_run="true").status_code == 200
    for dry_run in ("true", "false"):
        response = post(user, file_with_labels(3), dry_run=dry_run)
        assert response.status_code == 422
        assert response.json["errors"][0]["field"] == "labels"
    assert len(user.get("/labels").json["labels"]) == 3
    assert post(user, file_with_labels(2)).status_code == 200
    assert len(user.get("/labels").json["labels"]) == 5


def test_the_statements_of_an_import_do_not_grow_with_its_labels(app, make_user, clock):
    counts = []
    for labels in (5, 300):
        user = make_user()
        with counted_statements(app) as statements:
            response = post(user, file_with_labels(labels))
        assert response.status_code == 200, response.json
        assert len(response.json["labels_created"]) == labels
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- the write lock --------------------------------------------------------------------------


def answer_while_locked(app, user, request):
    """The import's answer while the lock is held elsewhere, or None if it waited for the lock."""
    answers = []
    # What a writing import would need: SQLite's write lock, or PostgreSQL's lock on the user's row.
    lock_user = f"SELECT id FROM users WHERE username = '{user.username}' FOR UPDATE"  # a name the test made
    with write_lock_held(app.config["SQLALCHEMY_DATABASE_URI"], lock_user):
        worker = threading.Thread(target=lambda: answers.append(request()))
        worker.start()
        worker.join(timeout=5)  # a deadlock guard, not a measurement: checking needs no lock at all
        got = answers[0] if answers else None
    worker.join()
    return got


def test_a_dry_run_takes_no_write_lock(app, user, clock):
    data = b"label,started_at,ended_at\nReading,2026-03-24T09:00:00Z,2026-03-24T10:00:00Z\n"
    response = answer_while_locked(app, user, lambda: post(user, data, dry_run="true"))
    assert response is not None and response.status_code == 200, response and response.json
    assert response.json["imported"] == 1


def test_a_refused_import_is_refused_without_waiting_for_the_write_lock(app, user, clock):
    data = b"label,started_at,ended_at\nReading,2026-03-24T09:00:00Z,not a time\n"
    response = answer_while_locked(app, user, lambda: post(user, data))
    assert response is not None and response.status_code == 422
    assert response.json["errors"][0]["row"] == 2


# --- the error report ------------------------------------------------------------------------


def test_the_report_lists_the_first_100_errors_and_reading_stops_there(user, clock, monkeypatch):
    pulled = []
    real_read = formats.read

    def counting_read(*args, **kwargs):
        labels, rows = real_read(*args, **kwargs)

        def lazily():
            for row in rows:
                pulled.append(row)
                yield row

        return labels, lazily()

    monkeypatch.setattr(formats, "read", counting_read)
    data = b"label,started_at,ended_at\n" + b"a,x,y\n" * 5000
    response = post(user, data, dry_run="true")
    assert response.status_code == 422
    body = response.json
    assert len(body["errors"]) == service.ERRORS_LISTED == 100
    assert body["errors"][0]["row"] == 2 and body["errors"][-1]["row"] == 101
    assert body["complete"] is False and body["errors_total"] == 100
    assert body["message"].startswith("At least 100 rows cannot be imported")
    assert len(pulled) == 100


def test_overlap_errors_are_capped_too_but_all_counted(user, clock):
    lines = ["label,started_at,ended_at"]
    lines += [f"Reading,2026-03-20T{h:02d}:00:00Z,2026-03-20T{h:02d}:30:00Z" for h in range(24)]
    lines += [f"Exercise,2026-03-20T{h:02d}:10:00Z,2026-03-20T{h:02d}:20:00Z" for h in range(24)] * 10
    response = post(user, "\n".join(lines).encode())
    assert response.status_code == 422
    assert len(response.json["errors"]) == 100 and response.json["errors_total"] == 240
    assert response.json["complete"] is True
