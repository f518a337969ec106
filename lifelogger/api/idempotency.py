"""``Idempotency-Key``: a write sent twice with the same key acts once.

The offline app queues taps and sends them when the connection returns; an
answer lost on the way (or a reload mid-sync) makes it send one again. The
key row and the answer (status and body) are committed in the same
transaction as the write itself, so either all are committed or none; a retry
within KEEP_FOR gets the original answer again, byte for byte.
"""
from __future__ import annotations

import functools
from datetime import timedelta

from flask import make_response, request
from flask_smorest import abort
from sqlalchemy import delete, select

from lifelogger.core import timeutil
from lifelogger.db import commits_deferred, db
from lifelogger.db.models import IdempotencyKey
from lifelogger.api.auth import current_user
from lifelogger.api.blueprint import IDEMPOTENCY, Blueprint, outer_decorator

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(days=7)

_DOC = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": 100},
            "description": "Optional. Sending the same key again (within 7 days) replays the first answer instead of acting twice.",
        }
    ]
}


def idempotent(view):
    """Honour ``Idempotency-Key`` on a write view.

    It goes between ``login_required`` (above it: the key belongs to a user)
    and the ``@blp`` decorators (below it); anywhere else the app refuses to
    start (``api.blueprint.check_decorator_order``).
    """

    @functools.wraps(view)
    @outer_decorator(IDEMPOTENCY)
    def wrapper(*args, **kwargs):
        user = current_user()
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not 1 <= len(key) <= 100:
            abort(400, message=f"{HEADER} must be 1 to 100 characters long.")
        described = f"{request.method} {request.path}"[:200]
        stored = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key))
        if stored is not None:
            return _replay(stored, described)
        record = IdempotencyKey(user_id=user.id, key=key, request=described)
        db.session.add(record)
        db.session.flush()
        # The view's commit only flushes: its write, this key and the answer are
        # committed together below, so a retry never finds the write without it.
        with commits_deferred():
            response = make_response(view(*args, **kwargs))
        if response.status_code < 300:
            record.status_code = response.status_code
            record.response_body = response.get_data(as_text=True)
            db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user.id, IdempotencyKey.created_at < timeutil.now() - KEEP_FOR))
        else:
            db.session.rollback()  # nothing the view flushed, nor the key, is kept
        db.session.commit()
        return response

    return Blueprint.doc(**_DOC)(wrapper)


def _replay(stored: IdempotencyKey, described: str):
    if stored.request != described:
        abort(422, message=f"This {HEADER} was already used for {stored.request}; use a new key for each action.")
    if stored.status_code is None:
        # Only keys stored before answers were committed with their write can lack one.
        abort(409, message="This action was already applied; its original answer is no longer available.")
    response = make_response(stored.response_body, stored.status_code)
    response.mimetype = "application/json"
    response.headers["Idempotent-Replayed"] = "true"
    return response
