"""Schemas of the labels resource."""
from marshmallow import Schema, fields

from lifelogger.api.fields import TrimmedName

LABEL_NAME = dict(max_length=64, metadata={"example": "Programming"})


class LabelListSchema(Schema):
    """Your label set, sorted case-insensitively."""

    labels = fields.List(fields.String(), metadata={"example": ["Exercise", "Programming", "Reading"]})


class LabelSchema(Schema):
    name = TrimmedName(required=True, **LABEL_NAME)
