"""Schemas of the goals resource."""
from marshmallow import Schema, fields, validate

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import Instant

KIND = validate.OneOf(["at_least", "at_most"])
PERIOD = validate.OneOf(["day", "week"])


class GoalTargetSchema(Schema):
    """A target for one label."""

    kind = fields.String(required=True, validate=KIND, metadata={"example": "at_least"})
    minutes = fields.Integer(
        required=True, validate=validate.Range(min=1, max=7 * 24 * 60), metadata={"example": 60}
    )
    per = fields.String(required=True, attribute="period", validate=PERIOD, metadata={"example": "day"})


class GoalSchema(GoalTargetSchema, Answer):
    label = fields.String(dump_only=True, metadata={"example": "Exercise"})


class GoalListSchema(Answer):
    goals = fields.List(fields.Nested(GoalSchema))


class GoalProgressSchema(GoalSchema):
    done_minutes = fields.Float(metadata={"description": "Logged so far in the current day or week (running event up to now)."})
    met = fields.Boolean(metadata={"description": "at_least: done ≥ target; at_most: done ≤ target (so far)."})
    period_start = Instant()
    period_end = Instant()


class GoalProgressListSchema(Answer):
    goals = fields.List(fields.Nested(GoalProgressSchema))
