"""Schemas of the labels resource."""
from marshmallow import Schema, fields

from lifelogger.api.fields import LabelName
from lifelogger.api.schemas import LABEL_NAME


class LabelListSchema(Schema):
    """Your label set, sorted case-insensitively."""

    labels = fields.List(fields.String(), metadata={"example": ["Exercise", "Programming", "Reading"]})


class LabelSchema(Schema):
    name = LabelName(required=True, **LABEL_NAME)
