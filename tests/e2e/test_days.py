"""Your days in the browser: the profile's zone and day start everywhere, goals, forgotten timers, notes.

The browser runs in one zone and the profile says another, so a page that
used the browser's own midnight would show the wrong day.
"""
import re
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from lifelogger.core import days
from tests.support.browser import noon_zone

UTC = timezone.utc


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def z(moment: datetime) -> str:
    """The form the app sends instants in: UTC, whole seconds, Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_profile(live_server, token, **changes) -> dict:
    status, me = live_server.api("PATCH", "/me", changes, token=token)
    assert status == 200, me
    return me


def add_event(live_server, token, label, start: datetime, end: datetime, note=None) -> dict:
    body = {"label": label, "started_at": iso(start), "ended_at": iso(end)}
    if note:
        body["note"] = note
    status, event = live_server.api("POST", "/events", body, token=token)
    assert status == 201, event
    return event


# --- The account page ---------------------------------------------------------------------


def test_the_account_page_sets_zone_day_start_and_forgotten_threshold(page, live_server, make_user, login, watch):
    watch.allow_http_errors(422)
    username, token = make_user()
    login(username)
    page.get_by_role("link", name="Account").click()
    zone = page.get_by_label("Time zone")
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    expect(zone).to_have_value(browser_zone)  # the profile's, from sign-up (an Etc/GMT±N zone, added to the list)
    expect(page.get_by_label("Your day starts at")).to_have_value("00:00")
    expect(page.get_by_label("Ask about a forgotten timer after (hours)")).to_have_value("12")
    expect(page.locator("#device-zone")).to_have_text(browser_zone)
    assert zone.locator("option").count() > 300  # every zone the browser knows

    zone.select_option("Asia/Kolkata")
    page.get_by_label("Your day starts at").fill("04:00")
    hours = page.get_by_label("Ask about a forgotten timer after (hours)")
    hours.fill("0")
    page.get_by_role("button", name="Save day settings").click()
    expect(page.locator("#forgotten-hours-error")).to_have_text("Enter a number of hours from 0.5 to 168, e.g. 12.")
    expect(hours).to_have_attribute("aria-invalid", "true")
    assert live_server.api("GET", "/me", token=token)[1]["timezone"] == browser_zone  # nothing sent

    hours.fill("1.5")
    page.get_by_role("button", name="Save day settings").click()
    expect(page.get_by_role("status")).to_have_text("Day settings saved: Asia/Kolkata, days start at 04:00.")
    expect(page.locator("#forgotten-hours-error")).to_be_empty()
    me = live_server.api("GET", "/me", token=token)[1]
    assert (me["timezone"], me["day_starts_at"], me["forgotten_after_minutes"]) == ("Asia/Kolkata", "04:00", 90)
    page.reload()
    expect(zone).to_have_value("Asia/Kolkata")
    expect(page.get_by_label("Your day starts at")).to_have_value("04:00")
    expect(hours).to_have_value("1.5")

    # The server's refusal lands next to its field: a zone this server does not know.
    page.evaluate("""() => { const o = document.createElement('option'); o.value = o.textContent = 'Mars/Olympus_Mons';
                             document.getElementById('timezone').append(o); }""")
    zone.select_option("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save day settings").click()
    expect(page.locator("#timezone-error")).to_have_text("Unknown time zone 'Mars/Olympus_Mons'; use an IANA name like Europe/Berlin.")
    expect(zone).to_have_attribute("aria-invalid", "true")
    assert live_server.api("GET", "/me", token=token)[1]["timezone"] == "Asia/Kolkata"


# --- The timeline ---------------------------------------------------------------------------


def test_the_timeline_shows_the_profiles_days_from_4am_in_its_zone(open_page, live_server, make_user):
    """Browser in New York, profile in Kolkata (+05:30) with days from 04:00."""
    _, token = make_user(labels=["Exercise", "Reading", "Cooking"])
    set_profile(live_server, token, timezone="Asia/Kolkata", day_starts_at="04:00")
    kolkata = ZoneInfo("Asia/Kolkata")
    today = days.day_of(datetime.now(UTC), kolkata, 4 * 60)
    p = today - timedelta(days=1)  # the day under test, all of it in the past

    def at(day: date, hh: int, mm: int = 0) -> datetime:
        return datetime.combine(day, time(hh, mm), kolkata)

    add_event(live_server, token, "Cooking", at(p - timedelta(days=1), 23), at(p, 0, 30))  # the day before
    add_event(live_server, token, "Cooking", at(p, 3, 30), at(p, 3, 50), note="Night snack")  # before 04:00: the day before
    add_event(live_server, token, "Exercise", at(p, 5), at(p, 6))
    add_event(live_server, token, "Reading", at(p + timedelta(days=1), 2), at(p + timedelta(days=1), 3))  # after midnight: still p

    page = open_page(token, timezone_id="America/New_York")
    ranges = []
    page.on("request", lambda r: "/api/v1/events?" in r.url and ranges.append(parse_qs(urlsplit(r.url).query)))
    page.goto(f"/timeline?date={p}")
    rows = page.locator("#event-list > li")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("05:00–06:00")
    expect(rows.nth(0)).to_contain_text("Exercise")
    expect(rows.nth(1)).to_contain_text("02:00–03:00")
    expect(rows.nth(1)).to_contain_text("Reading")
    expect(page.locator("#day-heading")).to_contain_text(f"{p.day} {p:%B} {p.year}")
    expect(page.locator(".hint", has_text="Times are in your time zone")).to_have_text(
        "Events are listed on the day they start. Times are in your time zone "
        "(Asia/Kolkata; this device is set to America/New_York); your days start at 04:00."
    )
    # From the day before's start: an event begun then may run into this day's strip.
    assert ranges[-1] == {"start": [z(at(p - timedelta(days=1), 4))], "end": [z(at(p + timedelta(days=1), 4))]}

    page.get_by_role("button", name="Previous day").click()
    expect(page).to_have_url(re.compile(f"date={p - timedelta(days=1)}$"))
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(f"23:00–00:30 ({p.day} {p:%b} {p.year})")
    expect(rows.nth(1)).to_contain_text("03:30–03:50")
    expect(rows.nth(1).locator(".event-note")).to_have_text("Night snack")

    page.get_by_role("button", name="Today").click()
    expect(page).to_have_url(re.compile(f"date={today}$"))

    # A forgotten event typed in: its times are read in the profile's zone.
    page.goto(f"/timeline?date={p}")
    form = page.locator("#add-event-form")
    form.get_by_label("Label").select_option("Cooking")
    form.get_by_label("Start").fill(f"{p}T12:00:00")
    form.get_by_label("End").fill(f"{p}T12:30:00")
    form.get_by_role("button", name="Add event").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("12:00–12:30")
    events = live_server.api("GET", f"/events?start={z(at(p, 4))}&end={z(at(p + timedelta(days=1), 4))}", token=token)[1]["events"]
    assert [(e["label"], e["started_at"]) for e in events][1] == ("Cooking", iso(at(p, 12)))

    # Editing shows and reads the profile's wall-clock times too.
    page.get_by_role("button", name="Edit Exercise 05:00–06:00").click()
    expect(page.locator("#event-list").get_by_label("Start")).to_have_value(f"{p}T05:00")


# --- The stats page ----------------------------------------------------------------------------


def test_stats_presets_are_the_profiles_days(open_page, live_server, make_user):
    """Browser in Berlin; profile in New York with days from 04:00; /stats/daily follows the profile."""
    _, token = make_user(labels=["Reading"])
    set_profile(live_server, token, timezone="America/New_York", day_starts_at="04:00")
    zone, start_minutes = ZoneInfo("America/New_York"), 4 * 60
    today = days.day_of(datetime.now(UTC), zone, start_minutes)
    page = open_page(token, timezone_id="Europe/Berlin")
    ranges = []
    page.on("request", lambda r: "/api/v1/stats" in r.url and ranges.append((urlsplit(r.url).path, parse_qs(urlsplit(r.url).query))))
    page.goto("/stats")

    def begins(day: date) -> str:
        return z(days.day_start(day, zone, start_minutes))

    monday = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    expected = {
        "Today": (today, today + timedelta(days=1)),
        "This week": (monday, monday + timedelta(days=7)),
        "This month": (month, (month + timedelta(days=32)).replace(day=1)),
        "Last 30 days": (today - timedelta(days=29), today + timedelta(days=1)),
        "This year": (date(today.year, 1, 1), date(today.year + 1, 1, 1)),
    }
    for name, (first, after) in expected.items():
        ranges.clear()
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.get_by_role("button", name=name, exact=True)).to_have_attribute("aria-pressed", "true")
        page.wait_for_load_state("networkidle")
        sent = dict(ranges)
        want = {"start": [begins(first)], "end": [begins(after)]}
        assert sent["/api/v1/stats"] == want, name
        assert sent["/api/v1/stats/daily"] == want, name  # no tz: the server uses the profile's days
    expect(page.locator(".hint", has_text="Weeks start on Monday")).to_contain_text(
        "in your time zone (America/New_York; this device is set to Europe/Berlin) from 04:00 to 04:00"
    )

    # New York springs forward at 02:00 on 2026-03-08, inside the day that began at 04:00 on the 7th.
    assert live_server.api("POST", "/events", {"label": "Reading", "started_at": "2026-03-07T12:00:00Z", "ended_at": "2026-03-09T12:00:00Z"}, token=token)[0] == 201
    ranges.clear()
    page.get_by_label("From").fill("2026-03-07")
    page.get_by_label("To (inclusive)").fill("2026-03-08")
    page.get_by_role("button", name="Show range").click()
    expect(page.locator("#range-heading")).to_have_text("7 Mar 2026 – 8 Mar 2026")
    page.wait_for_load_state("networkidle")
    # 7 Mar 04:00 EST = 09:00Z; 9 Mar 04:00 EDT = 08:00Z.
    assert dict(ranges)["/api/v1/stats"] == {"start": ["2026-03-07T09:00:00Z"], "end": ["2026-03-09T08:00:00Z"]}
    expect(page.locator("#stats-rows tr", has_text="Reading").locator("td").nth(0)).to_have_text("44:00 h")
    bars = page.evaluate("() => Chart.getChart(document.getElementById('daily-chart')).data.datasets[0].data")
    assert bars == [20 * 60, 24 * 60]  # minutes; the 7th: 09:00Z to 08:00Z (23 h), the event from 12:00Z

    # The Account page offers the device's zone in one click.
    page.goto("/account")
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    page.get_by_role("button", name="Use it").click()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(page.get_by_label("Time zone")).to_be_focused()


# --- Goals ---------------------------------------------------------------------------------------


def test_goals_are_set_on_the_labels_page(page, live_server, make_user, login):
    username, token = make_user(labels=["Exercise", "Phone"])
    login(username)
    page.get_by_role("link", name="Labels").click()
    page.get_by_role("button", name="Set a goal for Exercise").click()
    page.get_by_label("Goal for Exercise").select_option("at_least")
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Per").select_option("day")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("status")).to_have_text("Goal for Exercise: at least 45 min a day.")
    expect(page.locator("#label-list li", has_text="Exercise")).to_contain_text("Goal: at least 45 min a day")
    expect(page.get_by_role("button", name="Change the goal of Exercise")).to_be_focused()
    assert live_server.api("GET", "/goals/Exercise", token=token)[1] == {"label": "Exercise", "kind": "at_least", "minutes": 45, "per": "day"}

    page.get_by_role("button", name="Set a goal for Phone").click()
    page.get_by_label("Goal for Phone").select_option("at_most")
    page.get_by_label("Minutes").fill("0")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("#label-list li", has_text="Phone").get_by_role("alert")).to_have_text("Enter whole minutes from 1 to 10080 (a week).")
    page.get_by_label("Minutes").fill("120")
    page.get_by_label("Per").select_option("week")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("#label-list li", has_text="Phone")).to_contain_text("Goal: at most 120 min a week")

    page.get_by_role("button", name="Change the goal of Exercise").click()
    page.get_by_role("button", name="Remove goal").click()
    expect(page.get_by_role("status")).to_have_text("Removed the goal for Exercise.")
    expect(page.locator("#label-list li", has_text="Exercise")).to_contain_text("No goal")
    assert [g["label"] for g in live_server.api("GET", "/goals", token=token)[1]["goals"]] == ["Phone"]


def bar(page, label):
    return page.locator(f"#goal-list li[data-label='{label}'] [role=progressbar]")


def test_goal_progress_bars_show_todays_and_this_weeks_numbers(open_page, live_server, make_user):
    _, token = make_user(labels=["Exercise", "Phone", "Reading"])
    zone = noon_zone()  # around noon there: the last two hours are today
    set_profile(live_server, token, timezone=zone)
    for label, goal in {
        "Exercise": {"kind": "at_least", "minutes": 45, "per": "day"},
        "Phone": {"kind": "at_most", "minutes": 30, "per": "day"},
        "Reading": {"kind": "at_least", "minutes": 120, "per": "week"},
    }.items():
        assert live_server.api("PUT", f"/goals/{label}", goal, token=token)[0] == 200
    now = datetime.now(UTC).replace(microsecond=0)
    add_event(live_server, token, "Exercise", now - timedelta(minutes=100), now - timedelta(minutes=70))  # 30 min
    add_event(live_server, token, "Phone", now - timedelta(minutes=65), now - timedelta(minutes=25))  # 40 min
    add_event(live_server, token, "Reading", now - timedelta(minutes=24), now - timedelta(minutes=4))  # 20 min

    page = open_page(token, timezone_id="UTC")
    page.clock.install()
    page.goto("/")
    exercise = bar(page, "Exercise")
    expect(exercise).to_have_attribute("aria-valuenow", "30")
    expect(exercise).to_have_attribute("aria-valuemax", "45")
    expect(exercise).to_have_attribute("aria-valuetext", "Exercise 30 of 45 min today, 15 min to go")
    expect(page.get_by_role("progressbar", name="Exercise 30 of 45 min today")).to_be_visible()
    expect(bar(page, "Phone")).to_have_attribute("aria-valuetext", "Phone 40 of at most 30 min today, 10 min over")
    expect(bar(page, "Phone")).to_have_attribute("aria-valuenow", "30")  # never above the maximum
    expect(bar(page, "Reading")).to_have_attribute("aria-valuetext", "Reading 20 of 120 min this week, 100 min to go")
    expect(page.locator("#goal-list li")).to_have_count(3)
    expect(page.locator("#goal-list li").nth(2)).to_have_attribute("data-per", "week")  # today's first
    width = exercise.locator(".goal-fill").evaluate("el => el.getBoundingClientRect().width / el.parentElement.getBoundingClientRect().width")
    assert abs(width - 30 / 45) < 0.02

    # Refreshed after a start: 15 more minutes of Exercise logged elsewhere meanwhile.
    add_event(live_server, token, "Exercise", now - timedelta(minutes=3), now - timedelta(minutes=2))
    add_event(live_server, token, "Exercise", now - timedelta(minutes=120), now - timedelta(minutes=106))
    page.get_by_role("button", name="Start Reading").click()
    expect(exercise).to_have_attribute("aria-valuetext", "Exercise 45 of 45 min today, met")
    expect(page.locator("#goal-list li[data-label='Exercise']")).to_have_class(re.compile("goal-met"))

    # And once a minute: Phone time logged on another device shows up without a tap.
    add_event(live_server, token, "Phone", now - timedelta(minutes=69), now - timedelta(minutes=66))
    page.clock.fast_forward("01:01")
    expect(bar(page, "Phone")).to_have_attribute("aria-valuetext", "Phone 43 of at most 30 min today, 13 min over")


# --- Forgotten timers ----------------------------------------------------------------------------


def test_a_forgotten_timer_is_stopped_at_a_chosen_time(open_page, live_server, make_user, ):
    """Started 13 hours ago (threshold 12 h): the tracker offers its start + 12 h, in the profile's zone."""
    _, token = make_user(labels=["Reading"])
    set_profile(live_server, token, timezone="Asia/Kolkata")
    kolkata = ZoneInfo("Asia/Kolkata")
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=13)
    assert live_server.api("POST", "/events/start", {"label": "Reading", "started_at": iso(started)}, token=token)[0] == 201
    page = open_page(token, timezone_id="America/Los_Angeles")
    page.watch.allow_http_errors(422)
    page.goto("/")
    warning = page.locator("#forgotten")
    expect(warning).to_be_visible()
    stop_at = page.get_by_label("Stop it at")
    likely = (started + timedelta(hours=12)).astimezone(kolkata).replace(second=0)
    expect(stop_at).to_have_value(f"{likely:%Y-%m-%dT%H:%M}")

    before = (started - timedelta(minutes=5)).astimezone(kolkata)
    stop_at.fill(f"{before:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Stop at this time").click()
    expect(page.locator("#stop-at-error")).to_contain_text("That is before Reading started (")
    expect(page.locator("#stop-at-error")).to_contain_text("Choose a later time.")
    expect(stop_at).to_have_attribute("aria-invalid", "true")

    future = (datetime.now(UTC) + timedelta(hours=2)).astimezone(kolkata)
    stop_at.fill(f"{future:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Stop at this time").click()
    expect(page.locator("#stop-at-error")).to_have_text("That time is still to come. Choose a time up to now.")
    assert live_server.api("GET", "/events/current", token=token)[1]["event"] is not None

    stop_at.fill(f"{likely:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Stop at this time").click()
    expect(page.get_by_role("status")).to_contain_text("Stopped Reading at ")
    expect(page.get_by_role("status")).to_contain_text(f"{likely:%H:%M}")
    expect(warning).to_be_hidden()
    expect(page.locator("#now-label")).to_have_text("Nothing running.")
    status, answer = live_server.api("GET", f"/events?start={z(started)}&end={z(started + timedelta(seconds=1))}", token=token)
    assert [(e["label"], e["ended_at"]) for e in answer["events"]] == [("Reading", iso(likely))]


# --- Notes ----------------------------------------------------------------------------------------


def test_a_note_typed_by_the_label_buttons_goes_with_the_start(page, live_server, make_user, login):
    username, token = make_user(labels=["Reading", "Cooking"])
    login(username)
    page.get_by_label("Note").fill("Dune, chapter 3 <b>")
    # The tracker shows a tap at once (queue.js) and sends it right after: wait for the answer.
    with page.expect_response("**/api/v1/events/start"):
        page.get_by_role("button", name="Start Reading").click()
    expect(page.locator("#now-label")).to_have_text("Reading")
    expect(page.get_by_label("Note")).to_have_value("")
    current = live_server.api("GET", "/events/current", token=token)[1]["event"]
    assert current["note"] == "Dune, chapter 3 <b>"
    page.wait_for_timeout(1100)
    with page.expect_response("**/api/v1/events/start"):
        page.get_by_role("button", name="Start Cooking").click()  # no note this time
    expect(page.locator("#now-label")).to_have_text("Cooking")
    assert live_server.api("GET", "/events/current", token=token)[1]["event"]["note"] is None
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("#event-list li", has_text="Reading").locator(".event-note")).to_have_text("Dune, chapter 3 <b>")


# --- The browser's day arithmetic against the server's -------------------------------------------

DAY_CASES = [
    # zone, day start, dates around a change (or none)
    ("Europe/Berlin", "00:00", ["2026-03-28", "2026-03-29", "2026-03-30", "2025-10-25", "2025-10-26", "2025-10-27"]),
    ("Europe/Berlin", "02:30", ["2026-03-29", "2025-10-26"]),  # skipped (spring) and twice (autumn)
    ("America/New_York", "04:00", ["2026-03-07", "2026-03-08", "2025-11-01", "2025-11-02"]),
    ("America/New_York", "01:30", ["2025-11-02"]),  # occurs twice: the first one
    ("America/Santiago", "00:00", ["2025-09-06", "2025-09-07", "2025-09-08"]),  # midnight skipped
    ("Asia/Kolkata", "04:00", ["2026-03-24"]),
    ("Australia/Adelaide", "02:30", ["2026-04-05", "2025-10-05"]),
    ("Australia/Lord_Howe", "02:00", ["2026-04-05", "2025-10-05"]),  # a 30-minute DST shift
    ("Asia/Kathmandu", "00:00", ["2026-01-01"]),  # +05:45
]


def test_the_browsers_days_match_the_servers_around_dst(page, live_server):
    page.goto("/login")
    cases = [(zone, start, day) for zone, start, dates in DAY_CASES for day in dates]
    answers = page.evaluate(
        """async (cases) => {
            const days = await import('/static/app/js/days.js');
            return cases.map(([zone, start, day]) => {
                days.useProfileDays({timezone: zone, day_starts_at: start});
                const begins = days.dayStart(day);
                return [begins.toISOString(), days.dayOf(begins), days.dayOf(new Date(begins.getTime() - 1000))];
            });
        }""",
        cases,
    )
    for (zone, start, day), (begins, day_of_start, day_before) in zip(cases, answers):
        minutes = int(start[:2]) * 60 + int(start[3:])
        expected = days.day_start(date.fromisoformat(day), ZoneInfo(zone), minutes)
        assert begins == expected.strftime("%Y-%m-%dT%H:%M:%S.000Z"), (zone, start, day)
        assert day_of_start == days.day_of(expected, ZoneInfo(zone), minutes).isoformat(), (zone, start, day)
        assert day_before == days.day_of(expected - timedelta(seconds=1), ZoneInfo(zone), minutes).isoformat(), (zone, start, day)
