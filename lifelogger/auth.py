"""Passwords, session tokens, and the ``login_required`` decorator.

Passwords: bcrypt over base64(SHA-256(password)). bcrypt reads at most 72
bytes (bcrypt 5 refuses longer secrets); the pre-hash lets a 128-emoji
password work and keeps two passwords that share their first 72 bytes apart.

Tokens: ``secrets.token_urlsafe(32)`` (256 bits), given to the client once;
the database keeps only their SHA-256, so a leaked database opens nothing.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import bcrypt
from flask import current_app, g, request
from flask_smorest import abort
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from lifelogger import timeutil
from lifelogger.extensions import db
from lifelogger.models import ApiToken, Session, User
from lifelogger.smorest import Blueprint

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
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_personal_token() -> tuple[str, str]:
    """A fresh personal access token and the hash to store for it."""
    token = PAT_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def open_session(user: User) -> str:
    """Create a session for the user and return its bearer token (shown once)."""
    token = secrets.token_urlsafe(32)
    db.session.add(Session(user_id=user.id, token_hash=hash_token(token)))
    return token


def close_session(session: Session) -> None:
    """End one session: its token stops working at once."""
    db.session.execute(delete(Session).where(Session.id == session.id))


def close_other_sessions(user: User, keep: Session | None) -> None:
    """End every session of the user except ``keep``."""
    query = delete(Session).where(Session.user_id == user.id)
    if keep is not None:
        query = query.where(Session.id != keep.id)
    db.session.execute(query)


def idle_timeout() -> timedelta:
    return timedelta(seconds=current_app.config["SESSION_IDLE_TIMEOUT"])


def last_seen_granularity() -> timedelta:
    """How stale ``last_seen_at`` may get before a request refreshes it.

    Writing on every request would cost a database write per API call; a
    minute (or a tenth of the timeout when that is shorter) keeps expiry exact
    to within that fraction.
    """
    return min(timedelta(minutes=1), idle_timeout() / 10)


def _bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@dataclass(frozen=True)
class Credential:
    """What authenticated a request: a login session, or a personal access token."""

    user: User
    session: Session | None  # None for a personal access token
    scope: str  # "session" (everything), "write" or "read"

    @property
    def may_write(self) -> bool:
        return self.scope in ("session", "write")


def authenticate(header: str | None) -> Credential:
    """Return the credential for an Authorization header, or abort with 401."""
    token = _bearer_token(header)
    if token is None:
        abort(401, message="Authentication required: send 'Authorization: Bearer <token>'.", headers=BEARER_CHALLENGE)
    if token.startswith(PAT_PREFIX):
        return _authenticate_personal_token(token)
    return _authenticate_session(token)


def _authenticate_session(token: str) -> Credential:
    session = db.session.scalar(select(Session).where(Session.token_hash == hash_token(token)))
    now = timeutil.now()
    if session is None or session.last_seen_at + idle_timeout() <= now:
        abort(
            401,
            message="Your session token is unknown or has expired. Log in again to get a new one.",
            headers=BEARER_CHALLENGE,
        )
    if now - session.last_seen_at >= last_seen_granularity():
        _touch(Session, session, "last_seen_at", now)
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
    if api_token.last_used_at is None or now - api_token.last_used_at >= timedelta(minutes=1):
        _touch(ApiToken, api_token, "last_used_at", now)
    return Credential(user=api_token.user, session=None, scope=api_token.scope)


def _touch(model, row, column: str, now) -> None:
    """Record a use of a session or token, in a transaction of its own.

    Ending the read transaction first matters on SQLite: a read transaction
    that later writes fails outright if another worker wrote in between,
    whereas a transaction that starts with the write waits for the lock.
    """
    db.session.commit()
    db.session.execute(
        update(model).where(model.id == row.id).values({column: now}),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    set_committed_value(row, column, now)


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


def current_user() -> User:
    """The user of the authenticated request."""
    return g.user


def current_session() -> Session:
    return g.session


def purge_expired_sessions() -> int:
    """Delete sessions idle past the timeout; return how many."""
    cutoff = timeutil.now() - idle_timeout()
    result = db.session.execute(delete(Session).where(Session.last_seen_at <= cutoff))
    return result.rowcount
