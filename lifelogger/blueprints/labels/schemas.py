"""Schemas of the labels resource."""
from marshmallow import Schema, fields, validate

from lifelogger.fields import TrimmedName

LABEL_NAME = dict(
    validate=validate.Length(min=1, max=64, error="Must be 1 to 64 characters long (after trimming spaces)."),
    metadata={"example": "Programming"},
)


class LabelListSchema(Schema):
    """Your label set, sorted case-insensitively."""

    labels = fields.List(fields.String(), metadata={"example": ["Exercise", "Programming", "Reading"]})


class LabelSchema(Schema):
    name = TrimmedName(required=True, **LABEL_NAME)
