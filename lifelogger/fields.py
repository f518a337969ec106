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
