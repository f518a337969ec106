"""The whole journey of a new user, in a real browser, as the issue lists it."""
import os
import re
import subprocess
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.support.api import PASSWORD


def test_sign_up_track_edit_see_stats_query_the_api_and_log_out(page, live_server, watch):
    watch.allow_http_errors(401)  # the wrong password, on purpose
    origin = live_server.url

    # A visitor without a session lands on the login page, and signs up from there.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_role("link", name="Create an account").click()
    # The sign-up page's script focuses the username when it runs: typing before
    # that (a click does not wait for it) could land in the wrong field.
    expect(page).to_have_url(re.compile(r"/signup$"))
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_focused()
    page.get_by_label("Username").fill("Ada")
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # Signing up signs in: straight to the tracker, no login form.
    expect(page).to_have_url(origin + "/")
    expect(page.get_by_role("status")).to_contain_text("Your account “ada” is ready")
    expect(page.locator("#signed-in-as")).to_have_text("Ada Lovelace")
    token = page.evaluate("sessionStorage.getItem('lifelogger.token')")
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert live_server.api("GET", "/me", token=token)[1]["timezone"] == browser_zone  # sent at sign-up

    # No labels yet: the tracker points to the labels page, where two are added.
    expect(page.get_by_text("You have no labels yet.")).to_be_visible()
    page.get_by_role("link", name="Add your first labels").click()
    for name in ("Programming", "Reading"):
        page.get_by_label("New label", exact=True).fill(name)
        page.get_by_role("button", name="Add label").click()
        expect(page.locator("#label-list")).to_contain_text(name)

    # Start, switch, stop.
    page.get_by_role("link", name="Tracker").click()
    page.get_by_role("button", name="Start Programming").click()
    expect(page.locator("#now-label")).to_have_text("Programming")
    expect(page.locator("#now-elapsed")).to_contain_text(re.compile(r"^0:00:0\d since \d\d:\d\d$"))
    expect(page.get_by_role("button", name="Start Programming")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(1200)  # events shorter than a second are discarded by design
    page.get_by_role("button", name="Start Reading").click()
    expect(page.locator("#now-label")).to_have_text("Reading")
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#now-label")).to_have_text("Nothing running.")
    expect(page.get_by_role("button", name="Stop")).to_be_hidden()

    # The timeline shows both events, oldest first.
    page.get_by_role("link", name="Timeline").click()
    rows = page.locator("#event-list > li")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Programming")
    expect(rows.nth(1)).to_contain_text("Reading")
    for index in range(2):
        expect(rows.nth(index)).not_to_contain_text("null")
    expect(rows.locator(".event-note")).to_have_count(0)

    # Edit the first one: it started 90 minutes before it ended.
    rows.nth(0).get_by_role("button", name=re.compile(r"^Edit Programming")).click()
    end_value = page.get_by_label("End").first.input_value()
    new_start = datetime.fromisoformat(end_value) - timedelta(minutes=90)
    page.get_by_label("Start").first.fill(new_start.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved the Programming event.")
    expect(rows.nth(0)).to_contain_text("1:30 h")
    expect(rows.nth(0)).to_contain_text(f"{new_start:%H:%M}–{end_value[11:16]}")

    # Stats for today: the right minutes in the table, and charts drawn from them.
    page.get_by_role("link", name="Stats").click()
    expect(page.get_by_role("button", name="Today")).to_have_attribute("aria-pressed", "true")
    programming = page.locator("#stats-rows tr", has_text="Programming")
    expect(programming.locator("td").nth(0)).to_have_text("1:30 h")
    expect(page.locator("#stats-rows tr", has_text="Reading").locator("td").nth(0)).to_have_text("<1 min")
    day_start = page.evaluate("new Date(new Date().setHours(0, 0, 0, 0)).toISOString()")
    day_end = page.evaluate("new Date(new Date().setHours(24, 0, 0, 0)).toISOString()")
    status, stats = live_server.api("GET", f"/stats?start={day_start}&end={day_end}", token=token)
    assert status == 200 and stats["minutes"]["Programming"] == 90.0
    drawn = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById('share-chart'));
            const canvas = chart.canvas;
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
            const daily = Chart.getChart(document.getElementById('daily-chart'));
            return {labels: chart.data.labels, data: chart.data.datasets[0].data, painted,
                    days: daily.data.labels.length, series: daily.data.datasets.map(d => [d.label, d.data])};
        }"""
    )
    assert drawn["labels"] == list(stats["minutes"])
    assert drawn["data"] == list(stats["minutes"].values())
    assert drawn["painted"] > 1000
    assert drawn["days"] == 1
    assert drawn["series"][0] == ["Programming", [90]]  # minutes; the axis writes them h:mm or "min"

    # Query your data: the token is masked until revealed; the curl example works.
    page.get_by_role("link", name="Query your data").click()
    token_box = page.locator("#token-value")
    expect(token_box).to_have_text("••••••••••••••••")
    page.get_by_role("button", name="Reveal").click()
    expect(token_box).to_have_text(token)
    expect(page.locator("#base-url")).to_have_text(origin + "/api/v1")
    example = page.locator("#curl-me").inner_text()
    assert example.startswith(f'curl "{origin}/api/v1/me"')
    answer = run_example(example, token)
    assert answer["status"] == 200 and answer["body"]["username"] == "ada"
    labels_answer = run_example(page.locator("#curl-labels").inner_text(), token)
    assert labels_answer["body"] == {"labels": ["Programming", "Reading"]}
    stats_answer = run_example(page.locator("#curl-stats").inner_text(), token)
    assert stats_answer["status"] == 200 and stats_answer["body"]["minutes"]["Programming"] == 90.0
    events_answer = run_example(page.locator("#curl-events").inner_text(), token)
    assert [event["label"] for event in events_answer["body"]["events"]] == ["Programming", "Reading"]
    daily_answer = run_example(page.locator("#curl-daily").inner_text(), token)
    assert daily_answer["status"] == 200
    assert [day["minutes"].get("Programming") for day in daily_answer["body"]["days"]].count(90.0) == 1
    renamed = run_example(page.locator("#curl-patch-me").inner_text(), token)
    assert renamed["status"] == 200 and renamed["body"]["display_name"] == "New Name"
    expect(page.get_by_role("link", name="Open the API docs")).to_have_attribute("href", "/api/v1/docs")

    # Log out: back to the login page, and the token no longer works.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_have_text("You are logged out.")
    assert page.evaluate("sessionStorage.getItem('lifelogger.token')") is None
    assert run_example(example, token)["status"] == 401

    # Log in again: a wrong password first gets a clear message.
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(origin + "/")
    expect(page.locator("#signed-in-as")).to_have_text("New Name")


def run_example(example: str, token: str) -> dict:
    """Run a curl example as shown on the page, in a shell where TOKEN is set, as the page says."""
    import json

    result = subprocess.run(
        ["bash", "-c", example + " -sS -w '\\n%{http_code}'"],
        env={**os.environ, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    body, _, status = result.stdout.rpartition("\n")
    return {"status": int(status), "body": json.loads(body)}
