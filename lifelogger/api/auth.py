"""Passwords, session tokens, and the ``login_required`` decorator.

Passwords: bcrypt over base64(SHA-256(password)). bcrypt reads at most 72
bytes (bcrypt 5 refuses longer secrets); the pre-hash lets a 128-emoji
password work and keeps two passwords that share their first 72 bytes apart.

Tokens: ``secrets.token_urlsafe(32)`` (256 bits), given to the client once;
the database keeps only their SHA-256, so a leaked database opens nothing.

Every API call looks its token up, so that lookup is kept cheap: one SELECT
compiled once, run straight on a driver connection (``row_lookup``) and read into
frozen snapshots (``AuthenticatedUser`` and friends) rather than ORM objects;
the ORM's per-query work was more than half of a ``GET /me``
(docs/performance.md). The request's user is therefore read-only: a service
that changes the account loads its row with ``account_of(user)``.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import secrets
from dataclasses import dataclass, make_dataclass
from datetime import datetime, timedelta

import bcrypt
from flask import current_app, g, request
from flask_smorest import abort
from sqlalchemy import bindparam, delete, or_, select, update

from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import ApiToken, Session, User
from lifelogger.row_lookup import RowLookup
from lifelogger.api.blueprint import Blueprint

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lifelogger"'}
# Personal access tokens carry a prefix so leaked-secret scanners recognise them.
PAT_PREFIX = "llpat_"


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    """A bcrypt hash of the password, at the configured cost."""
    rounds = current_app.config["BCRYPT_ROUNDS"]
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    """True when the password matches the stored hash."""
    return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    # surrogatepass: whatever a header held, an unknown token is a 401, not a 500.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_personal_token() -> tuple[str, str]:
    """A fresh personal access token and the hash to store for it."""
    token = PAT_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def open_session(user: User) -> str:
    """Create a session for the user and return its bearer token (shown once)."""
    token = secrets.token_urlsafe(32)
    db.session.add(Session(user_id=user.id, token_hash=hash_token(token)))
    return token


def close_session(session: Session | AuthenticatedSession) -> None:
    """End one session: its token stops working at once."""
    db.session.execute(delete(Session).where(Session.id == session.id))


def close_other_sessions(user, keep: Session | AuthenticatedSession | None) -> None:
    """End every session of the user except ``keep``."""
    query = delete(Session).where(Session.user_id == user.id)
    if keep is not None:
        query = query.where(Session.id != keep.id)
    db.session.execute(query)


@dataclass(frozen=True)
class SessionLimits:
    """How long sessions live (``SESSION_IDLE_TIMEOUT``, ``SESSION_MAX_AGE``)."""

    idle_timeout: timedelta
    max_age: timedelta  # from log-in, however active
    # How stale ``last_seen_at`` may get before a request refreshes it. Writing
    # on every request would cost a database write per API call; a minute (or a
    # tenth of the timeout when that is shorter) keeps expiry exact to within that.
    refresh_after: timedelta

    def is_expired(self, last_seen_at: datetime, created_at: datetime, now: datetime) -> bool:
        """True when a session sat idle too long or is older than the maximum age."""
        return last_seen_at + self.idle_timeout <= now or created_at + self.max_age <= now


@functools.lru_cache(maxsize=16)
def _limits(idle_seconds: int, max_age_seconds: int) -> SessionLimits:
    idle = timedelta(seconds=idle_seconds)
    return SessionLimits(idle, timedelta(seconds=max_age_seconds), min(timedelta(minutes=1), idle / 10))


def session_limits() -> SessionLimits:
    """The app's session limits (read on every authenticated request, so built once per setting)."""
    config = current_app.config
    return _limits(config["SESSION_IDLE_TIMEOUT"], config["SESSION_MAX_AGE"])


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme in any case), or None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# The request's user: every column of ``users``, read-only (a frozen dataclass,
# so an attempt to change it fails loudly instead of being silently lost).
AuthenticatedUser = make_dataclass("AuthenticatedUser", [column.key for column in User.__table__.columns], frozen=True)
AuthenticatedUser.__module__ = __name__
AuthenticatedUser.__doc__ = "The user of a request as read when its token was checked; change it via account_of()."


@dataclass(frozen=True)
class AuthenticatedSession:
    """The login session a request's token belongs to."""

    id: int
    user_id: int
    last_seen_at: datetime


@dataclass(frozen=True)
class Credential:
    """What authenticated a request: a login session, or a personal access token."""

    user: AuthenticatedUser
    session: AuthenticatedSession | None  # None for a personal access token
    scope: str  # "session" (everything), "write" or "read"

    @property
    def may_write(self) -> bool:
        return self.scope in ("session", "write")


def account_of(user) -> User:
    """The user's row, to change: the request's user is a read-only snapshot."""
    account = db.session.get(User, user.id)
    if account is None:  # deleted since the token was checked
        abort(401, message="Your account no longer exists.", headers=BEARER_CHALLENGE)
    return account


_users, _sessions, _api_tokens = User.__table__, Session.__table__, ApiToken.__table__
_SESSION_BY_HASH = RowLookup(
    select(_sessions.c.id, _sessions.c.last_seen_at, _sessions.c.created_at, *_users.c)
    .join(_users, _users.c.id == _sessions.c.user_id)
    .where(_sessions.c.token_hash == bindparam("token_hash"))
)
_API_TOKEN_BY_HASH = RowLookup(
    select(_api_tokens.c.id, _api_tokens.c.scope, _api_tokens.c.last_used_at, _api_tokens.c.expires_at, *_users.c)
    .join(_users, _users.c.id == _api_tokens.c.user_id)
    .where(_api_tokens.c.token_hash == bindparam("token_hash"))
)


def authenticate(header: str | None) -> Credential:
    """Return the credential for an Authorization header, or abort with 401."""
    token = bearer_token(header)
    if token is None:
        abort(401, message="Authentication required: send 'Authorization: Bearer <token>'.", headers=BEARER_CHALLENGE)
    if token.startswith(PAT_PREFIX):
        return _authenticate_personal_token(token)
    return _authenticate_session(token)


def _authenticate_session(token: str) -> Credential:
    row = _SESSION_BY_HASH.first(token_hash=hash_token(token))
    now = timeutil.now()
    limits = session_limits()
    if row is None or limits.is_expired(row[1], row[2], now):
        abort(
            401,
            message="Your session token is unknown or has expired. Log in again to get a new one.",
            headers=BEARER_CHALLENGE,
        )
    session_id, last_seen_at, _created_at, *user_values = row
    user = AuthenticatedUser(*user_values)
    if now - last_seen_at >= limits.refresh_after:
        _touch(Session, session_id, "last_seen_at", now)
        last_seen_at = now
    return Credential(user=user, session=AuthenticatedSession(session_id, user.id, last_seen_at), scope="session")


def _authenticate_personal_token(token: str) -> Credential:
    row = _API_TOKEN_BY_HASH.first(token_hash=hash_token(token))
    now = timeutil.now()
    if row is None or (row[3] is not None and row[3] <= now):
        abort(
            401,
            message="This personal access token is unknown, revoked or expired. Create a new one in the app.",
            headers=BEARER_CHALLENGE,
        )
    token_id, scope, last_used_at, _expires_at, *user_values = row
    if last_used_at is None or now - last_used_at >= timedelta(minutes=1):
        _touch(ApiToken, token_id, "last_used_at", now)
    return Credential(user=AuthenticatedUser(*user_values), session=None, scope=scope)


def _touch(model, row_id: int, column: str, now: datetime) -> None:
    """Record a use of a session or token, in a transaction of its own (before the view's).

    Starting the transaction with the write matters on SQLite: a read
    transaction that later writes fails outright if another worker wrote in
    between, whereas one that starts with the write waits for the lock.
    """
    db.session.execute(
        update(model).where(model.id == row_id).values({column: now}),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DOC = {"security": [{"bearerAuth": []}], "responses": {"401": "UNAUTHORIZED", "403": "FORBIDDEN"}}


def login_required(view):
    """Require a session token or a personal access token; sets ``g.user``.

    A read-scoped token may only read: any other method answers 403. Put it
    above the ``@blp`` decorators: authentication comes before input
    validation, and the OpenAPI operation gains the Bearer scheme and its 401.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        credential = authenticate(request.headers.get("Authorization"))
        if request.method not in _SAFE_METHODS and not credential.may_write:
            abort(403, message="This token has the 'read' scope only; changing data needs a 'write' token or a login session.")
        _set_credential(credential)
        return view(*args, **kwargs)

    return Blueprint.doc(**_DOC)(wrapper)


def session_required(view):
    """Require a login session: personal access tokens are refused with 403.

    For managing the account itself (tokens, password, logout), so a leaked
    script token cannot mint more tokens or lock its owner out.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        credential = authenticate(request.headers.get("Authorization"))
        if credential.session is None:
            abort(403, message="This needs a login session token, not a personal access token: log in to the app.")
        _set_credential(credential)
        return view(*args, **kwargs)

    return Blueprint.doc(**_DOC)(wrapper)


def _set_credential(credential: Credential) -> None:
    g.credential = credential
    g.session = credential.session
    g.user = credential.user


def current_user() -> AuthenticatedUser:
    """The user of the authenticated request: every column of ``users``, read-only.

    To change the account, load its row with ``account_of(current_user())``.
    """
    return g.user


def current_session() -> AuthenticatedSession | None:
    return g.session


def purge_expired_sessions() -> int:
    """Delete sessions idle past the timeout or older than the maximum age; return how many.

    Same rule as ``SessionLimits.is_expired``, in one statement; the caller commits.
    """
    now = timeutil.now()
    limits = session_limits()
    result = db.session.execute(
        delete(Session).where(or_(Session.last_seen_at <= now - limits.idle_timeout, Session.created_at <= now - limits.max_age)),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
