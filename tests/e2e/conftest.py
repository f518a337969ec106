"""Browser tests: Playwright drives Debian's Chromium against a live server.

The server is the real app (werkzeug, threaded) on 127.0.0.1 and a free port,
over a temporary SQLite database built by the migrations. Every test gets a
fresh browser context (so an empty sessionStorage) and fails if the page logs a
console error, throws, or requests anything from another origin.

The browser's time zone is chosen so that it is around noon there while the
tests run (one of the fixed-offset Etc/GMT zones): the journey's events then
never straddle a local midnight, whatever time of day CI runs.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil

import pytest

from lifelogger.db import db
from tests.support.api import PASSWORD
from tests.live_server import serving
from tests.support.browser import LiveServer, PageWatch, migrated_app, noon_zone

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing_tools() -> list[str]:
    missing = [] if os.access(CHROMIUM, os.X_OK) else [CHROMIUM]
    return missing + ([] if shutil.which("curl") else ["curl"])


def pytest_collection_modifyitems(config, items):
    """Without Chromium: skip where apt-get cannot install it, fail where it could have."""
    missing = _missing_tools()
    if not missing:
        return
    here = os.path.dirname(__file__)
    browser_items = [item for item in items if str(item.path).startswith(here)]
    if shutil.which("apt-get"):
        mark = pytest.mark.usefixtures("_browser_tools_required")
    else:
        mark = pytest.mark.skip(
            reason=f"browser tests need {' and '.join(missing)}; this machine has no apt-get to install them "
            "(on Debian/Ubuntu, `make test` installs them)"
        )
    for item in browser_items:
        item.add_marker(mark)


@pytest.fixture
def _browser_tools_required():
    pytest.fail(f"{' and '.join(_missing_tools())} missing: run `make test`, which installs them with apt-get (target browser-deps)")


# --- The live server ----------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    app = migrated_app(tmp_path_factory.mktemp("live"))
    with serving(app) as url:
        yield LiveServer(app, url)
    with app.app_context():
        db.engine.dispose()


_user_numbers = itertools.count(1)


@pytest.fixture
def make_user(live_server, browser_context_args):
    """``make_user(labels=[...])`` → (username, token) of a new user on the live server.

    Their profile's time zone is the browser's, as signing up in the app makes it.
    """

    def make(labels=(), display_name=None) -> tuple[str, str]:
        username = f"user{next(_user_numbers)}"
        return username, live_server.make_user(username, labels, display_name, browser_context_args["timezone_id"])

    return make


# --- pytest-playwright configuration ----------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    # Replaces pytest-playwright 0.10's fallback base_url fixture, which pytest >= 9.2
    # flags with PytestRemovedIn10Warning (an error under filterwarnings=error).
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": noon_zone(),
        "reduced_motion": "reduce",
        "viewport": {"width": 1200, "height": 900},
    }


# --- What every page must not do ----------------------------------------------------------


@pytest.fixture
def watch(page, live_server):
    """Fails the test on console errors or requests to other origins."""
    watcher = PageWatch(live_server.url)
    watcher.attach(page)
    yield watcher
    assert watcher.foreign_requests == [], "requests to other origins"
    assert watcher.unexpected_errors() == [], "console errors"


@pytest.fixture
def login(page, live_server, watch):
    """``login(username)``: log in through the login form; lands on the tracker."""

    def do(username: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(live_server.url + "/")

    return do


@pytest.fixture
def open_page(browser, browser_context_args, live_server):
    """``open_page(token=None, **context_options)``: a page in a new context, optionally logged in.

    For tests that need another viewport or time zone than ``page`` has. The
    same checks as ``watch`` apply to every page opened this way.
    """
    contexts, watchers = [], []

    def open_(token: str | None = None, **options):
        context = browser.new_context(**{**browser_context_args, **options})
        contexts.append(context)
        if token:
            context.add_init_script(f"sessionStorage.setItem('lifelogger.token', {json.dumps(token)})")
        page = context.new_page()
        watcher = PageWatch(live_server.url)
        watcher.attach(page)
        watchers.append(watcher)
        page.watch = watcher
        return page

    yield open_
    for context in contexts:
        context.close()
    for watcher in watchers:
        assert watcher.foreign_requests == [], "requests to other origins"
        assert watcher.unexpected_errors() == [], "console errors"
