"""Helpers of the browser tests (tests/e2e): the live server's handle, the page watcher, the browser's zone."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timezone

from lifelogger import create_app
from lifelogger.db import db
from tests.support.api import PASSWORD
from tests.support.config import base_config


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


def noon_zone(now: datetime | None = None) -> str:
    """A fixed-offset IANA zone where it is between 11:30 and 12:30 now."""
    now = now or datetime.now(timezone.utc)
    offset = 12 - round(now.hour + now.minute / 60)  # -11 … +12
    if offset == 0:
        return "UTC"
    # POSIX-style names: Etc/GMT-3 is three hours *ahead* of UTC.
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


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
