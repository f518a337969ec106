"""Accounts and sessions: registering, logging in and out."""
from __future__ import annotations

from flask import current_app
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lifelogger.api import auth
from lifelogger.db import db
from lifelogger.db.models import Session, User

INVALID_CREDENTIALS = "Wrong username or password."


def create_user(username: str, password: str, display_name: str | None = None, timezone: str = "UTC") -> User:
    """Create an account; 409 when the username (in any case) is taken."""
    username = username.lower()
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=auth.hash_password(password),
        timezone=timezone,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, message=f"The username '{username}' is taken; choose another.")
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
        cache["hash"] = auth.hash_password("not a real password")
    return cache["hash"]


def login(username: str, password: str) -> dict:
    """Check credentials and open a session; one 401 for every kind of failure."""
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    stored_hash = user.password_hash if user is not None else _dummy_hash()
    if not auth.check_password(password, stored_hash) or user is None:
        abort(401, message=INVALID_CREDENTIALS, headers=auth.BEARER_CHALLENGE)
    # Log-ins are rare next to API calls: a good moment to sweep dead sessions.
    auth.purge_expired_sessions()
    token = auth.open_session(user)
    db.session.commit()
    return {"token": token, "token_type": "Bearer", "expires_in": current_app.config["SESSION_IDLE_TIMEOUT"]}


def logout(session: Session) -> None:
    """End the current session."""
    auth.close_session(session)
    db.session.commit()


def logout_everywhere(user: User) -> None:
    """End every session of the user, the current one included."""
    auth.close_other_sessions(user, keep=None)
    db.session.commit()
