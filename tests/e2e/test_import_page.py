"""The Import page: the policies' report (refused, trimmed, skipped) and "Import for real" sending what the dry run checked."""
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

UTC = timezone.utc


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_overlaps_are_offered_a_trim_and_the_real_import_sends_the_checked_bytes(page, live_server, make_user, login, watch, tmp_path):
    watch.allow_http_errors(422)
    username, token = make_user(labels=["Reading"])
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=2)
    at = lambda hours, seconds=0: stamp(day + timedelta(hours=hours, seconds=seconds))  # noqa: E731
    rows = [
        f"Reading,{at(9)},{at(10, 10)}",  # row 2
        f"Exercise,{at(10)},{at(11)}",  # row 3: starts 10 s before row 2 ends
        f"Cooking,{at(12)},{at(12)}",  # row 4: zero-length
        f"Reading,{at(11, -29)},{at(12.5)}",  # row 5: starts 29 s before row 3 ends
        f"Reading,{at(14.5)},{at(15.5)}",  # row 6: starts inside an event already logged
    ]
    logged = {"label": "Reading", "started_at": at(14), "ended_at": at(15)}
    assert live_server.api("POST", "/events", logged, token=token)[0] == 201
    upload = tmp_path / "overlaps.csv"
    upload.write_text("label,started_at,ended_at\n" + "\n".join(rows) + "\n")
    login(username)
    page.goto("/import")
    form = page.locator("#import-form")
    form.get_by_label("It is an export of").select_option("lifelogger-csv")
    form.get_by_label("File to import").set_input_files(str(upload))
    form.get_by_role("button", name="Check the file (dry run)").click()

    expect(page.locator("#report-heading")).to_have_text("Dry run: this file cannot be imported yet")
    errors = page.locator("#report-error-rows tr")
    # Row 5 clashes only with row 3, which is refused; trimmed, row 3 stays, and row 5 yields to it.
    expect(errors.locator("td:first-child")).to_have_text(["3", "6"])
    expect(page.locator("#report-empty")).to_have_text("1")
    expect(page.locator("#trim-offer-text")).to_have_text("3 rows overlap earlier ones by 10–1800 s — trim them?")
    # An instant in a message never breaks in the middle.
    expect(errors.nth(1).locator(".instant")).to_have_count(2)
    expect(errors.nth(1).locator(".instant").first).to_have_css("white-space", "nowrap")

    page.get_by_role("button", name="Trim them and check again").click()
    expect(page.locator("#report-heading")).to_have_text("Dry run: nothing was imported yet")
    expect(form.get_by_label("Rows that overlap an earlier one")).to_have_value("trim")
    trimmed = page.locator("#report-trimmed-rows tr")
    expect(trimmed.locator("td")).to_have_text(["3", "10", "5", "29", "6", "1800"])
    expect(page.locator("#report-imported")).to_have_text("4 would be imported")

    # The file changes on disk after the check: the real import still sends what was checked.
    upload.write_text("label,started_at,ended_at\n" + f"Sleep,{at(1)},{at(2)}\n")
    page.get_by_role("button", name="Import for real").click()
    expect(page.locator("#report-heading")).to_have_text("Imported 4 events")
    start, end = stamp(day), stamp(day + timedelta(days=1))
    events = live_server.api("GET", f"/events?start={start}&end={end}", token=token)[1]["events"]
    assert [(e["label"], e["started_at"][11:19], e["ended_at"][11:19]) for e in events] == [
        ("Reading", "09:00:00", "10:00:10"),
        ("Exercise", "10:00:10", "11:00:00"),
        ("Reading", "11:00:00", "12:30:00"),
        ("Reading", "14:00:00", "15:00:00"),
        ("Reading", "15:00:00", "15:30:00"),
    ]


def test_without_a_recognised_format_the_page_asks_to_choose(page, live_server, make_user, login, watch, tmp_path):
    watch.allow_http_errors(422)
    username, _token = make_user()
    upload = tmp_path / "notes.txt"
    upload.write_text("hello\nworld\n")
    login(username)
    page.goto("/import")
    form = page.locator("#import-form")
    expect(form.get_by_label("It is an export of")).to_have_value("")  # detect from the file
    form.get_by_label("File to import").set_input_files(str(upload))
    form.get_by_role("button", name="Check the file (dry run)").click()
    expect(form.get_by_role("alert")).to_contain_text("choose a format")
    expect(form.get_by_label("It is an export of")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#report")).to_be_hidden()
