"""axe-core over every page and state, on a desktop and a 360 px phone: no violations.

axe-core (Deque, MPL-2.0) is a test tool, not part of the app: one file,
vendored under tests/vendor/axe-core/ (see its README there), evaluated in
the page by Playwright. The app never serves it, so the "no request to another
origin" check is unchanged; and the pages keep their strict CSP during the run
(`page.add_script_tag` would insert an inline <script>, which that CSP rightly
blocks; Playwright's evaluate is not a page script, so it is allowed).
"""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8")
SIZES = {
    "desktop": {"viewport": {"width": 1200, "height": 900}},
    "360px": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}
# state → (address, what shows once the page has drawn it)
STATES = {
    "tracker-idle": ("/", "#label-buttons button"),
    "tracker-running": ("/", "#label-buttons button[aria-pressed=true]"),
    "timeline-day": ("/timeline", "#day-strip .strip-block"),
    "timeline-week": ("/timeline?view=week", "#week-view .strip-block"),
    "stats": ("/stats?range=week", "#stats-rows tr"),
    "labels": ("/labels", "#label-list li"),
    "account": ("/account", "#signed-in-as:not(:empty)"),
    "import": ("/import", "#signed-in-as:not(:empty)"),
    "query": ("/query", "#signed-in-as:not(:empty)"),
    "login": ("/login", "form"),
    "signup": ("/signup", "form"),
}
# WCAG 2.1 A and AA, and axe's best practices (landmarks, headings, regions).
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def axe_violations(page) -> list[str]:
    page.evaluate(AXE_SOURCE)
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)",
        RULES,
    )
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", STATES)
def test_axe_finds_no_violation(open_page, make_user, live_server, state, size):
    _, token = make_user(labels=["Reading", "Programming"], display_name="Ada")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    event = {"label": "Reading", "started_at": iso(now - timedelta(minutes=50)), "ended_at": iso(now - timedelta(minutes=20))}
    assert live_server.api("POST", "/events", event, token=token)[0] == 201
    assert live_server.api("PUT", "/goals/Reading", {"kind": "at_least", "minutes": 60, "per": "day"}, token=token)[0] == 200
    if state != "tracker-idle":
        assert live_server.api("POST", "/events/start", {"label": "Programming"}, token=token)[0] == 201
    signed_in = state not in ("login", "signup")
    page = open_page(token if signed_in else None, **SIZES[size])
    path, drawn = STATES[state]
    page.goto(path)
    page.locator(drawn).first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    found = axe_violations(page)
    assert found == []


def test_the_axe_run_can_fail(open_page):
    """The check itself works: an image without a text alternative is found."""
    page = open_page()
    page.goto("/login")
    expect(page.locator("form")).to_be_visible()
    page.evaluate("() => { const i = document.createElement('img'); i.src = '/static/app/icon-192.png'; document.querySelector('main').append(i); }")
    assert any(v.startswith("image-alt ") for v in axe_violations(page))
