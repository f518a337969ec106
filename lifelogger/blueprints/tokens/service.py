"""Personal access tokens: created, listed and revoked by their owner."""
from __future__ import annotations

from datetime import timedelta

from flask_smorest import abort
from sqlalchemy import select

from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import ApiToken, User
from lifelogger.security.tokens import new_personal_token


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def create_token(user: User, name: str, scope: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; return it with its secret, which is never stored."""
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
