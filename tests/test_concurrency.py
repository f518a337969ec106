"""Many simultaneous requests of one user leave consistent data and no 500s."""
import threading

from sqlalchemy import func, select

from lifelogger.db import db
from lifelogger.db.models import Event

from tests.support.api import ApiClient

THREADS = 12


def run_at_once(app, token, calls):
    """Run ``calls`` (method, path, json) from one thread each, released together."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def worker(index, method, path, payload):
        client = ApiClient(app.test_client(), token=token)
        barrier.wait()
        statuses[index] = client.open(method, path, json=payload).status_code

    threads = [threading.Thread(target=worker, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_concurrent_starts_leave_exactly_one_running_event(app, user):
    labels = ["Programming", "Exercise", "Reading"]
    calls = [("POST", "/events/start", {"label": labels[i % 3]}) for i in range(THREADS)]
    statuses = run_at_once(app, user.token, calls)
    assert statuses == [201] * THREADS
    with app.app_context():
        running = db.session.scalar(select(func.count()).select_from(Event).where(Event.ended_at.is_(None)))
    assert running == 1
    assert user.get("/events/current").json["event"] is not None


def test_concurrent_starts_and_stops_never_fail_with_500(app, user):
    calls = [("POST", "/events/start" if i % 2 else "/events/stop", {"label": "Reading"} if i % 2 else None) for i in range(THREADS)]
    statuses = run_at_once(app, user.token, calls)
    assert all(status in (200, 201, 409) for status in statuses), statuses
    with app.app_context():
        running = db.session.scalar(select(func.count()).select_from(Event).where(Event.ended_at.is_(None)))
    assert running <= 1


def test_concurrent_hand_entries_for_the_same_slot_admit_one(app, user, clock):
    payload = {"label": "Reading", "started_at": "2026-03-24T09:00:00Z", "ended_at": "2026-03-24T10:00:00Z"}
    statuses = run_at_once(app, user.token, [("POST", "/events", payload)] * THREADS)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
