"""Schemas of export and import."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lifelogger.blueprints.transfer.formats import FORMATS, NEEDS_TIMEZONE
from lifelogger.api.fields import Instant, TimeZoneName
from lifelogger.api.openapi import Answer
from lifelogger.api.schemas import check_range_order


class ExportQuerySchema(Schema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "json round-trips exactly through POST /import; csv is for spreadsheets."},
    )
    start = Instant(metadata={"description": "Optional: only events starting at or after this instant "
                              "(with `clip=true`: events that overlap the range)."})
    end = Instant(metadata={"description": "Optional: only events starting before this instant "
                            "(with `clip=true`: events that overlap the range)."})
    clip = fields.Boolean(
        load_default=False,
        metadata={
            "description": "With start and end: every event that overlaps the range, cut to it (the running event "
            "ends at now), as GET /stats counts them, so its minutes add up to /stats. Default false: the events "
            "that start in the range, whole, as they re-import."
        },
    )

    @validates_schema
    def _both_or_neither(self, data, **_kwargs):
        if ("start" in data) != ("end" in data):
            raise ValidationError("Give both start and end, or neither.", field_name="start" if "start" not in data else "end")
        check_range_order(data)
        if data.get("clip") and "start" not in data:
            raise ValidationError("clip cuts events to a range: give start and end as well.", field_name="clip")


class ExportedEventSchema(Answer):
    """One event of the JSON export, as ``POST /import?format=lifelogger-json`` reads it back."""

    source_id = fields.Integer(metadata={"description": "The event's id here (an import skips it if it exists).", "example": 42})
    label = fields.String(metadata={"example": "Programming"})
    started_at = Instant()
    ended_at = Instant(allow_none=True, metadata={"description": "null for the running event."})
    note = fields.String(allow_none=True)


class ExportSchema(Answer):
    """The JSON export (``GET /export?format=json``). It documents the answer, which
    ``service.export_json`` streams; tests/test_openapi.py holds the two together."""

    format = fields.String(validate=validate.OneOf(["lifelogger"]), metadata={"example": "lifelogger"})
    version = fields.Integer(metadata={"example": 1})
    labels = fields.List(fields.String(), metadata={"example": ["Exercise", "Programming"]})
    events = fields.List(fields.Nested(ExportedEventSchema))


class ImportQuerySchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(list(FORMATS)))
    timezone = TimeZoneName(
        metadata={
            "description": f"IANA zone of the file's local times (required for {' and '.join(sorted(NEEDS_TIMEZONE))}).",
            "example": "Europe/Berlin",
        }
    )
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Report what would happen; change nothing."})

    @validates_schema
    def _zone_when_needed(self, data, **_kwargs):
        if data.get("format") in NEEDS_TIMEZONE and not data.get("timezone"):
            raise ValidationError(
                f"{data['format']} holds local times: say which zone with timezone=Area/City (your tracker's setting).",
                field_name="timezone",
            )


class RowErrorSchema(Schema):
    row = fields.Integer(metadata={"description": "Line in a CSV file (header = 1), or position in the JSON events list."})
    message = fields.String()


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    imported = fields.Integer(metadata={"description": "Events imported (or, in a dry run or with errors, that would be)."})
    skipped_duplicates = fields.Integer(metadata={"description": "Rows matching an existing event (label, start, end)."})
    labels_created = fields.List(fields.String())
    errors = fields.List(fields.Nested(RowErrorSchema))
