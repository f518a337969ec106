"""Schemas of the profile resource (``/me``)."""
from marshmallow import Schema, fields, validate

from lifelogger.api.fields import TimeOfDay, TimeZoneName, TrimmedName
from lifelogger.api.schemas import DISPLAY_NAME, NEW_PASSWORD, TIMEZONE

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
    keep_personal_tokens = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Keep your personal access tokens working. By default a password change revokes them all: "
            "whoever learnt the old password may have made one.",
            "example": False,
        },
    )
