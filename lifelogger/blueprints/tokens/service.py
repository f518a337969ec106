"""Personal access tokens: created, listed and revoked by their owner."""
from __future__ import annotations

from datetime import timedelta

from flask_smorest import abort
from sqlalchemy import delete, func, select

from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import ApiToken, User
from lifelogger.security.passwords import check_password
from lifelogger.security.tokens import new_personal_token

WRONG_PASSWORD = "The password is wrong; no token was created."


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def create_token(user: User, password: str, name: str, scope: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token once the user's current password checks out; return it with its secret, which is never stored."""
    # A session token is short-lived and lives in a browser; a personal token
    # outlives it. Without this check, whoever steals a session keeps access
    # for years after the session ends.
    if not check_password(password, user.password_hash):
        abort(403, message=WRONG_PASSWORD)
    secret, token_hash = new_personal_token()
    now = timeutil.now()
    api_token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        token_hash=token_hash,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(api_token)
    db.session.commit()
    return api_token, secret


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the user's tokens; it stops working at once."""
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if api_token is None:
        abort(404, message=f"You have no personal access token with id {token_id}.")
    db.session.delete(api_token)
    db.session.commit()


def count_tokens(user: User) -> int:
    """How many personal access tokens the user has (expired ones included: they are listed too)."""
    return db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id))


def revoke_all_tokens(user: User) -> int:
    """Delete every token of the user; return how many. The caller commits."""
    result = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id), execution_options={"synchronize_session": False})
    return result.rowcount
