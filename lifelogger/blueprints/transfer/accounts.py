"""A whole account as one JSON document: ``flask export --user NAME`` / ``flask import FILE``.

The document is ``GET /api/v1/export``'s JSON (labels and events, see
``blueprints/transfer``) plus what makes it an account: the profile with its
password hash and settings, and the goals. So one file format serves both
paths, and a file from ``flask export`` can also be sent to ``POST /import``
(which reads only the labels and events)::

    {
      "format": "lifelogger", "version": 1,
      "labels": ["Exercise", "Programming"],
      "events": [{"source_id": 42, "label": "Programming", "started_at": "...",
                  "ended_at": null, "note": "..."}],
      "account": {"username": "yourname", "display_name": "Jacob",
                  "created_at": "2026-01-02T08:00:00+00:00", "password_hash": "$2b$12$...",
                  "timezone": "Europe/Berlin", "day_starts_at": "04:00",
                  "forgotten_after_minutes": 720},
      "goals": [{"label": "Exercise", "kind": "at_least", "minutes": 30, "per": "day"}]
    }

Not carried (``NOT_CARRIED``): sessions, personal access tokens and signed-in
devices, which are credentials for one instance (people log in again, and
tick "keep me signed in" again), and idempotency keys,
which expire anyway; nor an import's lease on the user's log (the state of an
import running on one instance). Numeric ids are the new instance's own; each event keeps
its original id as ``source_id``.
"""
from __future__ import annotations

import json

from flask_smorest import abort
from werkzeug.exceptions import HTTPException
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from lifelogger.blueprints.goals.schemas import GoalSchema, GoalTargetSchema
from lifelogger.blueprints.goals.service import list_goals
from lifelogger.blueprints.profile.schemas import ProfileUpdateSchema
from lifelogger.blueprints.transfer import service as transfer
from lifelogger.api.errors import describe_validation_errors
from lifelogger.db import db
from lifelogger.api.fields import Instant, LabelName
from lifelogger.api.schemas import LABEL_NAME, USERNAME
from lifelogger.blueprints.auth.service import taken, user_named
from lifelogger.db.models import Goal, Label, User, label_key, normalize_username

# Tables holding a user's data that the document deliberately leaves out (see above).
NOT_CARRIED = {"sessions", "api_tokens", "devices", "idempotency_keys"}
# Columns of carried tables that are left out too (see above).
NOT_CARRIED_COLUMNS = {"users.import_lease", "users.import_lease_until"}

BCRYPT_HASH = validate.Regexp(r"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}\Z", error="Not a bcrypt hash.")


class AccountSchema(ProfileUpdateSchema):
    """The profile with its settings, and the password hash (so the password keeps working).

    The settings are ``PATCH /me``'s fields, with its checks; here every field is required.
    """

    username = fields.String(validate=USERNAME)
    created_at = Instant()
    password_hash = fields.String(validate=BCRYPT_HASH)

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


class ExportedGoalSchema(GoalTargetSchema):
    label = fields.String(required=True)


class AccountDocumentSchema(Schema):
    """What ``import_user`` checks before writing anything; events are checked by the transfer import."""

    class Meta:
        unknown = EXCLUDE  # "events" and "version" are the transfer import's to read

    format = fields.String(required=True, validate=validate.Equal("lifelogger", error="Not a Life Logger export."))
    account = fields.Nested(
        AccountSchema,
        required=True,
        error_messages={"required": "This export has no 'account': make it with `flask export --user NAME`, not GET /export."},
    )
    labels = fields.List(LabelName(**LABEL_NAME), required=True)
    goals = fields.List(fields.Nested(ExportedGoalSchema), load_default=list)

    @validates_schema(skip_on_field_errors=True)
    def _consistent(self, data, **_kwargs):
        keys = [label_key(name) for name in data["labels"]]
        if len(set(keys)) != len(keys):
            raise ValidationError("Label names must be unique regardless of case.", field_name="labels")
        goal_keys = [label_key(goal["label"]) for goal in data["goals"]]
        if not set(goal_keys) <= set(keys):
            raise ValidationError("Goals name labels missing from 'labels'.", field_name="goals")
        if len(set(goal_keys)) != len(goal_keys):
            raise ValidationError("At most one goal per label.", field_name="goals")


def export_user(user: User) -> dict:
    """The user's whole account as a JSON-ready document (see the module's docstring)."""
    document = json.loads("".join(transfer.export_json(user)))
    document["account"] = AccountSchema().dump(user)
    document["goals"] = GoalSchema(many=True).dump(list_goals(user))
    return document


def import_user(data, username: str | None = None) -> User:
    """Create the account of a document, under ``username`` if given; all of it or nothing.

    422 (with the problems) when the document is invalid or an event breaks
    the rules (overlaps, in the future, ...); 409 when the username is taken.
    """
    try:
        document = AccountDocumentSchema().load(data)
        if username is not None:
            username = AccountSchema(only=["username"]).load({"username": username})["username"]
    except ValidationError as error:
        errors = {"json": error.messages}
        abort(422, message=describe_validation_errors(errors), errors=errors)
    account = document["account"]
    account["username"] = normalize_username(username or account["username"])
    if user_named(account["username"]) is not None:
        abort(409, message=f"{taken(account['username'])} Import under another name with --user.")

    user = User(**account)
    db.session.add(user)
    db.session.flush()
    labels = {label_key(name): Label(user_id=user.id, name=name) for name in document["labels"]}
    db.session.add_all(labels.values())
    db.session.flush()
    for goal in document["goals"]:
        label = labels[label_key(goal.pop("label"))]
        db.session.add(Goal(user_id=user.id, label_id=label.id, **goal))
    db.session.flush()
    # Events go through the transfer import, which applies every rule in this
    # transaction; it is committed here, account included, or rolled back.
    try:
        report = transfer.import_file(user, json.dumps(data).encode("utf-8"), "lifelogger-json", in_callers_transaction=True)
        _refuse_what_a_restore_would_drop(report)
    except HTTPException:
        db.session.rollback()
        raise
    db.session.commit()
    return user


def _refuse_what_a_restore_would_drop(report: dict) -> None:
    """A restored account keeps every event of its document: rows the import's
    policies would skip (zero-length, a running one that is not the newest) make
    the document inconsistent, since no export of ours holds them."""
    problems = []
    if report["skipped_empty"]:
        problems.append(f"{report['skipped_empty']} event(s) end when they start: ended_at must be after started_at.")
    problems += [f"Event {skipped['row']}: {skipped['message']}" for skipped in report["skipped_running"]]
    if problems:
        abort(422, message=f"The document cannot be restored as it is: {' '.join(problems)}", errors={"events": problems})
