"""Regenerate docs/reliability.md from a fresh run: the reliability tests, then the full load test.

    python -m bench.reliability_report            # make reliability-report
    python -m bench.reliability_report --quick    # a 10-user, 10 s load run, to try the generator

Each row of ``THREATS`` names a threat or fault, the tests that try it (pytest
node ids, or prefixes of them: a file, or a test without its parameters), and
how to phrase the figures those tests record with ``record_property``. The
tests run once, through bench/outcomes_plugin.py; a row whose tests do not
exist (yet) says "not run" instead of claiming anything. The load figures come
from a second, longer run of tests/test_load.py's load test (``make loadtest``:
the same test, its size set by LIFELOGGER_LOAD_* variables), whose recorded
properties are every figure of the run. The exit status is 1 when any test
or the load run failed; the report is written either way, failures included.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "docs" / "reliability.md"
LOAD_TEST = "tests/test_load.py::test_a_short_load_run_has_no_errors_and_keeps_every_acknowledged_write"
LOAD_SIZE = {"LIFELOGGER_LOAD_USERS": "50", "LIFELOGGER_LOAD_SECONDS": "60", "LIFELOGGER_LOAD_WORKERS": "4"}
# Tests that try something only several app servers on PostgreSQL have (they skip on
# SQLite): run a second time against PostgreSQL when a server answers here.
POSTGRESQL_ONLY = ["tests/test_cluster_clock.py"]
POSTGRESQL_URL = os.environ.get("LIFELOGGER_REPORT_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/lifelogger_report")
QUICK_LOAD_SIZE = {"LIFELOGGER_LOAD_USERS": "10", "LIFELOGGER_LOAD_SECONDS": "10", "LIFELOGGER_LOAD_WORKERS": "4"}


@dataclass
class Threat:
    area: str
    threat: str
    tests: list[str]  # node ids or prefixes (a file, a test without its [parameters])
    figure: str = ""  # str.format over the tests' recorded properties; "" = pass counts only
    properties: dict = field(default_factory=dict)


THREATS = [
    # --- load
    Threat("Load", "Many users at once: 12 users for 10 s, ~20 % writes, gunicorn 4 workers on SQLite (the short run in `make test`)",
           ["tests/test_load.py::test_a_short_load_run_has_no_errors_and_keeps_every_acknowledged_write"],
           "{requests} requests held ({requests_per_s} req/s, p50 {p50_ms} ms, p99 {p99_ms} ms); "
           "5xx: {server_errors}; database is locked: {database_locked}; stale reads: {stale_reads}; "
           "acknowledged writes {acknowledged_writes}, lost: {writes_lost}"),
    Threat("Load", "A checker that would see nothing: the consistency check must catch a deleted row and wrong replays",
           ["tests/test_load.py::test_the_check_notices", "tests/test_load.py::test_a_start",
            "tests/test_load.py::test_a_stop", "tests/test_load.py::test_a_409", "tests/test_load.py::test_an_unanswered",
            "tests/test_load.py::test_the_invariants"]),
    Threat("Load", "One user's requests racing each other (starts, stops, the same hand entry 12 times at once)",
           ["tests/test_concurrency.py"]),
    # --- faults
    Threat("Faults", "Database file made read-only (gunicorn runs as `nobody`, so the permission binds even under root)",
           ["tests/test_faults.py::test_a_read_only_database_answers_503_and_recovers_by_itself"],
           "{refused_with_503} writes answered 503 JSON with Retry-After, reads still served, every write accepted "
           "again after the fix with no restart; writes lost: {writes_lost}"),
    Threat("Faults", "Database unreachable (its directory moved away, then back)",
           ["tests/test_faults.py::test_a_database_moved_away_answers_503_and_recovers_by_itself"],
           "{refused_with_503} requests answered 503 JSON, no empty database created in its place, "
           "served again after the move back with no restart; writes lost: {writes_lost}"),
    Threat("Faults", "Database file moved away while its directory stays (SQLite would create an empty one)",
           ["tests/test_faults.py::test_a_database_file_moved_away_is_not_replaced_by_an_empty_one"],
           "503 JSON while it is gone, no empty database created, served again once it is back"),
    Threat("Faults", "PostgreSQL refusing connections; PostgreSQL going away and coming back (a TCP relay cut and restored)",
           ["tests/test_faults.py::test_a_postgresql_server_refusing_connections_answers_503",
            "tests/test_faults.py::test_a_postgresql_server_going_away_answers_503_and_recovers_by_itself"],
           "503 JSON with Retry-After while unreachable, served again after the relay is back, no restart"),
    Threat("Faults", "Monitoring an outage: `GET /api/v1/health` answers a JSON 503 when the database cannot be reached",
           ["tests/test_health.py"]),
    Threat("Faults", "gunicorn workers killed with SIGKILL every 1.5 s under load (12 users, 8 s)",
           ["tests/test_faults.py::test_workers_killed_with_sigkill_mid_load_lose_no_acknowledged_write"],
           "{workers_killed} workers killed, {requests_cut_off} requests cut off (no answer), 5xx: 0; "
           "acknowledged writes {acknowledged_writes}, lost: {writes_lost}; slowest answer {max_latency_ms} ms "
           "(requests queue while killed workers are replaced)"),
    Threat("Faults", "A write stuck behind another program's write lock past the worker timeout (sync workers, 2 s)",
           ["tests/test_faults.py::test_a_request_timing_out_while_the_database_is_locked_writes_nothing"],
           "cut off after {seconds_until_cut_off} s; nothing written; the next request served"),
    Threat("Faults", "A write killed by the worker timeout between flush and commit (sync workers)",
           ["tests/test_faults.py::test_a_request_killed_mid_transaction_by_the_worker_timeout_leaves_no_half_written_event"],
           "answered 504 JSON after {seconds_until_cut_off} s; the running event still running, no new event "
           "(no half-written switch)"),
    Threat("Faults", "An unexpected exception in a view",
           ["tests/test_errors.py::test_unexpected_errors_are_json_500_without_a_trace"]),
    # --- security (issue 5, "Security")
    Threat("Security", "Password guessing: log-ins throttled per username and per address, registrations per address, "
           "wrong current passwords per session (429 + Retry-After; memory or Redis storage)", ["tests/test_ratelimit.py"]),
    Threat("Security", "Common passwords refused (the 10,000 most common, any case)", ["tests/test_common_passwords.py"]),
    Threat("Security", "Offline cracking and user enumeration: bcrypt cost ≥ 12, equal log-in time for unknown users",
           ["tests/test_password_hashing.py", "tests/test_auth.py::test_wrong_password_and_unknown_user_look_the_same"],
           "log-in CPU-time medians at bcrypt cost 10, 15 tries each: unknown user {unknown_user_ms} ms, "
           "wrong password {wrong_password_ms} ms (ratio {ratio}; must be 0.67–1.5)"),
    Threat("Security", "A stolen database or session: only token hashes stored, 7-day session lifetime, logout-all, purging",
           ["tests/test_sessions.py", "tests/test_auth.py::test_only_the_tokens_hash_is_stored",
            "tests/test_auth.py::test_session_expires_after_the_idle_timeout"]),
    Threat("Security", "A leaked script token: hashed at rest, read/write scopes, revocable, expiring, no password change",
           ["tests/test_tokens.py"]),
    Threat("Security", "Another user's data: every route of the URL map walked with a second user",
           ["tests/test_ownership.py", "tests/test_isolation.py"]),
    Threat("Security", "Clickjacking, sniffing, script injection: security headers and a strict CSP on every response",
           ["tests/test_security_headers.py", "tests/test_headers.py"]),
    Threat("Security", "Resource exhaustion: huge ranges, bodies over 64 KiB, long names, too many labels",
           ["tests/test_resource_limits.py", "tests/test_errors.py::test_a_body_over_64_kib_is_413"]),
    # --- bad input
    Threat("Bad input", "Fuzzed requests against the OpenAPI document (schemathesis, every operation, no 500)",
           ["tests/test_fuzz_api.py", "tests/test_bad_input.py"]),
    Threat("Bad input", "Time logic on arbitrary events and ranges (Hypothesis property tests)",
           ["tests/test_time_properties.py"]),
    Threat("Bad input", "Malformed requests: invalid JSON, wrong types, unknown fields, garbage dates",
           ["tests/test_errors.py::test_invalid_json", "tests/test_errors.py::test_a_body_that_is_not_json",
            "tests/test_errors.py::test_unknown_fields", "tests/test_errors.py::test_wrong_types",
            "tests/test_errors.py::test_garbage_dates"]),
]

# Issue 15: what an outside attack on `make run` and the nginx set-up found, each with its test.
ATTACKS = [
    Threat("High", "A 0.4 MiB import naming 50,000 labels (was: 50 s holding the write lock, a 504, other users 500)",
           ["tests/test_import_limits.py::test_a_file_naming_50000_labels_is_refused_before_any_work",
            "tests/test_import_limits.py::test_the_statements_of_an_import_do_not_grow_with_its_labels"],
           "422 before any label is checked (fewer than 10 statements); an import's statements do not grow with its labels"),
    Threat("High", "Checking an import holds the write lock (dry run included)",
           ["tests/test_import_limits.py::test_a_dry_run_takes_no_write_lock",
            "tests/test_import_limits.py::test_a_refused_import_is_refused_without_waiting_for_the_write_lock"],
           "a dry run and a refused import answer while another connection holds the lock"),
    Threat("High", "The largest import (16 MiB) holding the write lock for the whole write (1.8 s quiet, 10-30 s loaded)",
           ["tests/test_import_steps.py"],
           "written in steps of 5,000 events, other users' writes between them; the importing user's own "
           "writes 503 + Retry-After meanwhile; a failed step undoes the rest (bench/import_lock.py has the timings)"),
    Threat("High", "\"database is locked\" as a 500; a read failing because its idle-timer refresh cannot get the lock",
           ["tests/test_database_busy.py"], "503 JSON with Retry-After; the read 200 with the refresh skipped"),
    Threat("Medium", "A 15.9 MiB CSV of `a,x,y` rows (was: 2.78 million errors, a 346 MB body)",
           ["tests/test_import_limits.py::test_the_report_lists_the_first_100_errors_and_reading_stops_there",
            "tests/test_import_limits.py::test_overlap_errors_are_capped_too_but_all_counted"],
           "the first 100 errors listed, `errors_total` counts all, reading stops at the 100th"),
    Threat("Medium", "Open redirect after log-in: `?next=/%09/evil.example/`, %0a, %0d, `//`, `/\\`, absolute, `javascript:`",
           ["tests/e2e/test_login_redirect.py"], "in Chromium: never left the origin; a same-origin `next` followed"),
    Threat("Medium", "Personal tokens outliving a stolen session's clean-up",
           ["tests/test_tokens.py::test_creating_a_token_needs_the_current_password",
            "tests/test_tokens.py::test_a_password_change_revokes_every_personal_token",
            "tests/test_tokens.py::test_a_password_change_keeps_the_tokens_when_asked",
            "tests/test_tokens.py::test_revoke_all_tokens_stops_every_token_of_the_user_only",
            "tests/test_tokens.py::test_logout_all_says_how_many_tokens_still_work"],
           "a token needs the password; a password change revokes them unless kept; logout-all says what still works"),
    Threat("Medium", "A long export cut off by the worker timeout (was: a 200 cut off after 14,423 of 60,000 events, read slowly, 4 s timeout)",
           ["tests/test_export_complete.py::test_a_long_export_outlasting_the_worker_timeout_arrives_complete"],
           "sent with Content-Length from a temporary file: {json_bytes} bytes of JSON over {json_seconds} s, every event there; "
           "CSV {csv_rows} rows complete"),
    Threat("Medium", "Five slow clients starving `make run`: a header line every 2 s each, gunicorn from the repo's config (2 workers)",
           ["tests/test_slow_clients.py"],
           "/health answered 3 of 3 times, slowest in {slowest_health_ms} ms (gthread workers; sync workers: no answer within 1 s)"),
    Threat("Low", "Formula injection in CSV exports", ["tests/test_export_complete.py::test_csv_text_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised"]),
    Threat("Low", "500s on bad import input: nested JSON, a 128 KiB field, year 9999 in Los Angeles, year 1 in Tokyo, a lone surrogate",
           ["tests/test_import_formats.py::test_deeply_nested_json_is_a_file_error",
            "tests/test_import_formats.py::test_a_field_over_128_kib_is_a_row_error_not_a_crash",
            "tests/test_import_formats.py::test_a_toggl_row_at_the_end_of_year_9999_is_a_row_error_naming_the_range",
            "tests/test_import_formats.py::test_a_clockify_row_in_year_one_in_tokyo_is_a_row_error",
            "tests/test_import_engine.py::test_a_lone_surrogate_in_a_json_note_is_a_row_error"],
           "each a 4xx naming the row and the problem"),
    Threat("Low", "`/stats/daily` and every zone near the ends of the calendar (Hypothesis)", ["tests/test_calendar_edges.py"],
           "422 naming the zone; no 5xx for any zone, range or day start tried"),
    Threat("Low", "The 1900-9999 range bypassed by imports (a Toggl row in year 1 stored)",
           ["tests/test_import_formats.py::test_a_year_one_toggl_row_is_not_a_valid_row",
            "tests/test_import_engine.py::test_a_local_date_before_1900_is_out_of_the_apis_range"]),
    Threat("Low", "Ten guesses from elsewhere locking the owner out; a parallel burst past the limit on Redis",
           ["tests/test_ratelimit.py::test_the_owners_known_device_signs_in_despite_guesses_from_elsewhere",
            "tests/test_ratelimit.py::test_a_known_device_of_another_user_or_a_forged_cookie_is_not_exempt",
            "tests/test_ratelimit.py::test_a_parallel_burst_of_wrong_guesses_gets_no_more_than_the_limit_checked"],
           "the owner's known device signs in; 16 parallel guesses, limit 5: 5 checked"),
    Threat("Low", "`q=%00` matching every event; labels with zero-width or bidi-control characters; two spellings of one name",
           ["tests/test_notes.py::test_a_search_with_a_control_character_is_422",
            "tests/test_labels.py::test_a_label_with_an_invisible_or_bidi_control_character_is_refused_naming_it",
            "tests/test_migrations.py::test_the_nfc_migration_normalises_label_names_without_merging_any"],
           "422s naming the character; names stored NFC"),
    Threat("Low", "`/health` ok on a full disk (a real 4 MiB tmpfs under the SQLite database, filled up)", ["tests/test_health_writes.py"],
           "503 JSON `\"database\": \"not writable\"`, 200 again once there was room"),
    Threat("Low", "Forged X-Forwarded-For reaching gunicorn directly",
           ["tests/test_deploy_files.py::test_gunicorn_listens_on_loopback_only_in_the_kit"], "gunicorn bound to 127.0.0.1 in the kit"),
    Threat("Several servers", "Clocks 5 s apart on two nodes: start on the one ahead, switch on the other 1 s later (PostgreSQL)",
           ["tests/test_cluster_clock.py"],
           "accepted, instants in order (was: 422 'before the running event's start'): one clock, the database's; "
           "run on PostgreSQL (skipped on SQLite: one host)"),
    Threat("Several servers", "A committed write retried after a 502 (its answer lost after the commit)",
           ["tests/test_idempotent_retries.py",
            "tests/test_client_usage.py::test_a_write_whose_answer_was_lost_is_retried_with_its_key_and_acts_once"],
           "the retry got the original 201 and body (was: 409 'no longer available'); acted once; the CLI retries with its key"),
]

METHOD = """\
## How the faults are made

- **Read-only file.** Root ignores file permissions, and the suite runs as root in CI, so the
  test runs gunicorn as `nobody` (`setpriv`, which needs only CAP_SETUID) whenever it runs as
  root, then `chmod 444`s the database file and its `-wal`/`-shm` companions. `chattr +i` was
  the alternative: it works on this machine's ext4, but needs CAP_LINUX_IMMUTABLE and a
  filesystem that supports it, which a CI container may not give; mounting a read-only
  filesystem needs privileges CI does not have.
- **Unreachable database.** The directory holding the SQLite file is renamed away and back
  (root cannot open a path that does not exist); in another test only the file and its
  companions are. For PostgreSQL, the app connects through a TCP relay to the server, which
  the test closes (breaking open connections and refusing new ones) and reopens.
- **Killed workers.** `SIGKILL` to a random worker every 1.5 s while 12 users run the load mix;
  the master starts a replacement each time.
- **Timeouts.** gunicorn with `--timeout 2`: once behind a write lock held by another SQLite
  connection (the worker is stuck in SQLite's busy wait and is SIGKILLed), once with a request
  that has sent its UPDATE and INSERT and then stalls before COMMIT (a test-only WSGI entry
  point, `tests/fault_hooks.py`, adds the stall on a header). These two run sync workers
  (`LIFELOGGER_WORKER_CLASS=sync`): with the default gthread workers the timeout is a
  heartbeat and database waits are bounded by the 10 s lock timeout instead (503).
- **A busy database.** A second connection holds SQLite's write lock (`BEGIN IMMEDIATE`), or
  on PostgreSQL the rows a request must write (`SELECT ... FOR UPDATE`), while the app writes,
  and while a read's idle-timer refresh is due.
- **Slow clients.** Five sockets send a request line and then one header line every 2 s,
  never finishing, while `/health` is asked three times with a 1 s limit.
- **A long export.** 60,000 events written straight into the database; the client reads
  the JSON at 1 MB/s through a 32 KiB receive buffer, with gunicorn's timeout at 4 s.
- **A full disk.** The SQLite database on a 4 MiB tmpfs (root mounts it; CI runs as root),
  filled with a file until writes fail with ENOSPC, then the file is removed.
- **A lost answer.** The first commit of a request with an `Idempotency-Key` succeeds and
  then the request dies (an exception in SQLAlchemy's `after_commit`), as a killed worker would.
- **Skewed clocks.** Two app instances on one PostgreSQL database; `timeutil.now` runs 5 s
  ahead on one of them for the start.

After every fault test and load run, each user's stored events are compared with a replay of
that user's acknowledged (2xx) writes (`tests/support/load.py`: `UserLog`, `check_database`), and
the invariants are checked for every user: no overlaps, at most one running event, every end
after its start. A request that got no answer may have been applied or not; the user reads its
events back and only those two outcomes are accepted.

## What the faults found (fixed)

- A pooled SQLite connection kept writing to a database file that had been moved away, and a
  connection opened while the file was read-only stayed read-only after the fix. Each checkout
  now compares the file (device, inode, writable) with the one the connection opened
  (`lifelogger/db/sqlite_files.py`).
- After a read-only spell the database could stay read-only for good: SQLite re-creates `-wal`
  and `-shm` with the file's read-only mode, and a closed connection kept alive by a failed
  request's traceback held the worker's read-only state for the file. New connections now
  restore the companions' mode, file errors drop the pool, and the next connect after one
  collects garbage first.
- With the file moved away but its directory in place, the next connection created an empty
  database there: every request failed with a 500 (no tables), and the real file could no
  longer just be moved back. A request now never creates the database file (503 instead);
  only `flask db upgrade` does.
- A request killed by the worker timeout got gunicorn's HTML "Internal Server Error"; it now
  gets a JSON 504 (the `worker_abort` hook in `gunicorn.conf.py`).
"""


def run_tests(files: list[str], outcomes_path: Path, env: dict | None = None) -> int:
    """Run pytest on ``files`` with the outcomes plugin; return its exit status."""
    env = {**os.environ, **(env or {}), "LIFELOGGER_OUTCOMES_JSON": str(outcomes_path)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.outcomes_plugin", *files]
    print("$", " ".join(command[2:]), flush=True)
    return subprocess.run(command, cwd=REPO, env=env).returncode


def postgresql_database() -> str | None:
    """POSTGRESQL_URL, its database created if need be; None when no PostgreSQL server answers."""
    from sqlalchemy import create_engine, make_url, text

    url = make_url(POSTGRESQL_URL)
    try:
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}).scalar():
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    except Exception as error:  # no server, no driver, no rights: the rows say "skipped"
        print(f"no PostgreSQL for {', '.join(POSTGRESQL_ONLY)}: {error}", flush=True)
        return None
    return url.render_as_string(hide_password=False)


def run_load(size: dict, outcomes_path: Path) -> tuple[int, dict | None]:
    """The load test, sized by ``size``; its exit status and the figures it recorded."""
    status = run_tests([LOAD_TEST], outcomes_path, size)
    outcomes = json.loads(outcomes_path.read_text()) if outcomes_path.exists() else {}
    figures = outcomes.get(LOAD_TEST, {}).get("properties") or None
    return status, figures


def matching(outcomes: dict, selectors: list[str]) -> dict:
    """The outcomes whose node id is a selector or starts with one."""
    return {node: result for node, result in outcomes.items() if any(node.startswith(s) for s in selectors)}


class _Missing(dict):
    def __missing__(self, key):
        return "?"


def row(threat: Threat, outcomes: dict) -> str:
    found = matching(outcomes, threat.tests)
    how = "<br>".join(
        f"`{t}`" + ("" if any(node.startswith(t) for node in found) else " (not run: no such test yet)")
        for t in threat.tests
    )
    if not found:
        return f"| {threat.area} | {threat.threat} | {how} | not run | — |"
    counts = {}
    for result in found.values():
        counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    passed = counts.get("passed", 0)
    verdict = f"{passed}/{len(found)} passed"
    others = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()) if outcome != "passed")
    if others:
        verdict += f" (**{others}**)"
    properties = _Missing()
    for result in found.values():
        properties.update(result["properties"])
    count = f"{len(found)} test case" + ("s" if len(found) != 1 else "")
    figure = threat.figure.format_map(properties) if threat.figure else count
    return f"| {threat.area} | {threat.threat} | {how} | {verdict} | {figure} |"


def load_section(figures: dict | None, size: dict) -> str:
    command = " ".join(f"{name}={value}" for name, value in size.items()) + f" pytest {LOAD_TEST.split('::')[0]}"
    if figures is None:
        return f"## Load test\n\n`{command}` did not produce figures (see its output).\n"
    f = figures
    operations = "\n".join(
        f"| {name} | {row['count']} | {row['p50_ms']} | {row['p99_ms']} |"
        for name, row in sorted(f["operations"].items(), key=lambda item: -item[1]["count"])
    )
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(f["statuses"].items()))
    problems = "".join(f"\n- {p}" for p in f["problems"][:20])
    return f"""## Load test (`make loadtest`)

`{command}`: {f['users']} simulated users for {f['duration_s']} s against gunicorn
({f['workers']} workers of the repository's default class, gthread) on SQLite, each user sending its next request as soon as
the last one is answered; about 80 % reads (running event, last 60 days of events,
stats, labels, profile) and 20 % writes (start/switch, stop, log a past event,
relabel one, delete one).

| Figure | Measured |
|---|---|
| Result | **{"PASS" if f["ok"] else "FAIL"}** |
| Requests answered | {f['requests']} ({f['requests_per_s']} req/s) |
| Latency, all requests | p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms |
| Status codes | {statuses} |
| 5xx answers | {f['server_errors']} |
| Requests without an answer | {f['dropped']} |
| "database is locked" in the server log | {f['database_locked']} |
| Reads that missed the user's own earlier write | {f['stale_reads']} |
| Acknowledged writes checked in the database | {f['acknowledged_writes']} |
| Acknowledged writes lost | {f['writes_lost']} |
| Events checked for overlaps / a second running event | {f['events_checked']} |
| Consistency problems | {len(f['problems'])}{problems} |

| Operation | Count | p50 ms | p99 ms |
|---|---|---|---|
{operations}

The 409s are stops with nothing running, which the replayed log predicts.
"""


def git_commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def render(outcomes: dict, figures: dict | None, load_size: dict, started: datetime, load_before: tuple,
           load_after: tuple) -> str:
    rows = "\n".join(row(threat, outcomes) for threat in THREATS)
    attacks = "\n".join(row(threat, outcomes) for threat in ATTACKS)
    return f"""# Reliability

What Life Logger was put through, how each threat or fault is tested, and what was measured.
Generated by `make reliability-report` (`bench/reliability_report.py`), which runs the tests
below on SQLite (those for several app servers also on PostgreSQL, when a server answers on
127.0.0.1 or at `LIFELOGGER_REPORT_POSTGRESQL_URL`) and the full load test, and rewrites this
file; do not edit it by hand.

Run: {started:%Y-%m-%d %H:%M} UTC, commit {git_commit()}, {os.cpu_count()} CPU cores; 1-minute load
average {load_before[0]:.2f} before the run and {load_after[0]:.2f} right after the load test. The
machine is shared with other jobs, so throughput and latency are a floor, not a capacity
figure, and differ between runs; the zero counts do not depend on it.

{load_section(figures, load_size)}
## Threats and faults

"Result" counts the test cases (parametrized cases separately) that passed; "not run" means
the test named in the row does not exist in this checkout.

| Area | Threat or fault | How it is tested | Result | Measured |
|---|---|---|---|---|
{rows}

## Hardening round two: what an outside attacker found

An outside attack on `make run` (SQLite, defaults) and on the documented nginx set-up,
and a two-node cluster under load (issue 15): each finding, by severity, with the test
that repeats it and what it does now. Each test fails on the code the attack was made against,
except the deploy kit's, which already bound gunicorn to 127.0.0.1 (the README now says why).

| Severity | Attack | How it is tested | Result | Now |
|---|---|---|---|---|
{attacks}

{METHOD}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short load run instead of the full one")
    parser.add_argument("--output", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    selectors = [s for threat in THREATS + ATTACKS for s in threat.tests]
    files = sorted({s.split("::")[0] for s in selectors if (REPO / s.split("::")[0]).is_file()})
    load_size = QUICK_LOAD_SIZE if args.quick else LOAD_SIZE
    with tempfile.TemporaryDirectory() as scratch:
        outcomes_path = Path(scratch) / "outcomes.json"
        began = time.monotonic()
        tests_status = run_tests(files, outcomes_path)
        outcomes = json.loads(outcomes_path.read_text()) if outcomes_path.exists() else {}
        if (postgresql := postgresql_database()) is not None:
            postgresql_path = Path(scratch) / "postgresql.json"
            tests_status |= run_tests(POSTGRESQL_ONLY, postgresql_path, {"LIFELOGGER_TEST_DATABASE_URL": postgresql})
            if postgresql_path.exists():
                outcomes.update(json.loads(postgresql_path.read_text()))
        load_status, figures = run_load(load_size, Path(scratch) / "load.json")
        load_after = os.getloadavg()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(outcomes, figures, load_size, started, load_before, load_after))
    print(f"wrote {args.output.relative_to(REPO)} in {time.monotonic() - began:.0f} s")
    return 0 if tests_status == 0 and load_status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
