"""Schemas of the events resource."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lifelogger.fields import Instant, NoteText

LABEL = dict(metadata={"example": "Programming", "description": "A name from your label set."})
NOTE = dict(
    allow_none=True,
    validate=validate.Length(max=2000, error="At most 2,000 characters."),
    metadata={"example": "Refactored the importer", "description": "Optional free text, up to 2,000 characters."},
)


class EventSchema(Schema):
    """An event: a label from ``started_at`` to ``ended_at`` (null while running)."""

    id = fields.Integer(dump_only=True, metadata={"example": 42})
    label = fields.String(dump_only=True, metadata={"example": "Programming"})
    started_at = Instant(dump_only=True, metadata={"example": "2026-03-24T09:00:00+00:00"})
    ended_at = Instant(dump_only=True, allow_none=True, metadata={"example": "2026-03-24T11:30:00+00:00"})
    note = fields.String(dump_only=True, allow_none=True, metadata={"example": None})


class EventListSchema(Schema):
    events = fields.List(fields.Nested(EventSchema))


class CurrentEventSchema(Schema):
    event = fields.Nested(EventSchema, allow_none=True, metadata={"description": "The running event, or null."})
    suspect_forgotten = fields.Boolean(
        metadata={"description": "The running event is longer than your forgotten_after_minutes: did you forget to stop it?"}
    )


def check_range_order(data: dict) -> None:
    """Refuse a range whose end comes before its start."""
    if "start" in data and "end" in data and data["end"] < data["start"]:
        raise ValidationError("end must not be before start.", field_name="end")


class RangeQuerySchema(Schema):
    """A half-open range ``[start, end)`` of UTC instants."""

    start = Instant(required=True, metadata={"description": "Inclusive; ISO 8601, e.g. 2026-03-24T00:00:00Z."})
    end = Instant(required=True, metadata={"description": "Exclusive; ISO 8601, e.g. 2026-03-25T00:00:00Z."})

    @validates_schema
    def _end_not_before_start(self, data, **_kwargs):
        check_range_order(data)


class EventQuerySchema(RangeQuerySchema):
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Only events whose note or label contains this text (any case)."},
    )


class StartEventSchema(Schema):
    label = fields.String(required=True, **LABEL)
    note = NoteText(**NOTE)
    started_at = Instant(
        metadata={"description": "Optional past start (a tap queued offline); default now.", "example": "2026-03-24T09:00:00+00:00"}
    )


class StopEventSchema(Schema):
    ended_at = Instant(
        metadata={"description": "Optional past end (a forgotten timer, a tap queued offline); default now.", "example": "2026-03-24T11:30:00+00:00"}
    )


class NewEventSchema(Schema):
    """A finished event entered by hand."""

    label = fields.String(required=True, **LABEL)
    started_at = Instant(required=True, metadata={"example": "2026-03-24T09:00:00+00:00"})
    ended_at = Instant(required=True, metadata={"example": "2026-03-24T11:30:00+00:00"})
    note = NoteText(**NOTE)


class EventChangesSchema(Schema):
    """Any of label, started_at, ended_at. ``ended_at`` on the running event stops it."""

    label = fields.String(**LABEL)
    started_at = Instant(metadata={"example": "2026-03-24T09:00:00+00:00"})
    ended_at = Instant(
        metadata={"example": "2026-03-24T11:30:00+00:00"},
        error_messages={"null": "ended_at cannot be set to null; to start a new event use POST /events/start."},
    )
    note = NoteText(**NOTE)
