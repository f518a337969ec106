"""Field specs and schemas that several resources share.

Each rule stands here once: the username pattern, the password rule, the
lengths of names and notes, the time range a query may ask for. The
resources' own ``schemas.py`` build on these; the browser app reads its form
limits from the same fields.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import FullMatch, Instant, NotCommon, TimeOfDay

USERNAME = FullMatch(
    r"^[A-Za-z0-9_.-]{3,32}$",
    error="Use 3 to 32 characters: ASCII letters, digits, '_', '.' or '-'.",
)
PASSWORD_LENGTH = validate.Length(min=8, max=128, error="Must be 8 to 128 characters long.")
# Every password a person chooses (registration, change, `flask users create`).
NEW_PASSWORD = dict(
    validate=[PASSWORD_LENGTH, NotCommon()],
    metadata={"description": "8 to 128 characters, not one of the 10,000 most common passwords (any case)."},
)
DISPLAY_NAME = dict(max_length=64)
TIMEZONE = dict(metadata={"example": "Europe/Berlin", "description": "IANA time zone your days are counted in."})
LABEL_NAME = dict(max_length=64, metadata={"example": "Programming"})
# A label as an event names it: the label must exist, so only its presence is checked here.
EVENT_LABEL = dict(metadata={"example": "Programming", "description": "A name from your label set."})
NOTE_LENGTH = validate.Length(max=2000, error="At most 2,000 characters.")
NOTE = dict(
    allow_none=True,
    validate=NOTE_LENGTH,
    metadata={"example": "Refactored the importer", "description": "Optional free text, up to 2,000 characters."},
)


class ProfileSchema(Answer):
    """A user's profile, as ``GET /me`` and ``POST /auth/register`` return it."""

    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True, metadata={"example": "yourname"})
    display_name = fields.String(dump_only=True, metadata={"example": "Jacob"})
    created_at = Instant(dump_only=True)
    timezone = fields.String(dump_only=True, metadata={"example": "Europe/Berlin"})
    day_starts_at = TimeOfDay(dump_only=True, metadata={"example": "00:00"})
    forgotten_after_minutes = fields.Integer(dump_only=True, metadata={"example": 720})


def check_range_order(data: dict) -> None:
    """Refuse a range whose end comes before its start."""
    if "start" in data and "end" in data and data["end"] < data["start"]:
        raise ValidationError("end must not be before start.", field_name="end")


class RangeQuerySchema(Schema):
    """A half-open range ``[start, end)`` of UTC instants, at most ``LIFELOGGER_MAX_RANGE_DAYS`` long.

    The longest range (default 18262 days, 50 years) bounds the work one request can ask for.
    """

    start = Instant(required=True, metadata={"description": "Inclusive; ISO 8601, e.g. 2026-03-24T00:00:00Z."})
    end = Instant(
        required=True,
        metadata={
            "description": "Exclusive; ISO 8601, e.g. 2026-03-25T00:00:00Z. At most 50 years after start "
            "(LIFELOGGER_MAX_RANGE_DAYS days)."
        },
    )

    @validates_schema
    def _end_not_before_start(self, data, **_kwargs):
        check_range_order(data)

    @validates_schema
    def _not_too_long(self, data, **_kwargs):
        longest = current_app.config["MAX_RANGE_DAYS"]
        if "start" in data and "end" in data and data["end"] - data["start"] > timedelta(days=longest):
            raise ValidationError(
                f"The range is longer than {longest} days, the most this server allows; ask for a shorter one.",
                field_name="end",
            )
