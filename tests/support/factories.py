"""Factories: users, labels and events written straight to the database.

Most tests are about what the API does with data, not about how the data got
there; registering, logging in and POSTing every label and event over HTTP
was most of their time. These go through the same schemas (validation,
trimming) and the same service functions (the rules: unique names, the label
cap, no overlaps, nothing in the future) as the API, minus the HTTP round
trip. Tests whose subject is registration, log-in or the events API's own
checks call the API instead.
"""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import select, update

from lifelogger.blueprints.auth.schemas import RegisterSchema
from lifelogger.blueprints.auth.service import create_user
from lifelogger.blueprints.events.schemas import EventSchema, NewEventSchema
from lifelogger.blueprints.events.service import create_event
from lifelogger.blueprints.labels.schemas import LabelSchema
from lifelogger.blueprints.labels.service import create_label
from lifelogger.db import db
from lifelogger.db.models import User
from lifelogger.security.sessions import open_session

from tests.support.api import PASSWORD, ApiClient


def new_user(app: Flask, username: str, password: str = PASSWORD, labels=(), **profile) -> ApiClient:
    """A user with these labels (in this order) and one open session: its logged-in ApiClient."""
    with app.app_context():
        fields = RegisterSchema().load({"username": username, "password": password, **profile})
        user = create_user(**fields)  # hashes at the app's BCRYPT_ROUNDS
        for name in labels:
            create_label(user, LabelSchema().load({"name": name})["name"])
        token = open_session(user)
        db.session.commit()
        return ApiClient(app.test_client(), token=token, username=user.username)


def new_event(app: Flask, owner: ApiClient, label: str, started_at: str, ended_at: str, **extra) -> dict:
    """A finished event of ``owner``'s, under the API's rules; its JSON as ``POST /events`` answers it."""
    with app.app_context():
        fields = NewEventSchema().load({"label": label, "started_at": started_at, "ended_at": ended_at, **extra})
        user = db.session.scalar(select(User).where(User.username == owner.username))
        return EventSchema().dump(create_event(user, **fields))


def set_import_lease(app: Flask, username: str, token: str | None, until: datetime | None) -> None:
    """Write a user's import lease as an import writing (token, until) or done (None, None) leaves it."""
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(import_lease=token, import_lease_until=until))
        db.session.commit()
