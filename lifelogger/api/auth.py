"""Who is asking: ``login_required`` and ``session_required``, and the request's user.

A request authenticates with ``Authorization: Bearer <token>``: a login
session's token (everything this account may do) or a personal access token
(``read`` or ``write`` scope, for scripts). A ``calendar`` token opens only
its feed URL (``authenticate_feed``), never through this header, because it
sits in a URL a calendar app stores in plain sight. The token's hash is looked up with
one ORM query that loads the user with it; ``current_user()`` is that ``User``
row, which services change and commit like any other.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, request
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from lifelogger.api.blueprint import AUTHENTICATION, Blueprint, outer_decorator
from lifelogger.core import timeutil
from lifelogger.core.http import SAFE_METHODS
from lifelogger.db import db, waiting_briefly_for_locks
from lifelogger.db.faults import is_database_unavailable
from lifelogger.db.models import ApiToken, Session, User
from lifelogger.security.sessions import session_limits
from lifelogger.security.tokens import bearer_token, hash_token, is_personal_token

log = logging.getLogger(__name__)

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lifelogger"'}
# The scope of a token that opens its calendar feed URL and nothing else.
CALENDAR_SCOPE = "calendar"
# How stale a personal token's last_used_at may get before a request refreshes it.
TOKEN_USE_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class Credential:
    """What authenticated a request: a login session, or a personal access token."""

    user: User
    session: Session | None  # None for a personal access token
    scope: str  # "session" (everything), "write", "read" or "calendar" (its feed only)

    @property
    def may_write(self) -> bool:
        return self.scope in ("session", "write")


def authenticate(header: str | None) -> Credential:
    """Return the credential for an Authorization header, or abort with 401."""
    token = bearer_token(header)
    if token is None:
        abort(401, message="Authentication required: send 'Authorization: Bearer <token>'.", headers=BEARER_CHALLENGE)
    if is_personal_token(token):
        return _authenticate_personal_token(token)
    return _authenticate_session(token)


def _authenticate_session(token: str) -> Credential:
    session = db.session.scalar(select(Session).where(Session.token_hash == hash_token(token)))
    now = timeutil.now()
    limits = session_limits()
    if session is None or limits.is_expired(session, now):
        abort(
            401,
            message="Your session token is unknown or has expired. Log in again to get a new one.",
            headers=BEARER_CHALLENGE,
        )
    if now - session.last_seen_at >= limits.refresh_after:
        _record_use(session, "last_seen_at", now)
    return Credential(user=session.user, session=session, scope="session")


def _authenticate_personal_token(token: str) -> Credential:
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    now = timeutil.now()
    if api_token is None or (api_token.expires_at is not None and api_token.expires_at <= now):
        abort(
            401,
            message="This personal access token is unknown, revoked or expired. Create a new one in the app.",
            headers=BEARER_CHALLENGE,
        )
    if api_token.last_used_at is None or now - api_token.last_used_at >= TOKEN_USE_GRANULARITY:
        _record_use(api_token, "last_used_at", now)
    return Credential(user=api_token.user, session=None, scope=api_token.scope)


def authenticate_feed(token: str) -> Credential:
    """The credential of a calendar feed URL's token, or 404.

    Only a ``calendar`` token opens a feed: a session or a read/write token
    put in a URL (where logs, bookmarks and calendar apps keep it) does not.
    Any other, unknown, revoked or expired token is "no such feed" (404),
    telling nothing about which tokens exist.
    """
    api_token = None
    if is_personal_token(token):
        api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    now = timeutil.now()
    if (
        api_token is None
        or api_token.scope != CALENDAR_SCOPE
        or (api_token.expires_at is not None and api_token.expires_at <= now)
    ):
        abort(404, message="No such calendar feed: its token is unknown, revoked or expired. Create a new feed in the app.")
    if api_token.last_used_at is None or now - api_token.last_used_at >= TOKEN_USE_GRANULARITY:
        _record_use(api_token, "last_used_at", now)
    return Credential(user=api_token.user, session=None, scope=CALENDAR_SCOPE)


def feed_token_required(view):
    """For a feed URL: the ``token`` path argument must be a calendar token; sets ``current_user()``.

    Like ``login_required``, it goes above the ``@blp`` decorators.
    """

    @functools.wraps(view)
    @outer_decorator(AUTHENTICATION)
    def wrapper(*args, token, **kwargs):
        g.credential = authenticate_feed(token)
        return view(*args, **kwargs)

    return Blueprint.doc(security=[], responses={"404": "NOT_FOUND"})(wrapper)


def _record_use(row: Session | ApiToken, column: str, now: datetime) -> None:
    """Record a use of a session or token, in a transaction of its own (before the view's).

    The lookup's read transaction is ended first: on SQLite a read
    transaction that later writes fails outright if another worker wrote in
    between, whereas one that starts with the write waits for the lock.
    (Objects stay loaded: the session does not expire them on commit.)

    The record is worth less than the request it rides on: when the database
    is busy or not writable, it is skipped after a brief wait (the next request
    tries again) and the request goes on; a write request then meets the
    fault in its own transaction and answers 503.
    """
    db.session.commit()
    setattr(row, column, now)
    try:
        with waiting_briefly_for_locks():
            db.session.commit()
    except OperationalError as error:
        if not is_database_unavailable(error):
            raise
        db.session.rollback()
        log.info("skipped recording a use of a %s: %s", type(row).__name__, error.orig)


def login_required(view):
    """Require a session token or a personal access token; sets ``current_user()``.

    A read-scoped token may only read: any other method answers 403. It goes
    above the ``@blp`` decorators (authentication before input validation, and
    the OpenAPI operation gains the Bearer scheme and its 401); anywhere else
    the app refuses to start (``api.blueprint.check_decorator_order``).
    """
    return _authenticating(view, session_only=False)


def session_required(view):
    """Require a login session: personal access tokens are refused with 403.

    For managing the account itself (tokens, password, logout), so a leaked
    script token cannot mint more tokens or lock its owner out.
    """
    return _authenticating(view, session_only=True)


def _authenticating(view, *, session_only: bool):
    @functools.wraps(view)
    @outer_decorator(AUTHENTICATION)
    def wrapper(*args, **kwargs):
        credential = authenticate(request.headers.get("Authorization"))
        if credential.scope == CALENDAR_SCOPE:
            abort(403, message="A calendar token opens only its feed URL (/api/v1/feeds/<token>/calendar.ics), nothing else.")
        if session_only and credential.session is None:
            abort(403, message="This needs a login session token, not a personal access token: log in to the app.")
        if request.method not in SAFE_METHODS and not credential.may_write:
            abort(403, message="This token has the 'read' scope only; changing data needs a 'write' token or a login session.")
        g.credential = credential
        return view(*args, **kwargs)

    return Blueprint.doc(security=[{"bearerAuth": []}], responses={"401": "UNAUTHORIZED", "403": "FORBIDDEN"})(wrapper)


def public(view):
    """Document an operation anyone may call (``security: []``): register, log in, health.

    An operation says who may call it: ``login_required``, ``session_required``
    or this; tests/test_openapi.py holds every operation to one of them.
    """
    return Blueprint.doc(security=[])(view)


def current_credential() -> Credential:
    """The credential of the authenticated request; a RuntimeError in a view without ``login_required``."""
    credential = g.get("credential")
    if credential is None:
        raise RuntimeError("No authenticated user: the view needs @login_required (or @session_required) above it.")
    return credential


def current_user() -> User:
    """The user of the authenticated request (their ``users`` row)."""
    return current_credential().user


def current_session() -> Session | None:
    """The login session of the request; None for a personal access token."""
    return current_credential().session
