"""Schemas of the profile resource (``/me``)."""
from marshmallow import Schema, fields, validate

from lifelogger.fields import Instant, TrimmedName

PASSWORD_LENGTH = validate.Length(min=8, max=128, error="Must be 8 to 128 characters long.")
DISPLAY_NAME = dict(validate=validate.Length(min=1, max=64, error="Must be 1 to 64 characters long."))


class ProfileSchema(Schema):
    """A user's profile, as ``GET /me`` returns it."""

    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True, metadata={"example": "yourname"})
    display_name = fields.String(dump_only=True, metadata={"example": "Jacob"})
    created_at = Instant(dump_only=True)


class ProfileUpdateSchema(Schema):
    """The fields of the profile a client may change."""

    display_name = TrimmedName(required=True, metadata={"example": "New Name"}, **DISPLAY_NAME)


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, validate=PASSWORD_LENGTH)
