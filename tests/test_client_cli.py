"""The ``lifelogger`` command-line client, against a live server."""
import json
import os
import stat


from tests.support.api import PASSWORD
from tests.support.cli import cli, logged_in, server  # noqa: F401 (fixtures)


def test_login_stores_a_personal_token_readable_by_the_user_only(cli, server, user, tmp_path):
    result = cli("login", "--url", server, "--username", "yourname", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    stored = tmp_path / "config" / "credentials.json"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    saved = json.loads(stored.read_text())
    assert saved["url"] == server and saved["token"].startswith("llpat_")
    # The CLI's own session was closed again; the app lists the new token.
    assert [t["name"][:17] for t in user.get("/tokens").json["tokens"]] == ["lifelogger CLI on"]


def test_login_with_a_wrong_password_exits_3(cli, server, user):
    result = cli("login", "--url", server, "--username", "yourname", "--password", "wrong password")
    assert result.exit_code == 3
    assert "Wrong username or password" in result.output


def test_start_status_stop_and_log(logged_in, user, clock):
    assert logged_in("start", "Programming").exit_code == 0
    clock.advance(minutes=25)
    status = logged_in("status", "--json")
    assert json.loads(status.output)["event"]["label"] == "Programming"
    assert "Programming since" in logged_in("status").output
    stopped = logged_in("stop", "--json")
    assert json.loads(stopped.output)["label"] == "Programming"
    assert logged_in("status").output.strip() == "Nothing is running."
    day = ("--from", "2026-03-24T00:00:00Z", "--to", "2026-03-25T00:00:00Z")
    events = json.loads(logged_in("log", *day, "--json").output)["events"]
    assert [(e["label"], e["started_at"], e["ended_at"]) for e in events] == [
        ("Programming", "2026-03-24T12:00:00+00:00", "2026-03-24T12:25:00+00:00")
    ]
    table = logged_in("log", *day).output
    assert "Programming" in table and str(events[0]["id"]) in table


def test_labels_and_stats(logged_in, user, make_event):
    assert logged_in("labels").output.split() == ["Exercise", "Programming", "Reading"]
    make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:30:00Z")
    make_event(user, "Exercise", "2026-03-24T10:30:00Z", "2026-03-24T11:00:00Z")
    args = ("stats", "--from", "2026-03-24T00:00:00Z", "--to", "2026-03-25T00:00:00Z")
    as_json = json.loads(logged_in(*args, "--json").output)
    assert as_json == {"percentages": {"Reading": 75.0, "Exercise": 25.0}, "minutes": {"Reading": 90.0, "Exercise": 30.0}}
    table = logged_in(*args).output.splitlines()
    assert table[0].split()[:3] == ["Reading", "1:30", "75.00%"]
    assert table[1].split()[:3] == ["Exercise", "0:30", "25.00%"]
    assert table[0].count("█") == 3 * table[1].count("█")


def test_an_unknown_label_exits_1_with_the_servers_message(logged_in):
    result = logged_in("start", "Knitting")
    assert result.exit_code == 1
    assert "'Knitting' is not one of your labels. Add it with: lifelogger labels add 'Knitting'" in result.output


def test_not_logged_in_exits_3_and_says_how_to_fix(cli):
    result = cli("status")
    assert result.exit_code == 3
    assert "lifelogger login --url" in result.output


def test_a_revoked_token_exits_3(logged_in, user):
    token_id = user.get("/tokens").json["tokens"][0]["id"]
    user.delete(f"/tokens/{token_id}")
    result = logged_in("status")
    assert result.exit_code == 3
    assert "lifelogger login" in result.output


def test_an_unreachable_server_exits_4(cli, monkeypatch):
    monkeypatch.setenv("LIFELOGGER_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("LIFELOGGER_TOKEN", "llpat_whatever")
    result = cli("status")
    assert result.exit_code == 4
    assert "Cannot reach" in result.output


def test_environment_variables_replace_the_stored_login(cli, server, user, app):
    token = user.post("/tokens", json={"name": "ci", "scope": "read", "password": PASSWORD}).json["token"]
    os.environ["LIFELOGGER_URL"], os.environ["LIFELOGGER_TOKEN"] = server, token
    try:
        assert cli("labels", "--json").exit_code == 0
        result = cli("start", "Reading")  # a read token cannot change data
        assert result.exit_code == 1
        assert "read" in result.output
    finally:
        del os.environ["LIFELOGGER_URL"], os.environ["LIFELOGGER_TOKEN"]


def test_import_with_a_dry_run_first_then_export(logged_in, user, clock):
    from datetime import datetime, timezone
    from pathlib import Path

    clock.current = datetime.now(timezone.utc).replace(microsecond=0)  # after the sample's events
    sample = str(Path(__file__).parent / "data" / "toggl.csv")
    dry = logged_in("import", sample, "--format", "toggl-csv", "--timezone", "Europe/Berlin", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would import 4 events; 0 duplicates skipped." in dry.output
    assert logged_in("log", "--from", "2026-03-01", "--to", "2026-03-31", "--json").output.count('"id"') == 0
    done = logged_in("import", sample, "--format", "toggl-csv", "--timezone", "Europe/Berlin")
    assert "Imported 4 events" in done.output
    exported = logged_in("export", "--format", "csv").output.splitlines()
    assert exported[0] == "label,started_at,ended_at,duration_minutes,note"
    assert len(exported) == 5
    as_json = json.loads(logged_in("export").output)
    assert [e["label"] for e in as_json["events"]] == ["Programming", "Exercise", "Reading the paper", "Sleep"]


def test_import_errors_are_listed_and_exit_1(logged_in, clock):
    from datetime import datetime, timezone
    from pathlib import Path

    clock.current = datetime.now(timezone.utc).replace(microsecond=0)
    sample = str(Path(__file__).parent / "data" / "toggl-malformed.csv")
    result = logged_in("import", sample, "--format", "toggl-csv", "--timezone", "Europe/Berlin")
    assert result.exit_code == 1
    assert "4 rows cannot be imported" in result.output
    assert "row 4: Start time: 2026-03-29 02:30:00 does not exist in Europe/Berlin" in result.output
