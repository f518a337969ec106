"""Accounts and sessions: registering, logging in and out."""
from __future__ import annotations

from functools import partial

from flask import after_this_request, current_app
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lifelogger.api.auth import BEARER_CHALLENGE
from lifelogger.blueprints.tokens.service import count_tokens
from lifelogger.db import db
from lifelogger.db.models import Session, User, normalize_username
from lifelogger.security import known_device, sessions
from lifelogger.security.passwords import check_password, hash_password

INVALID_CREDENTIALS = "Wrong username or password."


def user_named(username: str) -> User | None:
    """The account called ``username`` (in any case), or None."""
    return db.session.scalar(select(User).where(User.username == normalize_username(username)))


def taken(username: str) -> str:
    """The message for a username that is already in use."""
    return f"The username '{normalize_username(username)}' is taken; choose another."


def create_user(username: str, password: str, display_name: str | None = None, timezone: str = "UTC") -> User:
    """Create an account; 409 when the username (in any case) is taken."""
    username = normalize_username(username)
    if user_named(username) is not None:
        abort(409, message=taken(username))
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        timezone=timezone,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, message=taken(username))  # registered in between
    return user


def register(username: str, password: str, **profile) -> User:
    """Self-service sign-up, when the instance allows it."""
    if not current_app.config["ALLOW_REGISTRATION"]:
        abort(403, message="Registration is closed on this server; ask its administrator for an account.")
    return create_user(username, password, **profile)


def _dummy_hash() -> str:
    """A hash at the configured cost, so unknown usernames take as long as wrong passwords."""
    cache = current_app.extensions.setdefault("lifelogger_dummy_hash", {})
    if "hash" not in cache:
        cache["hash"] = hash_password("not a real password")
    return cache["hash"]


def login(username: str, password: str) -> dict:
    """Check credentials and open a session; one 401 for every kind of failure."""
    user = user_named(username)
    stored_hash = user.password_hash if user is not None else _dummy_hash()
    if not check_password(password, stored_hash) or user is None:
        abort(401, message=INVALID_CREDENTIALS, headers=BEARER_CHALLENGE)
    # Log-ins are rare next to API calls: a good moment to sweep dead sessions.
    sessions.purge_expired_sessions()
    token = sessions.open_session(user)
    db.session.commit()
    # This browser may now sign in as the user past the per-username failure limit.
    after_this_request(partial(known_device.remember, user=user))
    return {"token": token, "token_type": "Bearer", "expires_in": current_app.config["SESSION_IDLE_TIMEOUT"]}


def logout(session: Session) -> None:
    """End the current session."""
    sessions.close_session(session)
    db.session.commit()


def logout_everywhere(user: User) -> dict:
    """End every session of the user, the current one included; say how many, and how many personal tokens still work."""
    ended = sessions.close_other_sessions(user, keep=None)
    db.session.commit()
    return {"sessions_ended": ended, "personal_tokens_kept": count_tokens(user)}
