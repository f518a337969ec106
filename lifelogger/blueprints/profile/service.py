"""Profile rules: what a user may change about their own account."""
from __future__ import annotations

from flask_smorest import abort

from lifelogger.api import auth
from lifelogger.db import db
from lifelogger.db.models import User


def update_profile(user: auth.AuthenticatedUser, **changes) -> User:
    """Change any of display name, time zone, day start and forgotten-timer threshold."""
    account = auth.account_of(user)
    for field, value in changes.items():
        setattr(account, field, value)
    db.session.commit()
    return account


def change_password(
    user: auth.AuthenticatedUser, session: auth.AuthenticatedSession, current_password: str, new_password: str
) -> None:
    """Set a new password; every other session of the user is signed out."""
    account = auth.account_of(user)
    if not auth.check_password(current_password, account.password_hash):
        abort(403, message="The current password is wrong; the password was not changed.")
    account.password_hash = auth.hash_password(new_password)
    auth.close_other_sessions(account, keep=session)
    db.session.commit()
