"""The ``lifelogger`` CLI with bad arguments, pasted URLs, label commands and a flaky server."""
import json
from datetime import datetime, time, timedelta, timezone

import pytest

from tests.support.api import PASSWORD
from tests.support.cli import cli, logged_in, server  # noqa: F401 (fixtures)
from .live_server import serving


def utc_text(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).isoformat()


def assert_usage_error(result, *words):
    """Exit 2, one line on stderr naming the problem, no traceback, nothing on stdout."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (("stats", "--from", "2026-13-01"), ["--from", "2026-13-01", "YYYY-MM-DD"]),
        (("log", "--from", "last tuesday"), ["--from", "last tuesday"]),
        (("log", "--from", "2026-12-02T25:00"), ["--from", "2026-12-02T25:00"]),
        (("log", "--to", "0001-01-01T00:00"), ["--to", "1900 to 9999"]),
        (("export", "--from", "2026-02-30"), ["--from", "2026-02-30"]),
    ],
)
def test_a_bad_date_is_one_line_and_exit_2_before_anything_is_sent(logged_in, args, words):
    assert_usage_error(logged_in(*args), *words)


def test_a_range_that_ends_before_it_starts_is_refused(logged_in):
    assert_usage_error(logged_in("log", "--from", "2026-03-10", "--to", "2026-03-01"), "--to", "must be after --from")


@pytest.mark.parametrize("url", ["logger.example.com", "ftp://logger.example.com", "http://", "http://host:99999", "https://host/?x=1"])
def test_a_url_that_is_not_a_server_address_is_refused(cli, url):
    assert_usage_error(cli("login", "--url", url, "--username", "u", "--password", "p"), "--url")


def test_an_unknown_option_is_one_line_too(cli):
    assert_usage_error(cli("stats", "--fortnight"), "--fortnight")


@pytest.mark.parametrize("suffix", ["/api/v1", "/api/v1/", "/"])
def test_login_takes_the_base_url_the_app_shows(cli, server, user, suffix, tmp_path):
    result = cli("login", "--url", server + suffix, "--username", "yourname", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "config" / "credentials.json").read_text())["url"] == server
    assert cli("labels").exit_code == 0


def test_yesterday_and_today_are_days(logged_in, user, make_event, clock):
    now = datetime.now().astimezone().replace(microsecond=0)  # the CLI counts days in the local zone, now
    clock.current = now.astimezone(timezone.utc)
    noon_yesterday = datetime.combine(now.date() - timedelta(days=1), time(12)).astimezone()
    make_event(user, "Reading", utc_text(noon_yesterday), utc_text(noon_yesterday + timedelta(minutes=30)))
    make_event(user, "Exercise", utc_text(noon_yesterday - timedelta(days=1)), utc_text(noon_yesterday - timedelta(days=1, minutes=-30)))
    events = json.loads(logged_in("log", "--from", "yesterday", "--to", "today", "--json").output)["events"]
    assert [e["label"] for e in events] == ["Reading"]


def test_labels_add_rename_delete(logged_in):
    assert logged_in("labels", "add", "Knitting").output.strip() == "Added the label Knitting."
    assert "Knitting" in logged_in("labels", "list").output.split()
    assert logged_in("labels", "rename", "Knitting", "Crochet / Lace").output.strip() == "Renamed Knitting to Crochet / Lace."
    assert logged_in("labels", "delete", "Crochet / Lace").output.strip() == "Deleted the label Crochet / Lace."
    assert "Crochet / Lace" not in logged_in("labels").output


def test_label_commands_speak_cli_not_http(logged_in):
    taken = logged_in("labels", "add", "reading")
    assert taken.exit_code == 1 and "already have a label named" in taken.stderr
    started = logged_in("start", "Knitting")
    assert started.exit_code == 1
    assert "Add it with: lifelogger labels add 'Knitting'" in started.stderr and "POST" not in started.stderr
    stopped = logged_in("stop")
    assert stopped.exit_code == 1
    assert "Nothing is running. Start something with: lifelogger start LABEL" in stopped.stderr and "POST" not in stopped.stderr


def test_a_write_whose_answer_was_lost_is_retried_with_its_key_and_acts_once(app, cli, user, monkeypatch, tmp_path):
    """nginx answers 502 when the app server dies after committing: the retry replays the original answer."""
    seen_keys = []

    def answer_lost_once(environ, start_response):
        if environ["PATH_INFO"] == "/api/v1/events/start":
            seen_keys.append(environ.get("HTTP_IDEMPOTENCY_KEY"))
            if len(seen_keys) == 1:
                for _ in app(environ, lambda *a, **k: None):  # the app acts and commits; its answer never arrives
                    pass
                start_response("502 Bad Gateway", [("Content-Type", "text/html")])
                return [b"<html>502 Bad Gateway</html>"]
        return app(environ, start_response)

    with serving(answer_lost_once) as url:
        assert cli("login", "--url", url, "--username", "yourname", "--password", PASSWORD).exit_code == 0
        result = cli("start", "Reading", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["label"] == "Reading"
    assert len(seen_keys) == 2 and seen_keys[0] == seen_keys[1] and seen_keys[0].startswith("cli-")
    listed = user.get("/events", query_string={"start": "2000-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"})
    assert [e["label"] for e in listed.json["events"]] == ["Reading"]  # acted once


def test_a_server_that_stays_unavailable_is_reported_after_a_few_tries(app, cli, user):
    attempts = []

    def unavailable(environ, start_response):
        if environ["PATH_INFO"] == "/api/v1/events/stop":
            attempts.append(environ.get("HTTP_IDEMPOTENCY_KEY"))
            start_response("503 Service Unavailable", [("Content-Type", "application/json"), ("Retry-After", "0")])
            return [b'{"code": 503, "status": "Service Unavailable", "message": "The database is busy."}']
        return app(environ, start_response)

    with serving(unavailable) as url:
        assert cli("login", "--url", url, "--username", "yourname", "--password", PASSWORD).exit_code == 0
        result = cli("stop")
    assert result.exit_code == 5
    assert "The database is busy." in result.stderr
    assert len(attempts) == 4 and len(set(attempts)) == 1


def test_import_states_the_policies_and_takes_overlaps_trim(logged_in, tmp_path):
    exported = tmp_path / "two-trackers.csv"
    exported.write_text(
        "label,started_at,ended_at\n"
        "Reading,2026-03-23T09:00:00Z,2026-03-23T10:00:10Z\n"  # a timer stopped 10 s after the next one started
        "Exercise,2026-03-23T10:00:00Z,2026-03-23T10:30:00Z\n"
        "Exercise,2026-03-23T11:00:00Z,2026-03-23T11:00:00Z\n"  # started and stopped at once
    )
    refused = logged_in("import", str(exported), "--format", "lifelogger-csv", "--dry-run")
    assert refused.exit_code == 1
    assert "row 3: Overlaps row 2 of this file" in refused.stderr
    assert "1 rows overlap earlier ones by 10–10 s: --overlaps trim would shorten them." in refused.stderr + refused.stdout
    trimmed = logged_in("import", str(exported), "--overlaps", "trim")  # the format detected from the header
    assert trimmed.exit_code == 0, trimmed.output
    assert trimmed.stdout.strip() == "Imported 2 events; 0 duplicates skipped; 1 zero-length rows skipped; 1 rows trimmed (10–10 s)."
