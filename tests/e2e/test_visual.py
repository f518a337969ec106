"""Issue #16 "Tap, don't type": the visual day, readable stats, one message area,
polling only what is shown, and the tracker on a 360 px phone.

Every test drives the real pages in Chromium against the live server; the
events are placed in the browser's zone, where it is about noon (conftest.py).
"""
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

UTC = timezone.utc
EIGHT = ["Commute", "Cooking", "Exercise", "Programming", "Reading", "Sleep", "Writing", "A rather long label name"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def midnight(browser_context_args) -> datetime:
    """Today's local midnight in the browser's (and the profile's) zone."""
    zone = ZoneInfo(browser_context_args["timezone_id"])
    return datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)


def add_event(live_server, token, label, start, end):
    status, event = live_server.api("POST", "/events", {"label": label, "started_at": iso(start), "ended_at": iso(end)}, token=token)
    assert status == 201, event
    return event


def boxes(page, selector):
    return page.eval_on_selector_all(
        selector, "nodes => nodes.map(n => { const r = n.getBoundingClientRect(); return [n.textContent, r.x, r.y, r.width, r.height]; })"
    )


# --- The tracker on a phone ---------------------------------------------------------------------


def test_eight_labels_fit_a_360px_phone_and_a_tap_moves_nothing(open_page, make_user):
    _, token = make_user(labels=EIGHT)
    page = open_page(token, **PHONE)
    page.goto("/")
    buttons = page.locator("#label-buttons button")
    expect(buttons).to_have_count(8)
    expect(page.locator("#now-label")).to_have_text("Nothing running.")
    page.wait_for_load_state("networkidle")
    before = boxes(page, "#label-buttons button, #now-label, #stop")
    for _text, x, y, width, height in before[:8]:
        assert y >= 0 and y + height <= 740, f"a label button below the fold: {before}"
        assert x >= 0 and x + width <= 360
    # Tap, and wait for the server's answer and the page's reload of what runs.
    with page.expect_response("**/api/v1/events/current"):
        with page.expect_response("**/api/v1/events/start"):
            buttons.filter(has_text="Reading").tap()
    expect(page.locator("#now-label")).to_have_text("Reading")
    page.wait_for_load_state("networkidle")
    after = boxes(page, "#label-buttons button, #now-label, #stop")
    assert [b[1:] for b in after] == [b[1:] for b in before], f"the page moved after the tap: {before} -> {after}"
    assert page.evaluate("window.scrollY") == 0
    expect(page.get_by_role("button", name="Stop")).to_be_visible()


def test_focus_stays_on_the_tapped_button_and_the_running_label_is_told(open_page, make_user):
    _, token = make_user(labels=["Reading", "Cooking"])
    page = open_page(token)
    page.goto("/")
    reading = page.get_by_role("button", name="Start Reading")
    expect(reading).to_have_attribute("aria-pressed", "false")
    reading.focus()
    with page.expect_response("**/api/v1/events/current"):
        with page.expect_response("**/api/v1/events/start"):
            page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(reading).to_be_focused()
    # Assistive tech hears which label runs: a pressed toggle button.
    expect(page.get_by_role("button", name="Start Reading", pressed=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Start Cooking", pressed=False)).to_have_count(1)


def test_times_are_written_on_the_24_hour_clock_whatever_the_language(open_page, make_user, live_server, browser_context_args):
    _, token = make_user(labels=["Reading"])
    day = midnight(browser_context_args)
    add_event(live_server, token, "Reading", day + timedelta(hours=1, minutes=5), day + timedelta(hours=1, minutes=32))
    page = open_page(token, locale="en-US")  # American English would write "01:05 AM"
    page.goto("/timeline")
    expect(page.locator("#event-list li")).to_contain_text("01:05–01:32")
    expect(page.locator("#event-list li")).to_contain_text("27 min")


# --- The visual day -----------------------------------------------------------------------------


def test_the_timeline_draws_the_day_as_blocks_with_gaps_and_opens_one_to_edit(open_page, make_user, live_server, browser_context_args):
    _, token = make_user(labels=["Reading", "Cooking"])
    day = midnight(browser_context_args)
    add_event(live_server, token, "Reading", day + timedelta(hours=6), day + timedelta(hours=9))
    add_event(live_server, token, "Cooking", day + timedelta(hours=9, minutes=30), day + timedelta(hours=9, minutes=42))
    page = open_page(token)
    page.goto("/timeline")
    blocks = page.locator("#day-strip .strip-block")
    expect(blocks).to_have_count(2)
    track = page.locator("#day-strip .strip-track").bounding_box()
    reading, cooking = blocks.nth(0).bounding_box(), blocks.nth(1).bounding_box()
    # Proportional: 06:00 is a quarter of the day, three hours an eighth; the half-hour gap shows.
    assert abs(reading["x"] - track["x"] - track["width"] / 4) <= 2
    assert abs(reading["width"] - track["width"] / 8) <= 2
    assert cooking["x"] - (reading["x"] + reading["width"]) >= track["width"] / 48 - 2
    # Each block is a button named by its label, local times and duration.
    expect(blocks.nth(0)).to_have_accessible_name("Reading, 06:00–09:00, 3:00 h. Edit")
    expect(blocks.nth(1)).to_have_accessible_name("Cooking, 09:30–09:42, 12 min. Edit")
    blocks.nth(1).focus()
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name=re.compile(r"^Edit Cooking 09:30–09:42"))
    expect(form).to_be_visible()
    expect(form.get_by_label("Label")).to_be_focused()


def test_a_running_event_is_drawn_up_to_now_and_an_event_from_yesterday_from_the_day_start(
    open_page, make_user, live_server, browser_context_args
):
    _, token = make_user(labels=["Sleep", "Reading"])
    day = midnight(browser_context_args)
    add_event(live_server, token, "Sleep", day - timedelta(hours=2), day + timedelta(hours=6))
    status, _ = live_server.api("POST", "/events/start", {"label": "Reading", "started_at": iso(day + timedelta(hours=8))}, token=token)
    assert status == 201
    page = open_page(token)
    page.goto("/timeline")
    blocks = page.locator("#day-strip .strip-block")
    expect(blocks).to_have_count(2)
    track = page.locator("#day-strip .strip-track").bounding_box()
    sleep, reading = blocks.nth(0).bounding_box(), blocks.nth(1).bounding_box()
    assert abs(sleep["x"] - track["x"]) <= 2 and abs(sleep["width"] - track["width"] / 4) <= 2
    now = datetime.now(day.tzinfo)
    expected = (now - (day + timedelta(hours=8))) / timedelta(hours=24) * track["width"]
    assert abs(reading["width"] - expected) <= 3
    expect(blocks.nth(1)).to_have_accessible_name(re.compile(r"^Reading, 08:00–now \(running\), \d:\d\d h, running\. Edit$"))


def test_the_week_view_shows_seven_strips_at_a_linkable_address(open_page, make_user, live_server, browser_context_args):
    _, token = make_user(labels=["Reading"])
    day = midnight(browser_context_args)
    monday = day - timedelta(days=day.weekday())
    for n in range(day.weekday() + 1):
        add_event(live_server, token, "Reading", monday + timedelta(days=n, hours=7), monday + timedelta(days=n, hours=8))
    page = open_page(token, **PHONE)
    page.goto("/timeline")
    page.get_by_role("link", name="Week").click()
    expect(page).to_have_url(re.compile(r"view=week"))
    expect(page.locator("#week-view > li")).to_have_count(7)
    page.reload()
    rows = page.locator("#week-view > li")
    expect(rows).to_have_count(7)
    expect(page.get_by_role("link", name="Week")).to_have_attribute("aria-current", "page")
    expect(page.locator("#week-view .strip-block")).to_have_count(day.weekday() + 1)
    expect(rows.nth(0).locator(".week-total")).to_have_text("1:00 h")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # A block of the week opens its day with the edit form.
    page.locator("#week-view .strip-block").first.click()
    expect(page).to_have_url(re.compile(rf"date={monday:%Y-%m-%d}$"))
    expect(page.get_by_role("form", name=re.compile(r"^Edit Reading 07:00–08:00"))).to_be_visible()


# --- Stats ----------------------------------------------------------------------------------------


def test_stats_write_short_durations_in_minutes_and_the_axis_never_in_fractions(open_page, make_user, live_server, browser_context_args):
    _, token = make_user(labels=["Reading", "Cooking", "Sleep"])
    day = midnight(browser_context_args)
    add_event(live_server, token, "Reading", day + timedelta(hours=8), day + timedelta(hours=8, minutes=12))
    add_event(live_server, token, "Cooking", day + timedelta(hours=9), day + timedelta(hours=9, seconds=9))
    page = open_page(token)
    page.goto("/stats?range=today")
    expect(page.locator("#stats-rows tr", has_text="Reading").locator("td").nth(0)).to_have_text("12 min")
    expect(page.locator("#stats-rows tr", has_text="Cooking").locator("td").nth(0)).to_have_text("<1 min")
    ticks = page.evaluate("() => Chart.getChart(document.getElementById('daily-chart')).scales.y.ticks.map(t => t.label)")
    assert ticks and all(re.fullmatch(r"\d+ min", tick) for tick in ticks), ticks
    # Hours: h:mm on whole hours.
    add_event(live_server, token, "Sleep", day + timedelta(hours=0), day + timedelta(hours=7, minutes=20))
    page.reload()
    expect(page.locator("#stats-rows tr", has_text="Sleep").locator("td").nth(0)).to_have_text("7:20 h")
    ticks = page.evaluate("() => Chart.getChart(document.getElementById('daily-chart')).scales.y.ticks.map(t => t.label)")
    assert ticks and all(re.fullmatch(r"0 min|\d+:00 h", tick) for tick in ticks), ticks


def test_a_year_of_stats_is_twelve_monthly_bars_and_a_quarter_is_weekly(open_page, make_user, live_server, browser_context_args):
    _, token = make_user(labels=["Reading"])
    day = midnight(browser_context_args)
    add_event(live_server, token, "Reading", day + timedelta(hours=8), day + timedelta(hours=9))
    page = open_page(token)
    page.goto("/stats?range=year")
    expect(page.locator("#daily-heading")).to_have_text("Per month")
    chart = "() => { const c = Chart.getChart(document.getElementById('daily-chart')); return [c.data.labels, c.data.datasets[0].data]; }"
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('daily-chart'))")
    labels, data = page.evaluate(chart)
    assert len(labels) == 12 and sum(data) == 60
    # (en-GB writes September "Sept".)
    assert re.fullmatch(rf"{day:%b}t? {day.year}", labels[day.month - 1]) and data[day.month - 1] == 60
    first = (day - timedelta(days=90)).date()
    page.goto(f"/stats?from={first}&to={day.date()}")
    expect(page.locator("#daily-heading")).to_have_text("Per week")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('daily-chart'))")
    labels, data = page.evaluate(chart)
    assert 13 <= len(labels) <= 15 and re.fullmatch(rf"From {first.day} {first:%b}t?", labels[0]) and sum(data) == 60


# --- Messages ------------------------------------------------------------------------------------


def test_a_newer_error_replaces_an_older_success_and_a_clash_is_told_in_local_time(open_page, make_user, live_server, browser_context_args):
    _, token = make_user(labels=["Sleep", "Reading"])
    day = midnight(browser_context_args)
    # Sleep from two evenings ago until 01:00 today: outside every day the page loads.
    add_event(live_server, token, "Sleep", day - timedelta(hours=26), day + timedelta(hours=1))
    page = open_page(token)
    page.watch.allow_http_errors(409)
    page.goto("/timeline")
    form = page.locator("#add-event-form")
    form.get_by_label("Label").select_option("Reading")
    form.get_by_label("Start").fill(f"{day:%Y-%m-%d}T08:00:00")
    form.get_by_label("End").fill(f"{day:%Y-%m-%d}T08:30:00")
    form.get_by_role("button", name="Add event").click()
    expect(page.locator("#notice")).to_have_text("Added a Reading event, 08:00–08:30.")
    form.get_by_label("Start").fill(f"{day:%Y-%m-%d}T00:30:00")
    form.get_by_label("End").fill(f"{day:%Y-%m-%d}T00:45:00")
    form.get_by_role("button", name="Add event").click()
    started = day - timedelta(hours=26)
    expect(form.locator(".form-error")).to_have_text(
        f"These times overlap your Sleep event 22:00–01:00 ({day.day} {day:%b} {day.year}) (from {started.day} {started:%b} {started.year}). "
        "Events cannot overlap; change the times or that event first."
    )
    expect(page.locator("#notice")).to_have_text("")
    expect(page.get_by_role("status").filter(has_text="Added")).to_have_count(0)


def test_a_refused_tap_is_told_as_an_error_not_as_a_success(open_page, make_user, live_server):
    _, token = make_user(labels=["Reading", "Sleep"])
    page = open_page(token)
    page.watch.allow_http_errors(422)
    page.goto("/")
    sleep = page.get_by_role("button", name="Start Sleep")
    expect(sleep).to_be_visible()
    assert live_server.api("DELETE", "/labels/Sleep", token=token)[0] == 204  # deleted in another tab meanwhile
    sleep.click()
    notice = page.locator("#notice")
    expect(notice).to_contain_text("Sleep")
    expect(notice).to_have_class(re.compile(r"\bis-error\b"))
    # A success afterwards is a success again.
    page.get_by_role("button", name="Start Reading").click()
    expect(notice).not_to_have_class(re.compile(r"\bis-error\b"))


# --- Polling ---------------------------------------------------------------------------------------


def goal_requests(page):
    seen = []
    page.on("request", lambda request: urlsplit(request.url).path == "/api/v1/goals/progress" and seen.append(request.url))
    return seen


def hide_tab(page, hidden: bool):
    state = "hidden" if hidden else "visible"
    page.evaluate(
        f"""() => {{ Object.defineProperty(document, 'visibilityState', {{configurable: true, get: () => '{state}'}});
                   document.dispatchEvent(new Event('visibilitychange')); }}"""
    )


def test_goal_progress_is_fetched_once_a_load_once_a_minute_and_never_while_hidden(open_page, make_user, live_server):
    _, token = make_user(labels=["Reading"])
    assert live_server.api("PUT", "/goals/Reading", {"kind": "at_least", "minutes": 30, "per": "day"}, token=token)[0] == 200
    page = open_page(token)
    seen = goal_requests(page)
    page.clock.install()
    page.goto("/")
    expect(page.locator("#goal-list li")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert len(seen) == 1, "one fetch when the page opens"
    page.clock.run_for(60_500)
    page.wait_for_load_state("networkidle")
    assert len(seen) == 2, "then one a minute"
    hide_tab(page, True)
    page.clock.run_for(5 * 60_000)
    page.wait_for_load_state("networkidle")
    assert len(seen) == 2, "nothing while the tab is hidden"
    hide_tab(page, False)
    page.wait_for_load_state("networkidle")
    assert len(seen) == 3, "fresh numbers when it is seen again"


def test_a_user_without_goals_is_not_polled_for_them(open_page, make_user):
    _, token = make_user(labels=["Reading"])
    page = open_page(token)
    seen = goal_requests(page)
    page.clock.install()
    page.goto("/")
    expect(page.locator("#label-buttons button")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert len(seen) <= 1
    with page.expect_response("**/api/v1/events/current"):
        page.get_by_role("button", name="Start Reading").click()
    page.clock.run_for(5 * 60_000)
    page.wait_for_load_state("networkidle")
    assert len(seen) <= 1, seen
    expect(page.locator("#goals")).to_be_hidden()
