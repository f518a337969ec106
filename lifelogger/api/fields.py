"""Marshmallow fields and validators shared by the blueprints' schemas.

Each rule a field enforces is also in its OpenAPI schema (``pattern``,
``minLength``/``maxLength``), written as ``^...$`` patterns that read the same
in Python, JavaScript and JSON Schema validators, and checked here with
full-string matching: what the document calls valid is what the API accepts.
"""
from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields, validate

from lifelogger.core import timeutil
from lifelogger.core.days import zone_named
from lifelogger.db.models import normalize_label_name
from lifelogger.security.passwords import COMMON_PASSWORD, is_common


class FullMatch(validate.Regexp):
    """``validate.Regexp`` that must match the whole string (``$`` alone lets a final newline through)."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class Instant(fields.DateTime):
    """A UTC instant: accepts any ISO 8601 offset (or none = UTC), emits ``+00:00``.

    The date as written must be 1900-01-01 to 9999-12-30 (the ``pattern``): far
    enough for any activity, and any offset then stays inside the range Python's
    datetime can convert.
    """

    PATTERN = timeutil.INSTANT_PATTERN

    def __init__(self, **kwargs):
        metadata = {"pattern": self.PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Not a valid instant: send an ISO 8601 string.")
        try:
            return timeutil.parse_instant(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else timeutil.format_instant(value)


# Control characters and line/paragraph separators, and the white space str.strip() removes.
_CONTROL = r"\u0000-\u001f\u007f-\u009f\u2028\u2029"
_SPACE = r"\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
VISIBLE_TEXT = f"^[^{_CONTROL}]*[^{_CONTROL}{_SPACE}][^{_CONTROL}]*$"


class TrimmedName(fields.String):
    """A name: 1 to ``max_length`` characters as sent, something visible, no control characters.

    Surrounding white space is then dropped (``"  Sleep "`` is stored as ``"Sleep"``).
    """

    def __init__(self, *, max_length: int = 64, **kwargs):
        validators = [
            validate.Length(min=1, max=max_length, error=f"Must be 1 to {max_length} characters long."),
            FullMatch(
                VISIBLE_TEXT,
                error="Must show at least one character and contain no control characters or line breaks.",
            ),
        ]
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(ch) == "Cs" for ch in text):  # e.g. a command-line argument
            raise ValidationError("Not valid Unicode text.")
        self._validate(text)  # the rules hold for the text as sent, as documented
        return text.strip()


# Invisible characters (zero-width space/joiners, word joiner, BOM) and the
# bidirectional embeddings, overrides and isolates: with them, two labels that
# look alike differ, or a name displays its characters in another order.
_HIDDEN_IN_LABELS = frozenset([*range(0x200B, 0x200E), 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


class LabelName(TrimmedName):
    """A label name: a ``TrimmedName`` without invisible or bidirectional-control characters, in NFC."""

    def __init__(self, *, max_length: int = 64, **kwargs):
        self.max_length = max_length
        super().__init__(max_length=max_length, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        hidden = next((ch for ch in text if ord(ch) in _HIDDEN_IN_LABELS), None)
        if hidden is not None:
            raise ValidationError(
                f"Must not contain U+{ord(hidden):04X} {unicodedata.name(hidden)}: it is invisible or reorders the text around it."
            )
        text = normalize_label_name(text)
        if len(text) > self.max_length:  # NFC rarely lengthens; the column cannot
            raise ValidationError(f"Must be 1 to {self.max_length} characters long.")
        return text


# Notes may hold line breaks and tabs; no other control character.
NOTE_TEXT = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"


class NoteText(fields.String):
    """Free text: line breaks and tabs allowed, other control characters not; then trimmed.

    The rules (the pattern and any length given) hold for the text as sent.
    An empty note is stored as no note (see ``models.Event``).
    """

    def __init__(self, **kwargs):
        validators = kwargs.pop("validate", None) or []
        validators = [validators] if callable(validators) else list(validators)
        validators.append(FullMatch(NOTE_TEXT, error="Must not contain control characters (line breaks and tabs are fine)."))
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(ch) == "Cs" for ch in text):
            raise ValidationError("Not valid Unicode text.")
        self._validate(text)
        return text.strip()


class TimeOfDay(fields.String):
    """A local time of day as ``"HH:MM"``, stored as minutes after midnight."""

    PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

    def __init__(self, **kwargs):
        metadata = {"pattern": self.PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value // 60:02d}:{value % 60:02d}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
            raise ValidationError("Use HH:MM, e.g. 04:00.")
        if not re.fullmatch(self.PATTERN, value):
            raise ValidationError("Use a time between 00:00 and 23:59, as HH:MM.")
        return int(value[:2]) * 60 + int(value[3:])


class TimeZoneName(fields.String):
    """An IANA time zone name such as ``Europe/Berlin``."""

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            zone_named(name)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return name


class NotCommon(validate.Validator):
    """Refuse the 10,000 most common passwords (``security.passwords.is_common``)."""

    def __call__(self, value: str) -> str:
        if is_common(value):
            raise ValidationError(COMMON_PASSWORD)
        return value


class JsonBoolean(fields.Boolean):
    """A JSON ``true`` or ``false`` only: not 0, 1, "yes" (what the OpenAPI type says)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value
