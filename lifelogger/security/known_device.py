"""A "this browser has signed in as X before" cookie, so guesses from elsewhere cannot lock X out.

The failed-log-ins-per-username limit stops password guessing, but anyone can
trip it: ten wrong guesses from anywhere and the owner's right password gets
429 for the window too. A successful log-in leaves this cookie; a log-in that
carries a valid one for the username it tries is not counted or refused by the
per-username limit. It exempts from nothing else (the per-address limits still
apply) and grants no access by itself: the password is still checked.

The cookie is the username signed with the account's password hash as the key
(no instance secret to configure), so it cannot be forged without the database,
and changing the password voids every such cookie at once. It is HttpOnly,
SameSite=Strict, Secure over HTTPS, and sent only to the log-in endpoint.
Independent of the "stay signed in" device credential: this one logs nobody in.
"""
from __future__ import annotations

from flask import Response, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from lifelogger.db import db
from lifelogger.db.models import User, normalize_username

COOKIE = "lifelogger_known_device"
PATH = "/api/v1/auth/login"
MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers keep a cookie
_SALT = "lifelogger.known-device"


def _serializer(user: User) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(user.password_hash, salt=_SALT)


def remember(response: Response, user: User) -> Response:
    """Mark this browser as one that has signed in as ``user`` (on a successful log-in)."""
    response.set_cookie(
        COOKIE,
        _serializer(user).dumps(user.username),
        max_age=MAX_AGE,
        path=PATH,
        secure=request.is_secure,
        httponly=True,
        samesite="Strict",
    )
    return response


def vouches_for(username: object) -> bool:
    """True when the request carries this browser's valid cookie for ``username`` (any case)."""
    value = request.cookies.get(COOKIE)
    if not value or not isinstance(username, str):
        return False
    try:
        user = db.session.scalar(select(User).where(User.username == normalize_username(username)))
        if user is None:
            return False
        return _serializer(user).loads(value, max_age=MAX_AGE) == user.username
    except (BadSignature, ValueError, UnicodeError):
        return False
