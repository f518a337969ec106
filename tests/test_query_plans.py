"""The range queries of GET /stats and GET /events seek the (user_id, started_at) index.

The statements checked are the ones the endpoints really send (captured as
they run), explained by the database itself: SQLite's EXPLAIN QUERY PLAN, or
PostgreSQL's EXPLAIN with sequential scans priced out (on a handful of rows
the planner would rightly prefer one, so the test asks whether the index is
usable at all).
"""
import pytest
from sqlalchemy import event

from lifelogger.blueprints.events.cursor import encode_cursor
from lifelogger.db import db

INDEX = "ix_events_user_id_started_at"
RANGES = {
    "day": {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"},
    "year": {"start": "2025-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"},
}
REQUESTS = [
    ("/stats", RANGES["day"]),
    ("/stats", RANGES["year"]),
    ("/events", RANGES["day"]),
    ("/events", {**RANGES["year"], "limit": 2}),
    ("/events", {**RANGES["year"], "limit": 2, "cursor": encode_cursor(1774339200, 3)}),
]


@pytest.fixture
def logged(app, make_user, clock, make_event):
    """Two users with a few events each, and the events queries of each request."""
    other = make_user("other", labels=["Reading"])
    user = make_user("someone", labels=["Reading", "Exercise"])
    for hour in range(1, 6):
        make_event(user, "Reading", f"2026-03-24T0{hour}:00:00Z", f"2026-03-24T0{hour}:30:00Z")
        make_event(other, "Reading", f"2026-03-24T0{hour}:00:00Z", f"2026-03-24T0{hour}:45:00Z")
    user.post("/events/start", json={"label": "Exercise"})

    def statements_of(path, query):
        captured = []

        def capture(_conn, _cursor, statement, parameters, _context, _executemany):
            if "FROM events" in statement:
                captured.append((statement, parameters))

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", capture)
        try:
            response = user.get(path, query_string=query)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        assert response.status_code == 200, response.json
        assert captured, f"{path} sent no query on events"
        return captured

    return statements_of


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


@pytest.mark.parametrize("path,query", REQUESTS)
def test_sqlite_plans_seek_the_index(app, logged, path, query):
    if dialect(app) != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; this run is on another database")
    for statement, parameters in logged(path, query):
        with app.app_context():
            plan = [row[3] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        on_events = [step for step in plan if " events " in f"{step} "]
        assert on_events, plan
        for step in on_events:
            assert step.startswith("SEARCH events USING") and f"INDEX {INDEX} (user_id=?" in step, plan
        assert not any(step.startswith("SCAN events") for step in plan), plan
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan


@pytest.mark.parametrize("path,query", REQUESTS)
def test_postgresql_plans_use_the_index(app, logged, path, query):
    if dialect(app) != "postgresql":
        pytest.skip("PostgreSQL's EXPLAIN; set LIFELOGGER_TEST_DATABASE_URL to a PostgreSQL database")
    for statement, parameters in logged(path, query):
        with app.app_context():
            connection = db.session.connection()
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
            db.session.rollback()
        assert INDEX in plan, plan
        assert "Seq Scan on events" not in plan, plan
