"""Schemas of the stats resource."""
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validates_schema

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import TimeOfDay, TimeZoneName
from lifelogger.api.negotiation import format_field
from lifelogger.api.schemas import RangeQuerySchema


class StatsSchema(Answer):
    """Time per label in the range: share of the logged total, and minutes."""

    percentages = fields.Dict(
        keys=fields.String(), values=fields.Float(), metadata={"example": {"Programming": 62.5, "Exercise": 37.5}}
    )
    minutes = fields.Dict(
        keys=fields.String(), values=fields.Float(), metadata={"example": {"Programming": 187.5, "Exercise": 112.5}}
    )


class StatsQuerySchema(RangeQuerySchema):
    """A range ``[start, end)``, and optionally ``format=csv``."""

    format = format_field()


# --- Per-day breakdown (GET /stats/daily) ------------------------------------

# Ten years of bars is already more than a chart can show.
MAX_DAILY_RANGE = timedelta(days=3660)


class DailyQuerySchema(RangeQuerySchema):
    """A range ``[start, end)``, and where its days begin (zone and local time of day)."""

    tz = TimeZoneName(
        metadata={
            "maxLength": 64,
            "description": "IANA time zone whose days are counted (default: your profile's). Unknown → 422.",
            "example": "Europe/Berlin",
        },
    )
    day_starts_at = TimeOfDay(
        metadata={
            "description": "Local time (HH:MM) at which each day begins. Default: your profile's day start "
            "when `tz` is not given, 00:00 when it is.",
            "example": "04:00",
        },
    )
    format = format_field()

    @validates_schema
    def _range_not_too_long(self, data, **_kwargs):
        if "start" in data and "end" in data and data["end"] - data["start"] > MAX_DAILY_RANGE:
            raise ValidationError(f"The range may span at most {MAX_DAILY_RANGE.days} days.", field_name="end")


class DayMinutesSchema(Answer):
    date = fields.Date(metadata={"description": "The day, named by the local date on which it begins.", "example": "2026-03-24"})
    minutes = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Minutes per label on that day; `{}` for a day without time.", "example": {"Programming": 187.5}},
    )


class DailyStatsSchema(Answer):
    """Every local day that meets the range, oldest first, with minutes per label."""

    days = fields.List(fields.Nested(DayMinutesSchema))
