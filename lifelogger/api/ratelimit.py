"""Throttling of log-ins and registrations, with Flask-Limiter.

- ``POST /auth/login``: every attempt counts against the client's address
  (``LIFELOGGER_RATELIMIT_LOGIN_PER_IP``; each attempt costs a bcrypt hash, so
  this also caps the CPU one address can burn), and *failed* attempts count
  against the username tried (``LIFELOGGER_RATELIMIT_LOGIN_FAILURES_PER_USERNAME``),
  known or not, so a 429 tells nothing about which accounts exist. A browser
  that has signed in as that user before (``security/known_device.py``'s cookie)
  is exempt from this one limit, so guesses from elsewhere cannot lock the owner out.
- ``POST /auth/register``: every attempt counts against the client's address.
- ``POST /auth/refresh``: every attempt counts against the client's address
  (``LIFELOGGER_RATELIMIT_REFRESH_PER_IP``): each new tab refreshes once, a
  guesser of device credentials many times.
- ``POST /me/password`` and ``POST /tokens``: a wrong current password counts
  against the session token that sent it (``LIFELOGGER_RATELIMIT_PASSWORD_FAILURES_PER_SESSION``),
  one count for both, so a stolen session cannot guess its way to the password
  (the one thing it cannot otherwise change, and what a personal token needs).

Over a limit the answer is 429 in the API's error shape, with ``Retry-After``.
The client's address is ``request.remote_addr``: ProxyFix (``LIFELOGGER_PROXY_FIX``)
sets it from ``X-Forwarded-For`` for the configured number of trusted proxies
only; the header itself is never read here, so a client cannot pick its address.

Counts live in ``LIFELOGGER_RATELIMIT_STORAGE_URI``: ``memory://`` counts per
worker process; ``redis://...`` shares one count between workers and hosts.

A limit that counts only some answers (failures) is charged up front, with
the moving window's one atomic check-and-add (a Lua script on Redis), and refunded
after the response when the answer does not count. (Flask-Limiter's own
``deduct_when`` tests first and counts after the view: sixteen parallel
guesses all pass the test before any is counted.)

Views declare their limits with ``@throttled(...)``; ``init_app`` builds one
``Limiter`` per app and wraps that app's throttled views. (A module-level
Limiter keeps its storage and on/off switch on the instance, shared by every
app a process builds: tests and fuzzers build many, with different settings.)
"""
from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Callable

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter, RateLimitExceeded
from limits.storage import MemoryStorage, RedisStorage

from lifelogger.api import api
from lifelogger.api.blueprint import Blueprint
from lifelogger.db.models import normalize_username
from lifelogger.security import known_device
from lifelogger.security.tokens import bearer_token, hash_token

EXTENSION_KEY = "lifelogger_limiter"
_MARK = "_lifelogger_throttles"
_REFUNDABLE = "_lifelogger_refundable"  # on flask.g: key value -> does this answer count?


def client_address() -> str:
    """The rate-limit key of the client's address (as ProxyFix left it)."""
    return f"ip:{request.remote_addr or 'unknown'}"


def _tried_username() -> str | None:
    """The username field of the log-in body, or None."""
    try:
        body = request.get_json(silent=True)
    except Exception:  # noqa: BLE001 - 413, RecursionError...: the view answers those.
        # A key function must not raise: Flask-Limiter would take any error
        # for a storage outage and fall back to counting in memory.
        body = None
    username = body.get("username") if isinstance(body, dict) else None
    return username if isinstance(username, str) else None


def login_username() -> str:
    """The rate-limit key of the username a log-in tries, case-insensitive.

    Hashed, so a megabyte of username is still a short key. A body without a
    username gets a shared key; such a request is a 422 and never counted.
    """
    username = _tried_username()
    if username is None:
        return "user:-"
    return "user:" + hashlib.sha256(normalize_username(username).encode("utf-8", "surrogatepass")).hexdigest()


def known_device_of_login() -> bool:
    """True when this browser has signed in before as the username this log-in tries."""
    username = _tried_username()
    return username is not None and len(username) <= 256 and known_device.vouches_for(username)


def session_token() -> str:
    """The rate-limit key of the request's bearer token: its stored hash, read as
    authentication reads the header, so spelling the header differently ("bearer",
    extra spaces) cannot start a fresh count for the same token."""
    return "token:" + hash_token(bearer_token(request.headers.get("Authorization")) or "")


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def _wrong_current_password(response: Response) -> bool:
    return response.status_code == 403


@dataclass(frozen=True)
class Throttle:
    """One limit: the setting holding its rate, what it counts per, and its 429 message."""

    setting: str
    key: Callable[[], str]
    message: str
    count_only: Callable[[Response], bool] | None = None  # None: every attempt counts
    shared_by: str | None = None  # one count for every view with this throttle, not one per view
    exempt: Callable[[], bool] | None = None  # True: this request is neither counted nor refused


LOGIN_PER_IP = Throttle("RATELIMIT_LOGIN_PER_IP", client_address, "Too many log-in attempts from your address.")
LOGIN_FAILURES_PER_USERNAME = Throttle(
    "RATELIMIT_LOGIN_FAILURES_PER_USERNAME",
    login_username,
    "Too many failed log-ins for this username.",
    count_only=_failed_login,
    exempt=known_device_of_login,
)
REGISTER_PER_IP = Throttle("RATELIMIT_REGISTER_PER_IP", client_address, "Too many registrations from your address.")
REFRESH_PER_IP = Throttle("RATELIMIT_REFRESH_PER_IP", client_address, "Too many sign-in refreshes from your address.")
PASSWORD_FAILURES_PER_SESSION = Throttle(
    "RATELIMIT_PASSWORD_FAILURES_PER_SESSION",
    session_token,
    "Too many wrong current passwords from this session.",
    count_only=_wrong_current_password,
    shared_by="password-check",
)


def throttled(*throttles: Throttle):
    """Mark a view method as limited by ``throttles`` (applied by ``init_app``); document its 429."""

    def mark(view):
        setattr(view, _MARK, getattr(view, _MARK, ()) + throttles)
        return Blueprint.doc(responses={"429": "TOO_MANY_REQUESTS"})(view)

    return mark


def _rate(setting: str) -> Callable[[], str]:
    return lambda: current_app.config[setting]


def init_app(app: Flask) -> None:
    """Create this app's Limiter (from the ``RATELIMIT_*`` config) and wrap its throttled views."""
    if not app.config["RATELIMIT_ENABLED"]:
        return
    limiter = Limiter(key_func=client_address, app=app)
    app.extensions[EXTENSION_KEY] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    if not app.blueprints:
        raise RuntimeError("ratelimit.init_app must run after the blueprints are registered: it wraps their throttled views.")
    for endpoint, view in list(app.view_functions.items()):
        view_class = getattr(view, "view_class", None)
        for method in sorted(getattr(view_class, "methods", None) or ()):
            for throttle in getattr(getattr(view_class, method.lower(), None), _MARK, ()):
                options = dict(
                    key_func=_refundable(throttle) if throttle.count_only else throttle.key,
                    methods=[method],
                    exempt_when=throttle.exempt,
                    error_message=throttle.message,
                )
                if throttle.shared_by:
                    view = limiter.shared_limit(_rate(throttle.setting), throttle.shared_by, **options)(view)
                else:
                    view = limiter.limit(_rate(throttle.setting), **options)(view)
        app.view_functions[endpoint] = view
    app.after_request(_refund_what_does_not_count)


def _refundable(throttle: Throttle) -> Callable[[], str]:
    """``throttle``'s key function, noting that its charge is refunded unless the answer counts."""

    def key() -> str:
        value = throttle.key()
        g.setdefault(_REFUNDABLE, {})[value] = throttle.count_only
        return value

    return key


def _refund_what_does_not_count(response: Response) -> Response:
    """Give back the up-front charge of each count-only limit whose answer does not count (a success, a 422, a 429)."""
    refundable = g.pop(_REFUNDABLE, None)
    if not refundable:
        return response
    limiter = current_app.extensions[EXTENSION_KEY]
    for charged in limiter.current_limits:
        counts = next((refundable[value] for value in charged.request_args if value in refundable), None)
        # A breached limit took no entry: nothing to give back.
        if counts is not None and not charged.breached and not counts(response):
            try:
                # limiter.limiter: the in-memory fallback's while Redis is away.
                _release_newest_entry(limiter.limiter.storage, charged.key)
            except Exception:  # noqa: BLE001 - Redis gone mid-request: the answer stands, one entry stays counted
                current_app.logger.warning("Could not refund a rate-limit entry for %s", charged.key, exc_info=True)
    return response


def _release_newest_entry(storage, key: str) -> None:
    """Undo one moving-window ``acquire_entry`` (``RATELIMIT_STRATEGY`` is moving-window).

    The ``limits`` package has no release; its moving window is a newest-first
    list in both stores we support (a Redis list, pushed on the left; a Python
    list in memory), so giving one back drops its head.
    """
    if isinstance(storage, MemoryStorage):
        with storage.locks[key]:
            entries = storage.events.get(key)
            if entries:
                entries.pop(0)
    elif isinstance(storage, RedisStorage):
        storage.get_connection().lpop(storage.prefixed_key(key))
    else:  # config refuses other stores; fail loudly rather than count successes
        raise RuntimeError(f"No way to refund a rate-limit entry in {type(storage).__name__}.")


def _too_many_requests(error: RateLimitExceeded):
    """429 in the API's error shape, saying when to come back."""

    breached = current_app.extensions[EXTENSION_KEY].current_limit
    if breached is None:  # not expected: every 429 here comes from a breached limit
        retry_after = 60
    else:
        # reset_at is rounded up to a whole second; never say more than the window.
        retry_after = min(max(1, math.ceil(breached.reset_at - time.time())), breached.limit.get_expiry())
    error.data = {
        "message": f"{error.description} Try again in {retry_after} seconds.",
        "headers": {"Retry-After": str(retry_after)},
    }
    return api.handle_http_exception(error)
