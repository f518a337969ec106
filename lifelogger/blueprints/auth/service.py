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
from lifelogger.db.models import Device, Session, User, normalize_username
from lifelogger.security import devices, known_device, sessions
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


def login(username: str, password: str, remember: bool = False, user_agent: str | None = None) -> tuple[dict, str | None]:
    """Check credentials and open a session (and, with ``remember``, sign the device in).

    Returns the token answer and the new device credential (None without
    ``remember``). One 401 for every kind of failure.
    """
    user = user_named(username)
    stored_hash = user.password_hash if user is not None else _dummy_hash()
    if not check_password(password, stored_hash) or user is None:
        abort(401, message=INVALID_CREDENTIALS, headers=BEARER_CHALLENGE)
    # Log-ins are rare next to API calls: a good moment to sweep dead sessions and devices.
    sessions.purge_expired_sessions()
    devices.purge_idle_devices()
    device, credential = devices.open_device(user, user_agent) if remember else (None, None)
    token = sessions.open_session(user, device.id if device else None)
    db.session.commit()
    # This browser may now sign in as the user past the per-username failure limit.
    after_this_request(partial(known_device.remember, user=user))
    return _token_answer(token), credential


def _token_answer(token: str) -> dict:
    return {"token": token, "token_type": "Bearer", "expires_in": current_app.config["SESSION_IDLE_TIMEOUT"]}


NOT_SIGNED_IN_HERE = "This browser is not signed in (or was signed out): log in with your password."


def refresh(credential: str | None) -> tuple[dict, str]:
    """A new session for a signed-in device, and the device's next credential; 401 otherwise."""
    used = devices.use_device(credential)
    db.session.commit()  # a rotation, or the end of a replayed device
    if used is None:
        abort(401, message=NOT_SIGNED_IN_HERE)
    device, next_credential = used
    token = sessions.open_session(device.user, device.id)
    db.session.commit()
    return {**_token_answer(token), "username": device.user.username}, next_credential


def signed_in_devices(user: User, session: Session) -> list[dict]:
    """The user's signed-in devices, the asking one marked ``current``."""
    return [
        {"id": d.id, "name": d.name, "created_at": d.created_at, "last_used_at": d.last_used_at, "current": d.id == session.device_id}
        for d in devices.devices_of(user)
    ]


def sign_out_device(user: User, device_id: int) -> None:
    """Sign one of the user's devices out (its sessions end too); 404 for any other id."""
    device: Device | None = devices.device_of(user, device_id)
    if device is None:
        abort(404, message="No such signed-in device of yours.")
    devices.end_device(device)
    db.session.commit()


def logout(session: Session) -> None:
    """End the current session, and the device sign-in it came from."""
    device = db.session.get(Device, session.device_id) if session.device_id is not None else None
    sessions.close_session(session)
    if device is not None:
        devices.end_device(device)
    db.session.commit()


def logout_everywhere(user: User) -> dict:
    """End every session and device of the user, the current ones included; say how many sessions, and how many personal tokens still work."""
    ended = sessions.close_other_sessions(user, keep=None)
    devices.end_devices(user)
    db.session.commit()
    return {"sessions_ended": ended, "personal_tokens_kept": count_tokens(user)}
