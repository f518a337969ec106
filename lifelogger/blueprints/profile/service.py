"""Profile rules: what a user may change about their own account."""
from __future__ import annotations

from flask_smorest import abort

from lifelogger.blueprints.tokens.service import revoke_all_tokens
from lifelogger.db import db
from lifelogger.db.models import Session, User
from lifelogger.security.passwords import check_password, hash_password
from lifelogger.security.devices import end_devices
from lifelogger.security.sessions import close_other_sessions


def update_profile(user: User, **changes) -> User:
    """Change any of display name, time zone, day start and forgotten-timer threshold."""
    for field, value in changes.items():
        setattr(user, field, value)
    db.session.commit()
    return user


def change_password(
    user: User, session: Session, current_password: str, new_password: str, keep_personal_tokens: bool = False
) -> None:
    """Set a new password; every other session of the user is signed out, and every personal token revoked unless kept."""
    if not check_password(current_password, user.password_hash):
        abort(403, message="The current password is wrong; the password was not changed.")
    user.password_hash = hash_password(new_password)
    close_other_sessions(user, keep=session)
    end_devices(user)  # a browser kept signed in with the old password is signed out too
    if not keep_personal_tokens:
        revoke_all_tokens(user)
    db.session.commit()
