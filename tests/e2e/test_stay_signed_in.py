"""Issue 16, "Tap, don't type": a browser kept signed in stays signed in, and loses nothing typed.

A server of its own, whose sessions expire after IDLE_SECONDS idle, so a test
can wait past the timeout; every context is a browser profile (its cookies and
localStorage; sessionStorage is per tab). With LIFELOGGER_TEST_DATABASE_URL set
(PostgreSQL) the server runs on a scratch database of that server, built by the
migrations; otherwise on an SQLite file.
"""
from __future__ import annotations

import itertools
import os
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from lifelogger.db import db
from tests.live_server import serving
from tests.support.api import PASSWORD
from tests.support.browser import LiveServer, PageWatch, migrated_app
from tests.support.config import base_config
from tests.support.databases import scratch_database

IDLE_SECONDS = 3
COOKIE = "lifelogger_device"
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stay-signed-in")
    suite_url = os.environ.get("LIFELOGGER_TEST_DATABASE_URL")
    if not suite_url:
        app = migrated_app(folder, SESSION_IDLE_TIMEOUT=IDLE_SECONDS)
        with serving(app) as url:
            yield LiveServer(app, url)
        with app.app_context():
            db.engine.dispose()
        return
    from flask_migrate import upgrade

    from lifelogger import create_app

    with scratch_database(suite_url, folder, "stay") as database_url:
        app = create_app(base_config(database_url, SESSION_IDLE_TIMEOUT=IDLE_SECONDS))
        with app.app_context():
            upgrade()
        with serving(app) as url:
            yield LiveServer(app, url)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def profile(browser, browser_context_args, server):
    """``profile(**options)`` → (context, watch): a browser profile on this module's server.

    Every page of it is watched like ``watch`` (console errors, other origins).
    """
    opened = []

    def open_(**options):
        context = browser.new_context(**{**browser_context_args, "base_url": server.url, **options})
        watch = PageWatch(server.url)
        context.on("page", watch.attach)
        opened.append((context, watch))
        return context, watch

    yield open_
    for context, _ in opened:
        context.close()
    for _, watch in opened:
        assert watch.foreign_requests == [], "requests to other origins"
        assert watch.unexpected_errors() == [], "console errors"


def new_user(server, browser_context_args, labels=("Reading",)) -> tuple[str, str]:
    """A new user on the server: (username, an API token of theirs)."""
    username = f"kept{next(_numbers)}"
    return username, server.make_user(username, labels, f"Kept {username}", browser_context_args["timezone_id"])


def log_in(page, server, username: str, keep: bool = True) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    expect(page.get_by_label("Keep me signed in on this device")).to_be_checked()  # the default
    if not keep:
        page.get_by_label("Keep me signed in on this device").uncheck()
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server.url + "/")


def expect_signed_in(page, server, username: str, path: str = "/") -> None:
    expect(page).to_have_url(server.url + path)
    expect(page.locator("#signed-in-as")).to_have_text(f"Kept {username}")


def expect_login_form(page) -> None:
    expect(page).to_have_url(re.compile(r"/login(\?.*)?$"))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def device_cookie(context) -> dict:
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    return cookie


def test_sign_up_lands_on_the_tracker_and_every_new_tab_and_reopened_browser_is_signed_in(profile, server):
    context, _ = profile()
    page = context.new_page()
    page.goto("/signup")
    expect(page.get_by_label("Username")).to_be_focused()
    page.get_by_label("Username").fill("Grace")
    page.get_by_label("Display name").fill("Grace Hopper")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    expect(page.get_by_label("Keep me signed in on this device")).to_be_checked()
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(server.url + "/")  # no login form after sign-up
    expect(page.locator("#signed-in-as")).to_have_text("Grace Hopper")
    cookie = device_cookie(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/api/v1/auth/refresh"
    assert page.evaluate("document.cookie") == ""  # script cannot read it

    second_tab = context.new_page()  # its own, empty sessionStorage
    second_tab.goto("/stats")
    expect(second_tab).to_have_url(server.url + "/stats")
    expect(second_tab.locator("#signed-in-as")).to_have_text("Grace Hopper")
    assert second_tab.evaluate("sessionStorage.getItem('lifelogger.token')") != page.evaluate(
        "sessionStorage.getItem('lifelogger.token')"
    )

    # The browser closed and reopened: cookies and localStorage stay, no tab survives.
    state = context.storage_state()
    context.close()
    reopened, _ = profile(storage_state=state)
    page = reopened.new_page()
    page.goto("/")
    expect(page).to_have_url(server.url + "/")
    expect(page.locator("#signed-in-as")).to_have_text("Grace Hopper")


def test_without_keep_me_signed_in_a_new_tab_asks_for_the_password(profile, server, browser_context_args):
    username, _ = new_user(server, browser_context_args)
    context, _ = profile()
    page = context.new_page()
    log_in(page, server, username, keep=False)
    assert [c for c in context.cookies() if c["name"] == COOKIE] == []
    tab = context.new_page()
    tab.goto("/")
    expect_login_form(tab)


def test_after_the_idle_timeout_a_tap_and_a_typed_entry_go_through_without_a_login_form(profile, server, browser_context_args):
    username, token = new_user(server, browser_context_args, labels=("Reading", "Cooking"))
    context, watch = profile()
    watch.allow_http_errors(401)  # the expired token's answers, before the refresh
    page = context.new_page()
    log_in(page, server, username)
    expect(page.get_by_role("button", name="Start Reading")).to_be_visible()

    page.wait_for_timeout((IDLE_SECONDS + 1.5) * 1000)  # the tab's session token expires
    page.get_by_role("button", name="Start Reading").click()
    expect(page.locator("#now-label")).to_have_text("Reading")
    token = fresh_token(server, username)
    until(page, lambda: (server.api("GET", "/events/current", token=token)[1]["event"] or {}).get("label") == "Reading")

    page.get_by_role("link", name="Timeline").click()
    form = page.locator("#add-event-form")
    yesterday = datetime.now() - timedelta(days=1)
    form.get_by_label("Label").select_option("Cooking")
    form.get_by_label("Start").fill(f"{yesterday:%Y-%m-%d}T09:00:00")
    form.get_by_label("End").fill(f"{yesterday:%Y-%m-%d}T10:00:00")
    form.get_by_label("Note").fill("typed before the timeout")
    page.wait_for_timeout((IDLE_SECONDS + 1.5) * 1000)
    form.get_by_role("button", name="Add event").click()
    expect(page).to_have_url(re.compile(r"/timeline"))
    start = (yesterday - timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    end = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT00:00:00Z")

    def cooking_notes():
        listing = server.api("GET", f"/events?start={start}&end={end}", token=fresh_token(server, username))[1]
        return [e["note"] for e in listing["events"] if e["label"] == "Cooking"]

    until(page, lambda: cooking_notes() == ["typed before the timeout"])
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)


def until(page, condition, seconds: float = 10) -> None:
    """Wait for the server to show what the page sent (the page answers before the server has it)."""
    for _ in range(int(seconds * 5)):
        if condition():
            return
        page.wait_for_timeout(200)
    assert condition()


def fresh_token(server, username: str) -> str:
    status, answer = server.api("POST", "/auth/login", {"username": username, "password": PASSWORD})
    assert status == 200
    return answer["token"]


def test_a_device_signed_out_from_the_account_needs_the_password_again(profile, server, browser_context_args):
    username, _ = new_user(server, browser_context_args)
    phone, phone_watch = profile()
    phone_watch.allow_http_errors(401)  # its session and device end under it
    phone_page = phone.new_page()
    log_in(phone_page, server, username)
    laptop, _ = profile()
    laptop_page = laptop.new_page()
    log_in(laptop_page, server, username)

    laptop_page.get_by_role("link", name="Account").click()
    rows = laptop_page.locator("#device-list > li")
    expect(rows).to_have_count(2)
    this_device = laptop_page.locator(".this-device")
    expect(rows.filter(has=this_device)).to_have_count(1)
    rows.filter(has_not=this_device).get_by_role("button", name=re.compile("^Sign out")).click()
    expect(rows).to_have_count(1)

    phone_page.get_by_role("button", name="Start Reading").click()  # its open tab: the session ended too
    expect_login_form(phone_page)
    new_tab = phone.new_page()
    new_tab.goto("/")
    expect_login_form(new_tab)
    expect_signed_in(laptop_page, server, username, "/account")  # the laptop is not touched


def test_sign_out_everywhere_signs_this_and_every_other_browser_out(profile, server, browser_context_args):
    username, _ = new_user(server, browser_context_args)
    other, other_watch = profile()
    other_watch.allow_http_errors(401)
    log_in(other.new_page(), server, username)
    context, _ = profile()
    page = context.new_page()
    log_in(page, server, username)
    page.get_by_role("link", name="Account").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign out everywhere").click()
    expect_login_form(page)
    for browser_profile in (context, other):
        tab = browser_profile.new_page()
        tab.goto("/")
        expect_login_form(tab)


def test_a_replayed_old_device_credential_is_refused_and_ends_that_device(profile, server, browser_context_args):
    username, _ = new_user(server, browser_context_args)
    victim, victim_watch = profile()
    victim_watch.allow_http_errors(401)
    log_in(victim.new_page(), server, username)
    stolen = device_cookie(victim)

    tab = victim.new_page()  # the owner opens a tab: the credential is replaced
    tab.goto("/")
    expect_signed_in(tab, server, username)
    assert device_cookie(victim)["value"] != stolen["value"]

    thief, thief_watch = profile()
    thief_watch.allow_http_errors(401)
    thief.add_cookies([stolen])
    thief.add_init_script("try { localStorage.setItem('lifelogger.kept-signed-in', '1'); } catch {}")
    thief_page = thief.new_page()
    thief_page.goto("/")
    expect_login_form(thief_page)

    # The replay ended the device: its owner needs the password too, in a new tab and in the open one.
    new_tab = victim.new_page()
    new_tab.goto("/")
    expect_login_form(new_tab)
    tab.get_by_role("button", name="Start Reading").click()
    expect_login_form(tab)


# --- No typed input is lost (drafts.js) -----------------------------------------------------------

RESTORED = "Restored what you typed before you were signed out or lost the connection"


def fill_forgotten_event(page, note: str) -> None:
    form = page.locator("#add-event-form")
    yesterday = datetime.now() - timedelta(days=1)
    form.get_by_label("Label").select_option("Cooking")
    form.get_by_label("Start").fill(f"{yesterday:%Y-%m-%d}T09:00:00")
    form.get_by_label("End").fill(f"{yesterday:%Y-%m-%d}T10:00:00")
    form.get_by_label("Note").fill(note)


def test_without_a_kept_device_a_typed_entry_survives_the_login_form_and_is_sent_after(profile, server, browser_context_args):
    username, _ = new_user(server, browser_context_args, labels=("Reading", "Cooking"))
    context, watch = profile()
    watch.allow_http_errors(401)
    page = context.new_page()
    log_in(page, server, username, keep=False)
    page.goto("/timeline")
    fill_forgotten_event(page, "soup, typed slowly")
    page.wait_for_timeout((IDLE_SECONDS + 1.5) * 1000)
    page.locator("#add-event-form").get_by_role("button", name="Add event").click()

    expect_login_form(page)  # no device credential: the password is needed
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(server.url + "/timeline")
    expect(page.locator("#notice")).to_contain_text(RESTORED)
    form = page.locator("#add-event-form")
    expect(form.get_by_label("Note")).to_have_value("soup, typed slowly")
    expect(form.get_by_label("Label")).to_have_value("Cooking")
    form.get_by_role("button", name="Add event").click()
    expect(page.locator("#notice")).to_contain_text("Added a Cooking event")

    page.reload()  # sent: the draft is gone
    expect(page.locator("#signed-in-as")).to_have_text(f"Kept {username}")
    expect(page.locator("#add-event-form").get_by_label("Note")).to_have_value("")
    expect(page.locator("#notice")).not_to_contain_text(RESTORED)


def test_a_draft_is_never_shown_to_another_person_signing_in_on_the_same_tab(profile, server, browser_context_args):
    owner, _ = new_user(server, browser_context_args, labels=("Cooking",))
    other, _ = new_user(server, browser_context_args, labels=("Cooking",))
    context, watch = profile()
    watch.allow_http_errors(401)
    page = context.new_page()
    log_in(page, server, owner, keep=False)
    page.goto("/timeline")
    fill_forgotten_event(page, "my private note")
    page.wait_for_timeout((IDLE_SECONDS + 1.5) * 1000)
    page.locator("#add-event-form").get_by_role("button", name="Add event").click()
    expect_login_form(page)

    page.get_by_label("Username").fill(other)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Keep me signed in on this device").uncheck()
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(server.url + "/timeline")
    expect(page.locator("#signed-in-as")).to_have_text(f"Kept {other}")
    expect(page.locator("#add-event-form").get_by_label("Label")).to_have_value("Cooking")  # the page is ready
    expect(page.locator("#add-event-form").get_by_label("Note")).to_have_value("")
    expect(page.locator("#notice")).not_to_contain_text(RESTORED)
    assert "my private note" not in page.content()


def test_a_rename_typed_into_a_form_the_page_builds_comes_back_when_that_form_is_opened_again(profile, server, browser_context_args):
    username, _ = new_user(server, browser_context_args, labels=("Reading",))
    context, watch = profile()
    watch.allow_http_errors(401)
    page = context.new_page()
    log_in(page, server, username, keep=False)
    page.goto("/labels")
    page.get_by_role("button", name="Rename Reading").click()
    page.get_by_label("New name for Reading").fill("Reading books")
    page.wait_for_timeout((IDLE_SECONDS + 1.5) * 1000)
    page.get_by_role("button", name="Save").click()

    expect_login_form(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(server.url + "/labels")
    page.get_by_role("button", name="Rename Reading").click()
    expect(page.get_by_label("New name for Reading")).to_have_value("Reading books")
    expect(page.locator("#notice")).to_contain_text(RESTORED)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#label-list")).to_contain_text("Reading books")
