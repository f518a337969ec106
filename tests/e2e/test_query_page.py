"""The "Query your data" page against the live API: its examples are what the API answers.

The page's own curl lines are run in a shell (as a person would paste them),
CSV is read with Python's csv module and calendars with the icalendar package.
"""
import csv
import io
import json
import os
import subprocess
import urllib.request
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from tests.support.api import PASSWORD

EXAMPLES = {"me", "labels", "events", "stats", "daily"}


def run_curl(command: str, token: str) -> tuple[int, str]:
    """Run a curl example as shown on the page, with TOKEN set as the page says; (status, body)."""
    result = subprocess.run(
        ["bash", "-c", command + " -sS -w '\\n%{http_code}'"],
        env={**os.environ, "TOKEN": token}, capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    body, _, status = result.stdout.rpartition("\n")
    return int(status), body


def mismatches(example, live, where="$") -> list[str]:
    """How ``live`` differs from ``example`` in field names and JSON types.

    A dict whose example values are all numbers is a map (label → minutes):
    its keys are the user's labels, so only the values' type is compared.
    """
    kind = lambda value: "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__
    if isinstance(example, dict) and isinstance(live, dict):
        if example and all(kind(v) == "number" for v in example.values()):
            return [f"{where}.{k}: {kind(v)}, not a number" for k, v in live.items() if kind(v) != "number"]
        if set(example) != set(live):
            return [f"{where}: fields {sorted(live)}, the page shows {sorted(example)}"]
        return [problem for key in example for problem in mismatches(example[key], live[key], f"{where}.{key}")]
    if isinstance(example, list) and isinstance(live, list):
        assert live, f"{where}: the test's data should fill this list"
        return [problem for item in live for problem in mismatches(example[0], item, f"{where}[]")]
    # JSON has one number type, but an id shown as 42 must not come back as 42.5.
    integral = lambda value: kind(value) == "number" and float(value).is_integer()
    if kind(example) != kind(live) or (where.endswith(".id") and not integral(live)):
        return [f"{where}: the API answers {kind(live)} {live!r}, the page shows {kind(example)} {example!r}"]
    return []


@pytest.fixture
def logged_today(live_server, make_user):
    """A user with two notes-bearing events earlier today (the browser's zone is at noon now)."""
    username, token = make_user(labels=["Exercise", "Programming", "Reading"])
    now = datetime.now(UTC).replace(microsecond=0)
    for label, hours_ago, note in [("Programming", 3, "Wrote the tests, then; the code"), ("Exercise", 2, "=SUM(A1) café")]:
        body = {
            "label": label,
            "started_at": (now - timedelta(hours=hours_ago)).isoformat(),
            "ended_at": (now - timedelta(hours=hours_ago - 1)).isoformat(),
            "note": note,
        }
        assert live_server.api("POST", "/events", body, token=token)[0] == 201
    return username, token


def open_query_page(page, login, username):
    login(username)
    page.goto("/query")
    expect(page.locator("#curl-me")).to_contain_text("curl ")


def test_every_example_response_is_what_the_api_answers(page, logged_today, login):
    username, token = logged_today
    open_query_page(page, login, username)
    shown = page.locator("[data-example-for]")
    seen = set()
    for index in range(shown.count()):
        block = shown.nth(index)
        example = json.loads(block.inner_text().removeprefix("// Response\n"))
        request = block.get_attribute("data-example-for")
        status, body = run_curl(page.locator(f"#{request}").inner_text(), token)
        assert status == 200, body
        assert mismatches(example, json.loads(body)) == [], request
        seen.add(request.removeprefix("curl-"))
    assert seen == EXAMPLES
    me = json.loads(page.locator("#response-me").inner_text().removeprefix("// Response\n"))
    assert {"timezone", "day_starts_at", "forgotten_after_minutes"} <= set(me)
    events = json.loads(page.locator("#response-events").inner_text().removeprefix("// Response\n"))
    assert "note" in events["events"][0]


def test_the_csv_and_calendar_examples_work_as_shown(page, logged_today, login):
    username, token = logged_today
    open_query_page(page, login, username)
    tables = {}
    for name in ("events-csv", "stats-csv", "daily-csv"):
        command = page.locator(f"#curl-{name}").inner_text()
        status, body = run_curl(command, token)
        assert status == 200, body
        tables[name] = list(csv.reader(io.StringIO(body, newline="")))
    assert "Accept: text/csv" in page.locator("#curl-events-csv").inner_text()
    assert "format=csv" in page.locator("#curl-stats-csv").inner_text()
    events = tables["events-csv"]
    assert events[0] == ["id", "label", "started_at", "ended_at", "duration_minutes", "note"]
    assert [(row[1], float(row[4]), row[5]) for row in events[1:]] == [
        ("Programming", 60.0, "Wrote the tests, then; the code"),
        ("Exercise", 60.0, "'=SUM(A1) café"),
    ]
    assert tables["stats-csv"][0] == ["label", "minutes", "percentage"]
    assert sorted((row[0], float(row[1])) for row in tables["stats-csv"][1:]) == [("Exercise", 60.0), ("Programming", 60.0)]
    assert tables["daily-csv"][0] == ["date", "label", "minutes"]
    assert sum(float(row[2]) for row in tables["daily-csv"][1:]) == 120.0

    status, body = run_curl(page.locator("#curl-calendar").inner_text(), token)
    assert status == 200
    calendar = icalendar.Calendar.from_ical(body)
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Programming", "Exercise"]


def test_a_calendar_feed_made_on_the_page_opens_without_a_header_until_revoked(page, live_server, logged_today, login):
    username, _ = logged_today
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_query_page(page, login, username)
    section = page.locator("section", has=page.get_by_role("heading", name="Calendar feed"))
    section.get_by_label("Name").fill("phone calendar")
    section.get_by_label("Your password").fill(PASSWORD)
    section.get_by_role("button", name="Create a feed URL").click()
    expect(page.locator("#feed-created-heading")).to_have_text("Your feed URL “phone calendar”")
    expect(page.locator("#feed-created-heading")).to_be_focused()
    url = page.locator("#feed-url").inner_text()
    assert url.startswith(f"{live_server.url}/api/v1/feeds/llpat_") and url.endswith("/calendar.ics")
    page.get_by_role("button", name="Copy feed URL").click()
    expect(page.locator("#feed-copied")).to_have_text("Feed URL copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == url

    with urllib.request.urlopen(url, timeout=10) as response:  # no Authorization header, as a calendar app
        calendar = icalendar.Calendar.from_ical(response.read())
    assert len(list(calendar.walk("VEVENT"))) == 2

    row = page.locator("#pat-list li", has_text="phone calendar")
    expect(row).to_contain_text("calendar")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke phone calendar").click()
    expect(page.locator("#notice")).to_have_text("Revoked the token “phone calendar”.")
    expect(page.locator("#feed-created")).to_be_hidden()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 404
    refused.value.close()


# Every element of the page's main part that is wider inside than its box, as
# [tag#id.class, scrollWidth, clientWidth, scrolls-as-designed].
OVERFLOWS = """() => [...document.querySelectorAll("main, main *")]
  .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth)
  .map((el) => [el.tagName + (el.id ? "#" + el.id : "") + "." + [...el.classList].join("."), el.scrollWidth, el.clientWidth,
                el.matches("pre.code.scrolls") && getComputedStyle(el).overflowX === "auto"])"""


@pytest.mark.parametrize("width", [360, 1280])
def test_nothing_overflows_and_scrolling_code_blocks_are_keyboard_reachable(open_page, live_server, logged_today, width):
    _, token = logged_today
    page = open_page(token, viewport={"width": width, "height": 900})
    page.goto("/query")
    expect(page.locator("#curl-me")).to_contain_text("curl ")
    page.locator("#feed-password").fill(PASSWORD)
    page.locator("#feed-form").get_by_role("button", name="Create a feed URL").click()  # the longest line: the feed URL
    expect(page.locator("#feed-url")).to_contain_text("/feeds/llpat_")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    overflowing = page.evaluate(OVERFLOWS)
    assert [item for item in overflowing if not item[3]] == [], "only code blocks may scroll, and only as designed"
    box = page.locator("#feed-url").evaluate("(el) => [el.parentElement.scrollWidth, el.parentElement.clientWidth]")
    assert box[0] <= box[1], "the feed URL wraps"

    scrolling = page.locator("pre.code.scrolls")
    if width == 360:
        assert scrolling.count() >= 3  # the curl lines with ranges are wider than a phone
    for index in range(scrolling.count()):
        block = scrolling.nth(index)
        assert block.get_attribute("tabindex") == "0"
        assert block.get_attribute("role") == "region"
        assert block.get_attribute("aria-label").endswith("(scrolls sideways)")
        assert "gradient" in block.evaluate("(el) => getComputedStyle(el).backgroundImage")
    for block in page.locator("pre.code:not(.scrolls)").all():
        assert block.get_attribute("tabindex") is None  # nothing to scroll: not a tab stop
    if scrolling.count():
        first = scrolling.first
        first.focus()
        expect(first).to_be_focused()
        page.keyboard.press("ArrowRight")
        # Chromium may animate the scroll: wait for it, briefly.
        page.wait_for_function("(el) => el.scrollLeft > 0", arg=first.element_handle(), timeout=3000)
