"""Schemas of the calendar feed."""
from marshmallow import ValidationError, validates_schema

from lifelogger.api.fields import Instant
from lifelogger.api.schemas import RangeQuerySchema

# Without a range the feed shows this many days before now (and the running event).
DEFAULT_FEED_DAYS = 90


class CalendarQuerySchema(RangeQuerySchema):
    """An optional range ``[start, end)``; without one, the last 90 days up to now."""

    start = Instant(
        metadata={
            "description": "Inclusive; ISO 8601. Events that overlap `[start, end)` are listed (not only "
            f"those starting in it). Give both or neither; default: {DEFAULT_FEED_DAYS} days before now."
        }
    )
    end = Instant(metadata={"description": "Exclusive; ISO 8601. Default: now (so the running event is included)."})

    @validates_schema
    def _both_or_neither(self, data, **_kwargs):
        if ("start" in data) != ("end" in data):
            raise ValidationError("Give both start and end, or neither.", field_name="start" if "start" not in data else "end")
