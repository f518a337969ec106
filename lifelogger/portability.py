"""One user's data as a portable JSON document: export it here, import it there.

This module is the only definition of the document (``flask export`` and
``flask import`` use it, and so will any HTTP export). Version 1::

    {
      "format": "lifelogger-user",
      "version": 1,
      "exported_at": "2026-03-24T12:00:00+00:00",
      "user": {"username": "yourname", "display_name": "Jacob",
               "created_at": "2026-01-02T08:00:00+00:00",
               "password_hash": "$2b$12$..."},
      "labels": ["Exercise", "Programming", "Reading"],
      "events": [{"label": "Programming", "started_at": "2026-03-24T09:00:00+00:00",
                  "ended_at": "2026-03-24T11:30:00+00:00"},
                 {"label": "Reading", "started_at": "2026-03-24T11:30:00+00:00",
                  "ended_at": null}]
    }

Labels are listed case-insensitively sorted, events oldest first (a running
event has ``ended_at`` null). Events refer to labels by name, so nothing
depends on the ids of the instance that exported them; ids and sessions are
not carried over (people log in again on the new instance, with the same
password: the bcrypt hash travels).
"""
from __future__ import annotations

from flask_smorest import abort
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import insert, select

from lifelogger import timeutil
from lifelogger.blueprints.auth.schemas import USERNAME
from lifelogger.blueprints.labels.schemas import LABEL_NAME
from lifelogger.blueprints.profile.schemas import DISPLAY_NAME
from lifelogger.errors import describe_validation_errors
from lifelogger.extensions import db
from lifelogger.fields import Instant, TrimmedName
from lifelogger.models import Event, Label, User, bytewise, label_key

FORMAT = "lifelogger-user"
VERSION = 1

BCRYPT_HASH = validate.Regexp(r"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}\Z", error="Not a bcrypt hash.")


class ExportedUserSchema(Schema):
    username = fields.String(required=True, validate=USERNAME)
    display_name = TrimmedName(required=True, **DISPLAY_NAME)
    created_at = Instant(required=True)
    password_hash = fields.String(required=True, validate=BCRYPT_HASH)


class ExportedEventSchema(Schema):
    label = fields.String(required=True)
    started_at = Instant(required=True)
    ended_at = Instant(required=True, allow_none=True)


class UserDocumentSchema(Schema):
    """The whole document, with the rules the database and the API hold data to."""

    class Meta:
        # "exported_at" and any later informational keys are not needed to import.
        unknown = EXCLUDE

    format = fields.String(required=True, validate=validate.Equal(FORMAT, error=f"Not a Life Logger user export ('{FORMAT}')."))
    version = fields.Integer(required=True, validate=validate.Equal(VERSION, error=f"Only version {VERSION} can be imported."))
    exported_at = Instant(dump_only=True)
    user = fields.Nested(ExportedUserSchema, required=True)
    labels = fields.List(TrimmedName(**LABEL_NAME), required=True)
    events = fields.List(fields.Nested(ExportedEventSchema), required=True)

    @validates_schema(skip_on_field_errors=True)
    def _consistent(self, data, **_kwargs):
        keys = [label_key(name) for name in data["labels"]]
        if len(set(keys)) != len(keys):
            raise ValidationError("Label names must be unique regardless of case.", field_name="labels")
        known = set(keys)
        unknown = sorted({e["label"] for e in data["events"] if label_key(e["label"]) not in known})
        if unknown:
            raise ValidationError(f"Events use labels missing from 'labels': {', '.join(unknown)}.", field_name="events")
        _check_timeline(sorted(data["events"], key=lambda e: e["started_at"]))


def _check_timeline(events: list[dict]) -> None:
    """The API's rules: each event ends after it starts, none overlap, only the latest may run, none in the future."""
    now = timeutil.now()
    for index, event in enumerate(events):
        where = f"event starting {timeutil.format_instant(event['started_at'])}"
        ended_at = event["ended_at"]
        if max(event["started_at"], ended_at or event["started_at"]) > now:
            raise ValidationError(f"The {where} is in the future.", field_name="events")
        if ended_at is not None and ended_at <= event["started_at"]:
            raise ValidationError(f"The {where} does not end after it starts.", field_name="events")
        following = events[index + 1] if index + 1 < len(events) else None
        if following is not None and (ended_at is None or ended_at > following["started_at"]):
            raise ValidationError(f"The {where} overlaps the next one.", field_name="events")


def export_user(user: User) -> dict:
    """The user's profile, labels and events as a version-1 document (JSON-ready)."""
    labels = db.session.scalars(select(Label.name).where(Label.user_id == user.id).order_by(bytewise(Label.name_key), bytewise(Label.name)))
    events = db.session.execute(
        select(Label.name.label("label"), Event.started_at, Event.ended_at)
        .join(Label, Label.id == Event.label_id)
        .where(Event.user_id == user.id)
        .order_by(Event.started_at)
    )
    return UserDocumentSchema().dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timeutil.now(),
            "user": user,
            "labels": list(labels),
            "events": [row._asdict() for row in events],
        }
    )


def import_user(data: dict, username: str | None = None) -> User:
    """Create a user from a document, under ``username`` if given; commits.

    422 when the document is invalid (the message says what is wrong), 409
    when the username is taken. Nothing is written unless everything is.
    """
    try:
        document = UserDocumentSchema().load(data)
        if username is not None:
            username = ExportedUserSchema(only=["username"]).load({"username": username})["username"]
    except ValidationError as error:
        errors = {"json": error.messages}
        abort(422, message=describe_validation_errors(errors), errors=errors)
    profile = document["user"]
    username = (username or profile["username"]).lower()
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        abort(409, message=f"The username '{username}' is taken on this instance; import under another name with --user.")

    user = User(
        username=username,
        display_name=profile["display_name"],
        password_hash=profile["password_hash"],
        created_at=profile["created_at"],
    )
    db.session.add(user)
    db.session.flush()
    labels = [Label(user_id=user.id, name=name) for name in document["labels"]]
    db.session.add_all(labels)
    db.session.flush()
    label_ids = {label.name_key: label.id for label in labels}
    if document["events"]:
        db.session.execute(
            insert(Event),
            [
                {
                    "user_id": user.id,
                    "label_id": label_ids[label_key(event["label"])],
                    "started_at": event["started_at"],
                    "ended_at": event["ended_at"],
                }
                for event in document["events"]
            ],
        )
    db.session.commit()
    return user
