"""Schemas of the stats resource."""
from marshmallow import Schema, fields


class StatsSchema(Schema):
    """Time per label in the range: share of the logged total, and minutes."""

    percentages = fields.Dict(
        keys=fields.String(), values=fields.Float(), metadata={"example": {"Programming": 62.5, "Exercise": 37.5}}
    )
    minutes = fields.Dict(
        keys=fields.String(), values=fields.Float(), metadata={"example": {"Programming": 187.5, "Exercise": 112.5}}
    )
