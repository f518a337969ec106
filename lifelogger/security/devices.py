"""Devices that stay signed in: their credentials, rotation, replay detection, ending them.

A device credential is ``<family>.<secret>``. The family names one signed-in
browser for its whole life; the secret is replaced on every use (refresh), and
only its SHA-256 is stored. A credential whose family is known but whose
secret is not the current one is an old credential used again: someone holds
a copy. Which of the two holders is the owner cannot be told, so the device
ends (token-family reuse detection) and both must type the password again.

A device unused for ``DEVICE_MAX_IDLE_DAYS`` days ends too.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from lifelogger.core import timeutil
from lifelogger.core.useragent import device_name
from lifelogger.db import db
from lifelogger.db.models import Device, Session, User
from lifelogger.security.tokens import hash_token, new_device_family, new_device_secret


def max_idle() -> timedelta:
    """How long a device credential may go unused (``DEVICE_MAX_IDLE_DAYS``)."""
    return timedelta(days=current_app.config["DEVICE_MAX_IDLE_DAYS"])


def open_device(user: User, user_agent: str | None) -> tuple[Device, str]:
    """Sign a new device in for the user; return it and its first credential. The caller commits."""
    secret, secret_hash = new_device_secret()
    device = Device(user_id=user.id, family=new_device_family(), secret_hash=secret_hash, name=device_name(user_agent))
    db.session.add(device)
    db.session.flush()  # the id, for the session opened with it
    return device, f"{device.family}.{secret}"


def use_device(credential: str | None) -> tuple[Device, str] | None:
    """Check a device credential and rotate it: the device and its new credential, or None.

    None for anything unknown, malformed or expired; an old (replayed) secret
    also ends the device. The caller commits either way.
    """
    family, _, secret = (credential or "").partition(".")
    if not family or not secret:
        return None
    device = db.session.scalar(select(Device).where(Device.family == family))
    if device is None:
        return None
    now = timeutil.now()
    if device.last_used_at + max_idle() <= now:
        end_device(device)
        return None
    new_secret, new_hash = new_device_secret()
    # Compare-and-swap: of two requests with one credential, exactly one rotates it;
    # the other finds the secret already replaced, which is what a replay looks like.
    rotated = db.session.execute(
        update(Device)
        .where(Device.id == device.id, Device.secret_hash == hash_token(secret))
        .values(secret_hash=new_hash, last_used_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    if rotated != 1:
        end_device(device)
        return None
    db.session.refresh(device)
    return device, f"{device.family}.{new_secret}"


def devices_of(user: User) -> list[Device]:
    """The user's signed-in devices, most recently used first."""
    return list(db.session.scalars(select(Device).where(Device.user_id == user.id).order_by(Device.last_used_at.desc(), Device.id.desc())))


def device_of(user: User, device_id: int) -> Device | None:
    """One of the user's devices by id; None for an unknown id or another user's."""
    return db.session.scalar(select(Device).where(Device.id == device_id, Device.user_id == user.id))


def end_device(device: Device) -> None:
    """Sign one device out: its credential and the sessions it opened stop working. The caller commits."""
    db.session.execute(delete(Session).where(Session.device_id == device.id), execution_options={"synchronize_session": False})
    db.session.execute(delete(Device).where(Device.id == device.id), execution_options={"synchronize_session": False})


def end_devices(user: User) -> None:
    """Sign every device of the user out (log out everywhere, a new password). The caller commits.

    Sessions are left to the caller: a password change keeps the session that made it.
    """
    db.session.execute(update(Session).where(Session.user_id == user.id).values(device_id=None), execution_options={"synchronize_session": False})
    db.session.execute(delete(Device).where(Device.user_id == user.id), execution_options={"synchronize_session": False})


def purge_idle_devices() -> int:
    """Delete devices unused for longer than allowed; return how many. The caller commits."""
    idle = [device.id for device in db.session.scalars(select(Device).where(Device.last_used_at <= timeutil.now() - max_idle()))]
    if idle:
        db.session.execute(update(Session).where(Session.device_id.in_(idle)).values(device_id=None), execution_options={"synchronize_session": False})
        db.session.execute(delete(Device).where(Device.id.in_(idle)), execution_options={"synchronize_session": False})
    return len(idle)
