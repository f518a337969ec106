"""Screenshots of the main screens, desktop and 360 px wide, with a week of sample data.

`make screenshots` writes them to docs/screenshots/ (LIFELOGGER_SCREENSHOTS_DIR);
a normal test run writes them to a temporary folder, so this code keeps working.
"""
import os
import struct
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest


SCREENS = {
    "tracker": "/",
    "timeline": "/timeline",  # today's strip of blocks and the list
    "timeline-week": "/timeline?view=week",  # seven strips
    "stats": None,  # the sample week: per-day bars, durations in h:mm and minutes
    "stats-year": "/stats?range=year",  # twelve monthly bars
    "query": "/query",
    "import": "/import",
}
DATA = Path(__file__).resolve().parent.parent / "data"
SIZES = {"desktop": {"width": 1280, "height": 860}, "360px": {"width": 360, "height": 780}}

# A plausible day: (label, local start, local end); Programming is running from 11:00.
DAY = [
    ("Sleep", time(0, 0), time(7, 0)),
    ("Exercise", time(7, 0), time(7, 40)),
    ("Cooking", time(7, 40), time(8, 10)),
    ("Commute", time(8, 10), time(8, 40)),
    ("Programming", time(8, 40), time(10, 30)),
    ("Reading", time(10, 30), time(11, 0)),
]
VARIATION = [0, 25, -20, 40, -15, 10, 55]  # minutes moved from Programming to Reading, per day


@pytest.fixture
def sample_user(live_server, make_user, browser_context_args):
    """A user with a week of events in the browser's time zone, Programming running."""
    username, token = make_user(
        labels=["Commute", "Cooking", "Exercise", "Programming", "Reading", "Sleep"], display_name="Jacob"
    )
    zone = ZoneInfo(browser_context_args["timezone_id"])
    today = datetime.now(zone).date()
    for back in range(6, -1, -1):
        day = today - timedelta(days=back)
        shift = VARIATION[back]
        for label, start, end in DAY:
            start_at = datetime.combine(day, start, zone)
            end_at = datetime.combine(day, end, zone)
            if label == "Programming":
                end_at -= timedelta(minutes=shift)
            if label == "Reading":
                start_at -= timedelta(minutes=shift)
            if back == 0 and label == "Reading":
                end_at = start_at + timedelta(minutes=25)
            body = {"label": label, "started_at": iso(start_at), "ended_at": iso(end_at)}
            if back == 0 and label == "Programming":
                body["note"] = "Stats page: bars per day"
            assert live_server.api("POST", "/events", body, token=token)[0] == 201, body
        if back:
            evening = datetime.combine(day, time(19, 0), zone)
            body = {"label": "Reading", "started_at": iso(evening), "ended_at": iso(evening + timedelta(minutes=50 + shift))}
            assert live_server.api("POST", "/events", body, token=token)[0] == 201
    status, _ = live_server.api("POST", "/events/start", {"label": "Programming"}, token=token)
    assert status == 201
    for label, goal in {
        "Exercise": {"kind": "at_least", "minutes": 45, "per": "day"},
        "Programming": {"kind": "at_least", "minutes": 600, "per": "week"},
        "Reading": {"kind": "at_most", "minutes": 420, "per": "week"},
    }.items():
        assert live_server.api("PUT", f"/goals/{label}", goal, token=token)[0] == 200
    return token, today


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_main_screens(open_page, sample_user, size, tmp_path):
    token, today = sample_user
    folder = Path(os.environ.get("LIFELOGGER_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    mobile = size == "360px"
    page = open_page(token, viewport=SIZES[size], is_mobile=mobile, has_touch=mobile)
    week_ago = today - timedelta(days=6)
    for screen, path in SCREENS.items():
        page.goto(path or f"/stats?from={week_ago}&to={today}")
        page.wait_for_load_state("networkidle")
        if screen == "tracker":
            page.locator("#now-label .label-name").wait_for()
        if screen == "tracker":
            page.locator("#goal-list li").first.wait_for()
        if screen.startswith("stats"):
            page.locator("#stats-rows tr").first.wait_for()
        if screen.startswith("timeline"):
            page.locator(".strip-block").first.wait_for()
        if screen == "import":  # a dry run's report
            page.get_by_label("It is an export of").select_option("toggl-csv")
            page.get_by_label("Time zone of the file's times").select_option("Europe/Berlin")
            page.get_by_label("File to import").set_input_files(str(DATA / "toggl.csv"))
            page.get_by_role("button", name="Check the file (dry run)").click()
            page.get_by_role("button", name="Import for real").wait_for()
            page.evaluate("document.activeElement.blur()")
        target = folder / f"{screen}-{size}.png"
        # The query page is long: its top on a phone, all of it on a desktop.
        page.screenshot(path=str(target), full_page=not (mobile and screen == "query"))
        width, height = png_size(target)
        assert width == SIZES[size]["width"], f"{screen} is wider than the screen"
        assert height >= SIZES[size]["height"]
