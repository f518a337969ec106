"""The browser app beyond the main journey: safety, phones, expiry, errors, accessibility."""
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.support.api import PASSWORD

XSS = "<img src=x onerror=alert(1)>"
PAGES = ["/", "/timeline", "/stats", "/labels", "/account", "/query", "/import"]


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def local_today(page) -> datetime:
    """Local midnight of today in the page's time zone, as an aware datetime."""
    zone = ZoneInfo(page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone"))
    return datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)


def test_a_label_that_looks_like_html_is_shown_as_text(page, live_server, make_user, login):
    username, token = make_user(labels=[XSS, "Reading"], display_name="<b>Bold</b> & co")
    dialogs, requests = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    login(username)
    expect(page.locator("#signed-in-as")).to_have_text("<b>Bold</b> & co")
    page.get_by_role("button", name=f"Start {XSS}").click()
    expect(page.locator("#now-label")).to_have_text(XSS)
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#now-label")).to_have_text("Nothing running.")
    for path in ("/", "/labels", "/timeline", "/stats"):
        page.goto(path)
        expect(page.locator("main").get_by_text(XSS).first).to_be_visible()
        assert page.locator("main img, main b").count() == 0, path
    assert dialogs == []
    assert "/x" not in requests


def test_the_tracker_works_on_a_360_px_wide_touch_screen(open_page, live_server, make_user):
    _, token = make_user(labels=["Exercise", "Programming", "Reading", "Sleep", "A rather long label name"])
    page = open_page(token, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.goto("/")
    buttons = page.locator("#label-buttons button")
    expect(buttons).to_have_count(5)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for index in range(5):
        box = buttons.nth(index).bounding_box()
        assert box["width"] >= 120 and box["height"] >= 48, "a thumb-sized target"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.get_by_role("button", name="Start Reading").tap()
    expect(page.locator("#now-label")).to_have_text("Reading")
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    assert stop.bounding_box()["width"] >= 300
    page.wait_for_timeout(1100)
    stop.tap()
    expect(page.locator("#now-label")).to_have_text("Nothing running.")
    for path in PAGES[1:]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} scrolls sideways"


def test_an_expired_session_returns_to_login_saying_why_and_back(page, live_server, make_user, login, watch):
    watch.allow_http_errors(401)
    username, _ = make_user(labels=["Reading"])
    login(username)
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=2).first).not_to_be_empty()
    token = page.evaluate("sessionStorage.getItem('lifelogger.token')")
    assert live_server.api("POST", "/auth/logout", token=token)[0] == 204  # as if it had expired

    page.get_by_role("button", name="Previous day").click()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Ftimeline%3Fdate%3D\d{4}-\d\d-\d\d$"))
    expect(page.get_by_role("status")).to_have_text("Your session has expired or was ended. Log in again to continue.")
    assert page.evaluate("sessionStorage.getItem('lifelogger.token')") is None

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/timeline\?date=\d{4}-\d\d-\d\d$"))


def test_a_tap_after_expiry_starts_nothing(page, live_server, make_user, login, watch):
    watch.allow_http_errors(401)
    username, api_token = make_user(labels=["Reading"])
    login(username)
    start = page.get_by_role("button", name="Start Reading")
    expect(start).to_be_visible()
    token = page.evaluate("sessionStorage.getItem('lifelogger.token')")
    live_server.api("POST", "/auth/logout", token=token)
    start.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text("Your session has expired")
    assert live_server.api("GET", "/events/current", token=api_token)[1]["event"] is None


def test_the_login_page_says_when_credentials_are_wrong(page, live_server, watch):
    watch.allow_http_errors(401)
    page.goto("/login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Enter your username and your password.")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("whatever-it-is")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_sign_up_shows_the_apis_reasons(page, live_server, make_user, watch):
    watch.allow_http_errors(409, 422)
    taken, _ = make_user()
    page.goto("/signup")
    page.get_by_label("Username").fill(taken)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_have_text(f"The username '{taken}' is taken; choose another.")
    page.get_by_label("Username").fill("x!")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("Username: Use 3 to 32 characters")
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Password again").fill("something else")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_have_text("The two passwords differ; type the same password twice.")


def test_the_forms_hold_the_schemas_limits_in_the_browser(page, live_server, make_user, login):
    """Chromium takes the schema's username pattern (compiled with the v flag), and the forms the scripts build read limits.js."""
    from lifelogger.ui.limits import read_limits

    limits = read_limits()
    page.goto("/signup")
    field = page.get_by_label("Username")

    def validity(value: str) -> list[bool]:
        field.fill(value)
        return field.evaluate("(input) => [input.validity.patternMismatch, input.validity.valid]")

    assert validity("ab!") == [True, False]
    assert validity("good.name-1") == [False, True]

    username, _ = make_user(labels=["Reading"])
    login(username)
    page.get_by_role("link", name="Labels").click()
    page.get_by_role("button", name="Rename Reading").click()
    expect(page.get_by_label("New name for Reading")).to_have_attribute("maxlength", str(limits["label"]["name"]["max_length"]))
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Set a goal for Reading").click()
    minutes = page.get_by_label("Minutes")
    expect(minutes).to_have_attribute("min", str(limits["goal"]["minutes"]["min"]))
    expect(minutes).to_have_attribute("max", str(limits["goal"]["minutes"]["max"]))


def test_labels_are_renamed_and_a_used_label_is_not_deleted(page, live_server, make_user, login, watch):
    watch.allow_http_errors(409)
    username, token = make_user(labels=["Reading", "Spare"])
    now = datetime.now(timezone.utc).replace(microsecond=0)
    live_server.api("POST", "/events", {"label": "Reading", "started_at": iso(now - timedelta(minutes=30)), "ended_at": iso(now - timedelta(minutes=10))}, token=token)
    login(username)
    page.get_by_role("link", name="Labels").click()
    page.on("dialog", lambda dialog: dialog.accept())

    page.get_by_role("button", name="Delete Reading").click()
    row = page.locator("#label-list li", has_text="Reading")
    expect(row.get_by_role("alert")).to_have_text(
        "Label 'Reading' cannot be deleted: 1 event uses it. Rename it, or move or delete those events first."
    )

    page.get_by_role("button", name="Rename Reading").click()
    page.get_by_label("New name for Reading").fill("Books")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Renamed Reading to Books.")
    expect(page.get_by_role("button", name="Rename Books")).to_be_focused()

    page.get_by_role("button", name="Delete Spare").click()
    expect(page.get_by_role("status")).to_have_text("Deleted Spare.")
    expect(page.locator("#label-list li")).to_have_count(1)

    page.get_by_label("New label", exact=True).fill("books")
    page.get_by_role("button", name="Add label").click()
    expect(page.locator("#add-label-error")).to_have_text("You already have a label named 'books' (names ignore case).")

    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("#event-list li")).to_contain_text("Books")


def test_the_timeline_explains_overlaps_and_bad_times_in_words(page, live_server, make_user, login, watch):
    watch.allow_http_errors(409, 422)
    username, token = make_user(labels=["Reading", "Cooking"])
    login(username)
    yesterday = local_today(page) - timedelta(days=1)
    nine = yesterday.replace(hour=9)
    body = {"label": "Reading", "started_at": iso(nine), "ended_at": iso(nine + timedelta(hours=1))}
    assert live_server.api("POST", "/events", body, token=token)[0] == 201

    page.goto("/timeline")
    page.get_by_role("button", name="Previous day").click()
    expect(page.locator("#day-heading")).to_contain_text(f"{yesterday.day} ")
    expect(page.locator("#event-list li")).to_have_count(1)
    expect(page.locator("#event-list li")).to_contain_text("09:00–10:00")

    form = page.locator("#add-event-form")
    form.get_by_label("Label").select_option("Cooking")
    form.get_by_label("Start").fill(f"{yesterday:%Y-%m-%d}T09:30:00")
    form.get_by_label("End").fill(f"{yesterday:%Y-%m-%d}T10:30:00")
    form.get_by_role("button", name="Add event").click()
    expect(form.get_by_role("alert")).to_have_text(
        "These times overlap your Reading event 09:00–10:00. Events cannot overlap; change the times or that event first."
    )

    form.get_by_label("Start").fill(f"{yesterday:%Y-%m-%d}T12:00:00")
    form.get_by_label("End").fill(f"{yesterday:%Y-%m-%d}T11:00:00")
    form.get_by_role("button", name="Add event").click()
    expect(form.get_by_role("alert")).to_have_text("Invalid event times: end must be after start.")
    expect(form.get_by_label("End")).to_have_attribute("aria-invalid", "true")

    form.get_by_label("End").fill(f"{yesterday:%Y-%m-%d}T12:45:00")
    form.get_by_label("Note").fill(f"Soup {XSS}")
    form.get_by_role("button", name="Add event").click()
    expect(page.locator("#event-list li")).to_have_count(2)
    expect(page.locator("#event-list li").nth(1)).to_contain_text("12:00–12:45")
    expect(page.locator("#event-list li").nth(1).locator(".event-note")).to_have_text(f"Soup {XSS}")
    assert page.locator("main img").count() == 0

    page.get_by_role("button", name="Edit Cooking 12:00–12:45").click()
    page.locator("#event-list").get_by_label("Note").fill("Soup and bread")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#event-list li").nth(1).locator(".event-note")).to_have_text("Soup and bread")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Cooking 12:00–12:45").click()
    expect(page.get_by_role("status")).to_have_text("Deleted the Cooking event.")
    expect(page.locator("#event-list li")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete Reading 09:00–10:00").click()
    expect(page.locator("#event-list li")).to_have_count(1)


def test_the_account_page_changes_name_and_password(page, live_server, make_user, login, watch):
    watch.allow_http_errors(403)
    username, other_token = make_user(display_name="Old Name")
    login(username)
    page.get_by_role("link", name="Account").click()
    expect(page.locator("#profile-username")).to_have_text(username)
    page.get_by_label("Display name").fill("New Name")
    page.get_by_role("button", name="Save display name").click()
    expect(page.get_by_role("status")).to_have_text("Display name saved.")
    expect(page.locator("#signed-in-as")).to_have_text("New Name")

    page.get_by_label("Current password").fill("not it at all")
    page.get_by_label("New password", exact=True).fill("a brand new secret")
    page.get_by_label("New password again").fill("a brand new secret")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#password-form").get_by_role("alert")).to_have_text(
        "The current password is wrong; the password was not changed."
    )
    kept = live_server.api("POST", "/tokens", {"name": "kept", "scope": "read", "password": PASSWORD}, token=other_token)[1]
    page.get_by_label("Current password").fill(PASSWORD)
    expect(page.get_by_label("Keep my personal tokens")).not_to_be_checked()
    page.get_by_label("Keep my personal tokens").check()
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_have_text("Password changed. Your other sessions were logged out; your personal tokens still work.")
    assert live_server.api("GET", "/me", token=other_token)[0] == 401
    assert live_server.api("GET", "/me", token=kept["token"])[0] == 200
    status, _ = live_server.api("POST", "/auth/login", {"username": username, "password": "a brand new secret"})
    assert status == 200


def test_a_password_change_revokes_personal_tokens_unless_kept(page, live_server, make_user, login):
    username, token = make_user()
    script = live_server.api("POST", "/tokens", {"name": "cron", "scope": "read", "password": PASSWORD}, token=token)[1]
    login(username)
    page.goto("/account")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a brand new secret")
    page.get_by_label("New password again").fill("a brand new secret")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_have_text("Password changed. Your other sessions were logged out and your personal tokens revoked.")
    assert live_server.api("GET", "/me", token=script["token"])[0] == 401


def test_revoke_all_tokens_on_the_account_page(page, live_server, make_user, login):
    username, token = make_user()
    scripts = [live_server.api("POST", "/tokens", {"name": f"t{n}", "scope": "read", "password": PASSWORD}, token=token)[1] for n in range(2)]
    login(username)
    page.goto("/account")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Revoke all tokens").click()
    assert all(live_server.api("GET", "/me", token=s["token"])[0] == 200 for s in scripts)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke all tokens").click()
    expect(page.get_by_role("status")).to_have_text("All your personal tokens were revoked.")
    assert all(live_server.api("GET", "/me", token=s["token"])[0] == 401 for s in scripts)
    assert live_server.api("GET", "/tokens", token=token)[1] == {"tokens": []}


def test_copy_puts_the_token_on_the_clipboard(page, live_server, make_user, login):
    username, _ = make_user()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(username)
    page.goto("/query")
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#token-copied")).to_have_text("Token copied to the clipboard.")
    token = page.evaluate("sessionStorage.getItem('lifelogger.token')")
    assert page.evaluate("navigator.clipboard.readText()") == token
    page.get_by_role("button", name="Reveal").click()
    page.get_by_role("button", name="Hide").click()
    expect(page.locator("#token-value")).to_have_text("••••••••••••••••")


@pytest.mark.parametrize("path", PAGES + ["/login", "/signup"])
def test_every_control_has_a_name_and_text_has_aa_contrast(page, live_server, make_user, login, path):
    username, token = make_user(labels=["Reading", "Programming"])
    now = datetime.now(timezone.utc).replace(microsecond=0)
    live_server.api("POST", "/events", {"label": "Reading", "started_at": iso(now - timedelta(minutes=30)), "ended_at": iso(now - timedelta(minutes=10))}, token=token)
    # Everything a page can show: goal bars, the forgotten-timer warning, a personal token.
    assert live_server.api("PUT", "/goals/Reading", {"kind": "at_least", "minutes": 60, "per": "day"}, token=token)[0] == 200
    assert live_server.api("PUT", "/goals/Programming", {"kind": "at_most", "minutes": 1, "per": "week"}, token=token)[0] == 200
    assert live_server.api("PATCH", "/me", {"forgotten_after_minutes": 1}, token=token)[0] == 200
    assert live_server.api("POST", "/events/start", {"label": "Programming", "started_at": iso(now - timedelta(minutes=5))}, token=token)[0] == 201
    assert live_server.api("POST", "/tokens", {"name": "cron", "scope": "read", "password": PASSWORD}, token=token)[0] == 201
    if path not in ("/login", "/signup"):
        login(username)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    unnamed = page.evaluate(UNNAMED_CHECK)
    assert unnamed == []
    low = page.evaluate(CONTRAST_CHECK)
    assert low == []
    # The checks themselves can fail: a probe without a name and in pale grey is caught.
    page.evaluate(
        """() => { const b = document.createElement('button'); document.querySelector('main').append(b);
                   const p = document.createElement('p'); p.textContent = 'probe'; p.style.color = '#aaaaaa';
                   document.querySelector('main').append(p); }"""
    )
    assert len(page.evaluate(UNNAMED_CHECK)) == 1
    assert [text for text in page.evaluate(CONTRAST_CHECK) if '"probe"' in text]


UNNAMED_CHECK = """() => [...document.querySelectorAll('button, input, select, textarea, a[href]')]
            .filter(el => el.offsetParent !== null)
            .filter(el => {
                const name = el.getAttribute('aria-label') || (el.labels && [...el.labels].map(l => l.textContent).join(''))
                    || (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent : '');
                return !name.trim();
            }).map(el => el.outerHTML.slice(0, 80))"""


def test_keyboard_focus_is_visible(page, live_server, make_user, login):
    username, _ = make_user(labels=["Reading"])
    login(username)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    assert page.get_by_role("link", name="Skip to content").bounding_box()["y"] >= 0
    button = page.get_by_role("button", name="Start Reading")
    for _ in range(20):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    expect(button).to_be_focused()
    style = button.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert style[0] == "solid" and style[1] >= 2
    page.keyboard.press("Enter")
    expect(page.locator("#now-label")).to_have_text("Reading")


# WCAG 2.x contrast of every visible text against the background behind it:
# 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
CONTRAST_CHECK = """() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return {rgb: m.slice(0, 3), a: m.length > 3 ? m[3] : 1}; };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg.a > 0.5) return bg.rgb;
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (!el.checkVisibility() || el.closest('.visually-hidden, .offscreen, .skip-link, noscript')) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const fg = parse(style.color).rgb, bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return failures;
}"""


def test_the_tracker_asks_about_a_forgotten_timer(page, live_server, make_user, login):
    username, token = make_user(labels=["Reading"])
    assert live_server.api("PATCH", "/me", {"forgotten_after_minutes": 1}, token=token)[0] == 200
    two_minutes_ago = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=2)
    assert live_server.api("POST", "/events/start", {"label": "Reading", "started_at": iso(two_minutes_ago)}, token=token)[0] == 201
    login(username)
    warning = page.locator("#forgotten")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("did you forget to stop it?")
    expect(page.locator("#now-elapsed")).to_contain_text(re.compile(r"^0:0[23]:"))
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(warning).to_be_hidden()
