"""Schemas of the labels resource."""
from marshmallow import Schema, fields

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import LabelName
from lifelogger.api.schemas import LABEL_NAME


class LabelListSchema(Answer):
    """Your label set, sorted case-insensitively."""

    labels = fields.List(fields.String(), metadata={"example": ["Exercise", "Programming", "Reading"]})


class LabelSchema(Answer):
    """A label, as sent (its name is required) and as answered."""

    name = LabelName(required=True, **LABEL_NAME)
