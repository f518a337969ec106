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
import urllib.error
import urllib.request
from datetime import datetime, timezone

import pytest

from lifelogger import create_app
from lifelogger.db import db
from tests.support.api import PASSWORD
from tests.support.config import base_config
from tests.live_server import serving

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


class LiveServer:
    """The app served on 127.0.0.1:<free port>, and a way to call its API directly."""

    def __init__(self, app, url: str):
        self.app = app
        self.url = url

    def api(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, dict | None]:
        """Call the API directly (to set up data or check the app's effect)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "/api/v1" + path, data=data, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")

    def make_user(self, username: str, labels=(), display_name: str | None = None, timezone: str | None = None) -> str:
        """Register a user with labels (and a time zone, as sign-up sends); return a token of theirs."""
        body = {"username": username, "password": PASSWORD}
        if display_name:
            body["display_name"] = display_name
        if timezone:
            body["timezone"] = timezone
        assert self.api("POST", "/auth/register", body)[0] == 201
        status, answer = self.api("POST", "/auth/login", {"username": username, "password": PASSWORD})
        assert status == 200
        for label in labels:
            assert self.api("POST", "/labels", {"name": label}, token=answer["token"])[0] == 201
        return answer["token"]


def migrated_app(folder, **config):
    """The app on a new SQLite database in ``folder``, built by the migrations."""
    from flask_migrate import upgrade

    app = create_app(base_config(f"sqlite:///{folder / 'live.sqlite3'}", **config))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


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


def noon_zone(now: datetime | None = None) -> str:
    """A fixed-offset IANA zone where it is between 11:30 and 12:30 now."""
    now = now or datetime.now(timezone.utc)
    offset = 12 - round(now.hour + now.minute / 60)  # -11 … +12
    if offset == 0:
        return "UTC"
    # POSIX-style names: Etc/GMT-3 is three hours *ahead* of UTC.
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


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


# What Chromium logs for a request made while the network is off.
OFFLINE_ERROR = "net::ERR_INTERNET_DISCONNECTED"


class PageWatch:
    """Console errors, uncaught exceptions and requests to other origins of one page."""

    def __init__(self, origin: str):
        self.origin = origin
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.allowed_statuses: set[int] = set()
        self.allowed_network_errors: set[str] = set()
        self.offline = False
        self.offline_errors: list[str] = []  # the expected ones, logged while set_offline was on

    def attach(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self._on_error(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("request", self._on_request)

    def _on_error(self, text: str) -> None:
        if self.offline and text.startswith("Failed to load resource") and text.endswith(": " + OFFLINE_ERROR):
            self.offline_errors.append(text)
        else:
            self.errors.append(text)

    def set_offline(self, context, offline: bool) -> None:
        """Switch the context's network off or on (Playwright's offline mode).

        While it is off, a request cut short (one under way as the network
        went, or sent by a page that still believes navigator.onLine) fails
        with net::ERR_INTERNET_DISCONNECTED, which Chromium logs as a console
        error: expected then, and only then; any other error still fails the test.
        """
        if offline:
            self.offline = True
            context.set_offline(True)
        else:
            context.set_offline(False)
            self.offline = False

    def _on_request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith("data:") or url.startswith("blob:")):
            self.foreign_requests.append(url)

    def allow_http_errors(self, *statuses: int) -> None:
        """Chromium logs every 4xx answer as a console error; accept these in this test."""
        self.allowed_statuses.update(statuses)

    def allow_network_errors(self, *names: str) -> None:
        """Chromium logs a request that gets no answer (e.g. net::ERR_INTERNET_DISCONNECTED); accept these."""
        self.allowed_network_errors.update(names)

    def unexpected_errors(self) -> list[str]:
        allowed = tuple(f"the server responded with a status of {status}" for status in self.allowed_statuses)
        allowed += tuple(f": {name}" for name in self.allowed_network_errors)
        return [e for e in self.errors if not (e.startswith("Failed to load resource") and any(a in e for a in allowed))]


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
