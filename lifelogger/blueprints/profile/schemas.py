"""Schemas of the profile resource (``/me``)."""
from marshmallow import Schema, fields, validate

from lifelogger.api.fields import Instant, TimeOfDay, TimeZoneName, TrimmedName
from lifelogger.security.passwords import NotCommon

PASSWORD_LENGTH = validate.Length(min=8, max=128, error="Must be 8 to 128 characters long.")
# Every password a person chooses (registration, change, `flask users create`).
NEW_PASSWORD = dict(
    validate=[PASSWORD_LENGTH, NotCommon()],
    metadata={"description": "8 to 128 characters, not one of the 10,000 most common passwords (any case)."},
)
DISPLAY_NAME = dict(max_length=64)


class ProfileSchema(Schema):
    """A user's profile, as ``GET /me`` returns it."""

    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True, metadata={"example": "yourname"})
    display_name = fields.String(dump_only=True, metadata={"example": "Jacob"})
    created_at = Instant(dump_only=True)
    timezone = fields.String(dump_only=True, metadata={"example": "Europe/Berlin"})
    day_starts_at = TimeOfDay(dump_only=True, metadata={"example": "00:00"})
    forgotten_after_minutes = fields.Integer(dump_only=True, metadata={"example": 720})


TIMEZONE = dict(metadata={"example": "Europe/Berlin", "description": "IANA time zone your days are counted in."})


class ProfileUpdateSchema(Schema):
    """The fields of the profile a client may change (any of them)."""

    display_name = TrimmedName(metadata={"example": "New Name"}, **DISPLAY_NAME)
    timezone = TimeZoneName(**TIMEZONE)
    day_starts_at = TimeOfDay(metadata={"example": "04:00", "description": "Local time your day starts (HH:MM)."})
    forgotten_after_minutes = fields.Integer(
        validate=validate.Range(min=1, max=7 * 24 * 60),
        metadata={"example": 720, "description": "A running event longer than this is flagged as possibly forgotten."},
    )


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, **NEW_PASSWORD)
