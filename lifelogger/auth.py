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
from datetime import timedelta

import bcrypt
from flask import current_app, g, request
from flask_smorest import abort
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from lifelogger import timeutil
from lifelogger.extensions import db
from lifelogger.models import Session, User
from lifelogger.smorest import Blueprint

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lifelogger"'}


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


def authenticate(header: str | None) -> Session:
    """Return the live session for an Authorization header, or abort with 401."""
    token = _bearer_token(header)
    if token is None:
        abort(401, message="Authentication required: send 'Authorization: Bearer <token>'.", headers=BEARER_CHALLENGE)
    session = db.session.scalar(select(Session).where(Session.token_hash == hash_token(token)))
    now = timeutil.now()
    if session is None or session.last_seen_at + idle_timeout() <= now:
        abort(
            401,
            message="Your session token is unknown or has expired. Log in again to get a new one.",
            headers=BEARER_CHALLENGE,
        )
    if now - session.last_seen_at >= last_seen_granularity():
        _touch(session, now)
    return session


def _touch(session: Session, now) -> None:
    """Reset the idle timer, in a transaction of its own.

    Ending the read transaction first matters on SQLite: a read transaction
    that later writes fails outright if another worker wrote in between,
    whereas a transaction that starts with the write waits for the lock.
    """
    db.session.commit()
    db.session.execute(
        update(Session).where(Session.id == session.id).values(last_seen_at=now),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    set_committed_value(session, "last_seen_at", now)


def login_required(view):
    """Require a valid session token; sets ``g.session`` and ``g.user``.

    Put it above the ``@blp`` decorators: authentication comes before input
    validation, and the OpenAPI operation gains the Bearer scheme and its 401.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        session = authenticate(request.headers.get("Authorization"))
        g.session = session
        g.user = session.user
        return view(*args, **kwargs)

    return Blueprint.doc(security=[{"bearerAuth": []}], responses={"401": "UNAUTHORIZED"})(wrapper)


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
