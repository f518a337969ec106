"""Load: gunicorn (4 workers, SQLite) under simulated users fails nothing and loses nothing.

This is the short run (12 users, 10 s, 4 workers); ``make loadtest`` runs the
same test with 50 users for 60 s (LIFELOGGER_LOAD_USERS, LIFELOGGER_LOAD_SECONDS,
LIFELOGGER_LOAD_WORKERS) and docs/reliability.md has its figures. The checker the runs rely on is
tested here too, so that "no write lost" cannot be a checker that sees nothing.
"""
import os
import sqlite3
from dataclasses import asdict

import pytest

from .support.load import Ev, LiveServer, UserLog, Write, check_database, invariant_problems, iso, make_users, run_load

USERS = int(os.environ.get("LIFELOGGER_LOAD_USERS", 12))
SECONDS = float(os.environ.get("LIFELOGGER_LOAD_SECONDS", 10))
WORKERS = int(os.environ.get("LIFELOGGER_LOAD_WORKERS", 4))


def test_a_short_load_run_has_no_errors_and_keeps_every_acknowledged_write(record_property):
    with LiveServer(workers=WORKERS) as server:
        result = run_load(server, USERS, SECONDS)
    print(result.report())
    # Every figure, for docs/reliability.md (bench/reliability_report.py reads them).
    for name, value in asdict(result).items():
        record_property(name, value)
    record_property("ok", result.ok)
    assert result.server_errors == 0, result.report()
    assert result.dropped == 0, result.report()
    assert result.database_locked == 0, result.report()
    assert result.problems == [], result.report()
    assert result.writes_lost == 0
    # The run really exercised the writes it claims to check (a few hundred on an idle
    # machine; the bound leaves room for a shared, overloaded one).
    assert result.acknowledged_writes >= 20, result.report()
    assert {"start", "stop", "create"} <= result.operations.keys()


def test_the_check_notices_an_acknowledged_write_missing_from_the_database():
    with LiveServer(workers=2) as server:
        users = make_users(server.port, 2)
        result = run_load(server, len(users), duration=2, simulated=users)
        assert result.writes_lost == 0 and result.problems == [], result.report()
        conn = sqlite3.connect(server.db_path)
        with conn:
            conn.execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events)")
        conn.close()
        recheck = check_database(server.database_url, users)
    assert recheck.writes_lost >= 1
    assert any("stored None" in problem for problem in recheck.problems)


# --- the replay rules, without a server


def ev(id, label, start, end=None):
    return Ev(id, label, start, end)


def started(log, id, label, at):
    log.acknowledge(Write("start", payload={"label": label}), 201,
                    {"id": id, "label": label, "started_at": iso(at), "ended_at": None})


T = 1_774_346_400  # 2026-03-24T10:00:00Z


def test_a_start_stops_the_running_event_at_its_own_instant():
    log = UserLog()
    started(log, 1, "Reading", T)
    started(log, 2, "Exercise", T + 60)
    assert log.events == {1: ev(1, "Reading", T, T + 60), 2: ev(2, "Exercise", T + 60)}
    assert log.problems == []


def test_a_start_within_the_same_second_replaces_the_mis_tap():
    log = UserLog()
    started(log, 1, "Reading", T)
    started(log, 2, "Exercise", T)
    assert log.events == {2: ev(2, "Exercise", T)}


def test_a_stop_within_the_starting_second_discards_the_event():
    log = UserLog()
    started(log, 1, "Reading", T)
    log.acknowledge(Write("stop"), 200, {"id": 1, "label": "Reading", "started_at": iso(T), "ended_at": iso(T)})
    assert log.events == {}


def test_a_stop_of_another_event_than_the_running_one_is_a_problem():
    log = UserLog()
    started(log, 1, "Reading", T)
    log.acknowledge(Write("stop"), 200, {"id": 7, "label": "Reading", "started_at": iso(T), "ended_at": iso(T + 5)})
    assert log.problems


def test_a_409_on_stop_is_expected_only_when_nothing_runs():
    log = UserLog()
    log.refused(Write("stop"), 409)
    assert log.problems == []
    started(log, 1, "Reading", T)
    log.refused(Write("stop"), 409)
    assert log.problems


@pytest.mark.parametrize(
    "server",
    [
        {1: ev(1, "Reading", T)},  # not applied
        {1: ev(1, "Reading", T, T + 30), 2: ev(2, "Sleep", T + 30)},  # applied
        {2: ev(2, "Sleep", T)},  # applied within the same second
    ],
)
def test_an_unanswered_start_may_have_been_applied_or_not(server):
    log = UserLog()
    started(log, 1, "Reading", T)
    log.reconcile(server, Write("start", payload={"label": "Sleep"}))
    assert log.problems == []
    assert log.events == server


@pytest.mark.parametrize(
    "server",
    [
        {},  # the acknowledged running event vanished
        {1: ev(1, "Reading", T, T + 30)},  # stopped, but the new event is missing
        {1: ev(1, "Reading", T), 2: ev(2, "Sleep", T + 30)},  # two running events
        {1: ev(1, "Reading", T, T + 30), 2: ev(2, "Exercise", T + 30)},  # the wrong label
    ],
)
def test_an_unanswered_start_explains_nothing_else(server):
    log = UserLog()
    started(log, 1, "Reading", T)
    log.reconcile(server, Write("start", payload={"label": "Sleep"}))
    assert log.problems
    if 1 not in server:
        assert log.lost_writes() == 1


def test_the_invariants_catch_overlaps_and_two_running_events():
    assert invariant_problems([ev(1, "A", T, T + 60), ev(2, "B", T + 60)]) == []
    assert invariant_problems([ev(1, "A", T, T + 61), ev(2, "B", T + 60, T + 90)])
    assert invariant_problems([ev(1, "A", T), ev(2, "B", T + 60)])
    assert invariant_problems([ev(1, "A", T, T)])
