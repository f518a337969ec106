"""Your data in the browser: export downloads, imports with a dry run first, personal access tokens."""
import json
import os
import re
import subprocess
import urllib.request
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.support.api import PASSWORD

DATA = Path(__file__).resolve().parent.parent / "data"
UTC = timezone.utc


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def raw_get(live_server, path: str, token: str) -> bytes:
    request = urllib.request.Request(live_server.url + "/api/v1" + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


# --- Export ----------------------------------------------------------------------------------


def test_export_downloads_everything_or_a_range_of_days(page, live_server, make_user, login, browser_context_args):
    username, token = make_user(labels=["Reading", "Cooking"])
    zone = ZoneInfo(browser_context_args["timezone_id"])  # the profile's zone too
    day = datetime.now(zone).date() - timedelta(days=1)

    def at(hour, minute=0, days=0):
        return datetime.combine(day + timedelta(days=days), time(hour, minute), zone)

    for label, start, end, note in [
        ("Reading", at(22, days=-1), at(23, days=-1), None),
        ("Cooking", at(9), at(10), "Soup, “with” commas"),
        ("Reading", at(23, 30), at(23, 50), None),
    ]:
        body = {"label": label, "started_at": iso(start), "ended_at": iso(end)}
        if note:
            body["note"] = note
        assert live_server.api("POST", "/events", body, token=token)[0] == 201
    login(username)
    page.get_by_role("link", name="Account").click()
    export = page.locator("#export-form")

    with page.expect_download() as info:
        export.get_by_role("button", name="Download export").click()
    download = info.value
    assert re.fullmatch(r"lifelogger-export-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    content = Path(download.path()).read_bytes()
    assert content == raw_get(live_server, "/export", token)
    exported = json.loads(content)
    assert [(e["label"], e["note"]) for e in exported["events"]] == [("Reading", None), ("Cooking", "Soup, “with” commas"), ("Reading", None)]
    expect(page.get_by_role("status")).to_have_text(f"Export downloaded as {download.suggested_filename}.")

    # CSV of one day: the day's two events, not the evening before.
    export.get_by_label("CSV").check()
    export.get_by_label("From").fill(f"{day}")
    export.get_by_role("button", name="Download export").click()
    expect(export.get_by_role("alert")).to_have_text("Choose both a first and a last day, or leave both empty to export everything.")
    expect(export.get_by_label("To, inclusive")).to_have_attribute("aria-invalid", "true")
    export.get_by_label("To, inclusive").fill(f"{day}")
    with page.expect_download() as info:
        export.get_by_role("button", name="Download export").click()
    download = info.value
    assert download.suggested_filename == f"lifelogger-export-{day}-to-{day}.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines == [
        "label,started_at,ended_at,duration_minutes,note",
        f"Cooking,{iso(at(9))},{iso(at(10))},60.0,\"Soup, “with” commas\"",
        f"Reading,{iso(at(23, 30))},{iso(at(23, 50))},20.0,",
    ]


# --- Import ----------------------------------------------------------------------------------


def test_import_shows_a_dry_run_report_then_imports_for_real(page, live_server, make_user, login):
    username, token = make_user(labels=["programming"])
    assert live_server.api("PATCH", "/me", {"timezone": "Europe/Berlin"}, token=token)[0] == 200
    login(username)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Import from a file").click()
    expect(page).to_have_url(re.compile(r"/import$"))
    form = page.locator("#import-form")
    form.get_by_label("It is an export of").select_option("toggl-csv")
    expect(form.get_by_label("Time zone of the file's times")).to_have_value("Europe/Berlin")  # the profile's
    form.get_by_label("File to import").set_input_files(str(DATA / "toggl.csv"))
    form.get_by_role("button", name="Check the file (dry run)").click()

    report = page.locator("#report")
    expect(report.get_by_role("heading", level=2)).to_have_text("Dry run: nothing was imported yet")
    expect(report.get_by_role("heading", level=2)).to_be_focused()
    expect(page.locator("#report-summary")).to_have_text("Importing this file would add 4 events. Press “Import for real” to do it.")
    expect(page.locator("#report-imported")).to_have_text("4 would be imported")
    expect(page.locator("#report-duplicates")).to_have_text("0")
    expect(page.locator("#report-labels")).to_have_text("Exercise, Reading the paper, Sleep")  # Programming exists (any case)
    expect(page.locator("#report-errors")).to_be_hidden()
    assert live_server.api("GET", "/events?start=2026-03-01T00:00:00Z&end=2026-04-01T00:00:00Z", token=token)[1]["events"] == []

    page.get_by_role("button", name="Import for real").click()
    expect(report.get_by_role("heading", level=2)).to_have_text("Imported 4 events")
    expect(page.get_by_role("status")).to_have_text("Imported 4 events from toggl.csv.")
    expect(page.get_by_role("button", name="Import for real")).to_be_hidden()
    expect(page.get_by_role("link", name="Open the timeline")).to_be_visible()
    events = live_server.api("GET", "/events?start=2026-03-01T00:00:00Z&end=2026-04-01T00:00:00Z", token=token)[1]["events"]
    assert [(e["label"], e["started_at"], e["ended_at"]) for e in events] == [
        ("programming", "2026-03-24T08:00:00+00:00", "2026-03-24T10:30:00+00:00"),  # 09:00 CET
        ("Exercise", "2026-03-24T17:00:00+00:00", "2026-03-24T17:45:00+00:00"),
        ("Reading the paper", "2026-03-25T06:15:00+00:00", "2026-03-25T06:45:00+00:00"),
        ("Sleep", "2026-03-29T00:30:00+00:00", "2026-03-29T01:30:00+00:00"),  # across the spring change
    ]

    # The same file again: nothing new, and no button to import it.
    form.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("#report-summary")).to_have_text("This file adds nothing new: every event in it is already in your log.")
    expect(page.locator("#report-duplicates")).to_have_text("4")
    expect(page.get_by_role("button", name="Import for real")).to_be_hidden()


def test_an_import_with_bad_rows_lists_them_and_imports_nothing(page, live_server, make_user, login, watch):
    watch.allow_http_errors(422)
    username, token = make_user()
    login(username)
    page.goto("/import")
    form = page.locator("#import-form")
    form.get_by_role("button", name="Check the file (dry run)").click()
    expect(form.get_by_role("alert")).to_have_text("Choose the file to import.")

    form.get_by_label("It is an export of").select_option("toggl-csv")
    form.get_by_label("Time zone of the file's times").select_option("Europe/Berlin")
    form.get_by_label("File to import").set_input_files(str(DATA / "toggl-malformed.csv"))
    form.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("#report-heading")).to_have_text("Dry run: this file cannot be imported yet")
    expect(page.locator("#report-summary")).to_have_text(
        "4 rows have problems, so nothing would be imported (an import is all or nothing). Fix them in the file and check it again."
    )
    rows = page.locator("#report-error-rows tr")
    expect(rows).to_have_count(4)
    expect(rows.locator("td:first-child")).to_have_text(["3", "4", "5", "6"])
    expect(rows.nth(0)).to_contain_text("Start date: cannot read '2026-02-30': no such date.")
    expect(rows.nth(1)).to_contain_text("does not exist in Europe/Berlin")
    expect(rows.nth(3)).to_contain_text("Overlaps row 2 of this file")
    expect(page.get_by_role("button", name="Import for real")).to_be_hidden()
    assert live_server.api("GET", "/labels", token=token)[1]["labels"] == []

    # A file of another format: the API's reason, in the form.
    form.get_by_label("File to import").set_input_files(str(DATA / "timetagger.csv"))
    expect(page.locator("#report")).to_be_hidden()  # a new file: the old report is gone
    form.get_by_role("button", name="Check the file (dry run)").click()
    expect(form.get_by_role("alert")).to_contain_text("Missing column(s)")


# --- Personal access tokens -----------------------------------------------------------------------


def run_shell(command: str) -> tuple[int, dict]:
    result = subprocess.run(
        ["bash", "-c", command + " -sS -w '\\n%{http_code}'"], capture_output=True, text=True, timeout=30, check=True, env=dict(os.environ)
    )
    body, _, status = result.stdout.rpartition("\n")
    return int(status), json.loads(body)


def test_a_read_token_made_on_the_query_page_reads_with_curl_and_cannot_write(page, live_server, make_user, login, watch):
    watch.allow_http_errors(403)  # the wrong password, on purpose
    username, session_token = make_user(labels=["Reading"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(username)
    page.get_by_role("link", name="Query your data").click()
    expect(page.get_by_text("No personal access tokens yet.")).to_be_visible()
    form = page.locator("#pat-form")
    form.get_by_label("Name").fill("nightly export")
    form.get_by_label("Read").check()
    form.get_by_label("Expires after (days)").fill("30")
    form.get_by_role("button", name="Create token").click()
    expect(form.get_by_role("alert")).to_have_text("Enter your password: a token outlives this session.")
    form.get_by_label("Your password").fill("not my password")
    form.get_by_role("button", name="Create token").click()
    expect(form.get_by_role("alert")).to_have_text("The password is wrong; no token was created.")
    expect(page.get_by_text("No personal access tokens yet.")).to_be_visible()
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Create token").click()

    created = page.locator("#pat-created")
    expect(created.get_by_role("heading")).to_have_text("Your new read token “nightly export”")
    secret = page.locator("#pat-secret").inner_text()
    assert secret.startswith("llpat_")
    page.get_by_role("button", name="Copy token").click()
    expect(page.locator("#pat-copied")).to_have_text("Token copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == secret

    # The example on the page works as shown, and the token cannot write.
    example = page.locator("#pat-curl").inner_text()
    assert example.startswith(f'curl "{live_server.url}/api/v1/me"')
    status, me = run_shell(example)
    assert status == 200 and me["username"] == username
    status, refusal = run_shell(
        f"curl -X POST '{live_server.url}/api/v1/events/start' -H 'Authorization: Bearer {secret}' "
        "-H 'Content-Type: application/json' -d '{\"label\": \"Reading\"}'"
    )
    assert status == 403 and refusal["code"] == 403 and "scope" in refusal["message"]
    assert live_server.api("GET", "/events/current", token=session_token)[1]["event"] is None

    row = page.locator("#pat-list li", has_text="nightly export")
    expect(row).to_contain_text("read")
    expect(row).to_contain_text("last used never")
    page.reload()
    expect(page.locator("#pat-created")).to_be_hidden()  # shown once
    expect(row).to_contain_text(re.compile(r"created \d+ \w+ \d{4} · last used \d+ \w+ \d{4} · expires \d+ \w+ \d{4}"))

    # Revoking asks first.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Revoke nightly export").click()
    expect(row).to_be_visible()
    assert run_shell(example)[0] == 200
    page.once("dialog", lambda dialog: (dialog.message.startswith("Revoke the token “nightly export”?") and dialog.accept()))
    page.get_by_role("button", name="Revoke nightly export").click()
    expect(page.locator("#notice")).to_have_text("Revoked the token “nightly export”.")
    expect(page.get_by_text("No personal access tokens yet.")).to_be_visible()
    assert run_shell(example)[0] == 401


def test_a_write_token_can_start_a_timer(page, live_server, make_user, login):
    username, session_token = make_user(labels=["Reading"])
    login(username)
    page.goto("/query")
    form = page.locator("#pat-form")
    form.get_by_role("button", name="Create token").click()
    expect(form.get_by_role("alert")).to_have_text("Give the token a name, e.g. “nightly export”.")
    form.get_by_label("Name").fill("phone shortcut")
    form.get_by_label("Write").check()
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Create token").click()
    expect(page.locator("#pat-list li", has_text="phone shortcut")).to_contain_text("never expires")
    expect(page.locator("#pat-created h3")).to_have_text("Your new write token “phone shortcut”")
    secret = page.locator("#pat-secret").inner_text()
    status, event = live_server.api("POST", "/events/start", {"label": "Reading"}, token=secret)
    assert status == 201 and event["label"] == "Reading"
