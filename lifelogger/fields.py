"""Marshmallow fields shared by the blueprints' schemas."""
from __future__ import annotations

import unicodedata

from marshmallow import ValidationError, fields

from lifelogger import timeutil


class Instant(fields.DateTime):
    """A UTC instant: accepts any ISO 8601 offset (or none = UTC), emits ``+00:00``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Not a valid instant: send an ISO 8601 string.")
        try:
            return timeutil.parse_instant(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else timeutil.format_instant(value)


class TrimmedName(fields.String):
    """A display string: surrounding whitespace dropped, no control characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if any(unicodedata.category(ch) in {"Cc", "Cs", "Zl", "Zp"} for ch in text):
            raise ValidationError("Must not contain control characters or line breaks.")
        return text


class NoteText(fields.String):
    """Free text: trimmed, line breaks and tabs allowed, other control characters not.

    An empty note is stored as no note (see ``models.Event``).
    """

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if any(unicodedata.category(ch) in {"Cc", "Cs"} and ch not in "\n\t" for ch in text):
            raise ValidationError("Must not contain control characters.")
        return text


class TimeOfDay(fields.String):
    """A local time of day as ``"HH:MM"``, stored as minutes after midnight."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value // 60:02d}:{value % 60:02d}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
            raise ValidationError("Use HH:MM, e.g. 04:00.")
        try:
            hours, minutes = int(value[:2]), int(value[3:])
        except ValueError:
            raise ValidationError("Use HH:MM, e.g. 04:00.") from None
        if not (0 <= hours < 24 and 0 <= minutes < 60):
            raise ValidationError("Use a time between 00:00 and 23:59.")
        return hours * 60 + minutes


class TimeZoneName(fields.String):
    """An IANA time zone name such as ``Europe/Berlin``."""

    def _deserialize(self, value, attr, data, **kwargs):
        from lifelogger.days import zone_named

        name = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            zone_named(name)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return name
