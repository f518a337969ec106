"""Schemas of the events resource."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import FullMatch, Instant, NoteText
from lifelogger.api.negotiation import format_field
from lifelogger.api.schemas import EVENT_LABEL, NOTE, RangeQuerySchema
from lifelogger.blueprints.events.cursor import BadCursor, decode_cursor

class EventSchema(Answer):
    """An event: a label from ``started_at`` to ``ended_at`` (null while running)."""

    id = fields.Integer(dump_only=True, metadata={"example": 42})
    label = fields.String(dump_only=True, metadata={"example": "Programming"})
    started_at = Instant(dump_only=True, metadata={"example": "2026-03-24T09:00:00+00:00"})
    ended_at = Instant(dump_only=True, allow_none=True, metadata={"example": "2026-03-24T11:30:00+00:00"})
    note = fields.String(dump_only=True, allow_none=True, metadata={"example": "Refactored the importer"})


class EventListSchema(Answer):
    """The answer of ``GET /events``.

    It documents the endpoint; the list itself is written by
    ``events.listing`` (the hot path), which tests hold byte-equal to this
    schema's dump.
    """

    events = fields.List(fields.Nested(EventSchema))
    next = fields.String(
        allow_none=True,
        metadata={
            "optional": True,  # sent only when the request gave `limit`
            "description": "Only when `limit` was given: pass it as `cursor` (with the same "
            "`start`, `end`, `q` and `limit`) for the next page; null on the last page.",
            "example": "MTc3NDM0MjgwMCw0Mg",
        },
    )


class CurrentEventSchema(Answer):
    event = fields.Nested(EventSchema, allow_none=True, metadata={"description": "The running event, or null."})
    suspect_forgotten = fields.Boolean(
        metadata={"description": "The running event is longer than your forgotten_after_minutes: did you forget to stop it?"}
    )


class Cursor(fields.String):
    """A keyset cursor from a previous page's ``next``, loaded as ``(started_at, id)``."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return decode_cursor(super()._deserialize(value, attr, data, **kwargs))
        except BadCursor as exc:
            raise ValidationError(str(exc)) from None


SEARCH_TEXT = r"^[^\u0000-\u001f\u007f-\u009f]*$"


class EventQuerySchema(RangeQuerySchema):
    """A range, a search, and optionally a page of it: ``limit`` events after ``cursor``."""

    q = fields.String(
        validate=[
            validate.Length(min=1, max=200),
            # A NUL matched every event on SQLite; a search box is one line of text anyway.
            FullMatch(SEARCH_TEXT, error="Must not contain control characters (tabs and line breaks included)."),
        ],
        metadata={"description": "Only events whose note or label contains this text (any case); "
                  "no control characters (422).", "example": "Dune"},
    )
    limit = fields.Integer(
        validate=validate.Range(min=1, max=10_000),
        metadata={"description": "Page size (1-10000). With it the answer adds `next`; without it, "
                  "every event in the range comes at once.", "example": 500},
    )
    cursor = Cursor(metadata={"description": "The `next` of the previous page (requires `limit`)."})
    format = format_field()

    @validates_schema
    def _cursor_needs_limit(self, data, **_kwargs):
        if "cursor" in data and "limit" not in data:
            raise ValidationError("cursor pages through a listing: give limit as well.", field_name="limit")


class StartEventSchema(Schema):
    label = fields.String(required=True, **EVENT_LABEL)
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

    label = fields.String(required=True, **EVENT_LABEL)
    started_at = Instant(required=True, metadata={"example": "2026-03-24T09:00:00+00:00"})
    ended_at = Instant(required=True, metadata={"example": "2026-03-24T11:30:00+00:00"})
    note = NoteText(**NOTE)


class EventChangesSchema(Schema):
    """Any of label, started_at, ended_at. ``ended_at`` on the running event stops it."""

    label = fields.String(**EVENT_LABEL)
    started_at = Instant(metadata={"example": "2026-03-24T09:00:00+00:00"})
    ended_at = Instant(
        metadata={"example": "2026-03-24T11:30:00+00:00"},
        error_messages={"null": "ended_at cannot be set to null; to start a new event use POST /events/start."},
    )
    note = NoteText(**NOTE)
