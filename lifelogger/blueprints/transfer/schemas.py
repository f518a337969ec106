"""Schemas of export and import."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lifelogger.blueprints.transfer.formats import FORMATS, NEEDS_TIMEZONE
from lifelogger.blueprints.transfer.service import DATE_FORMATS, ERRORS_LISTED, OVERLAP_POLICIES
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
    format = fields.String(
        validate=validate.OneOf(list(FORMATS)),
        metadata={"description": "The file's format; may be left out when the file itself shows it (else 422 asks for it)."},
    )
    timezone = TimeZoneName(
        metadata={
            "description": f"IANA zone of the file's local times (required for {' and '.join(sorted(NEEDS_TIMEZONE))}).",
            "example": "Europe/Berlin",
        }
    )
    date_format = fields.String(
        validate=validate.OneOf(DATE_FORMATS),
        metadata={"description": "The order of day, month and year in the file's dates, where the file does not make it clear."},
    )
    overlaps = fields.String(
        load_default="refuse",
        validate=validate.OneOf(OVERLAP_POLICIES),
        metadata={
            "description": "A row overlapping an earlier one or a logged event: refuse (an error naming the clash; nothing is imported) "
            "or trim (the row starts when the earlier event ends, and ends when the next begins; trimmed to nothing: skipped)."
        },
    )
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Report what would happen; change nothing (and take no write lock)."})

    @validates_schema
    def _zone_when_needed(self, data, **_kwargs):
        if data.get("format") in NEEDS_TIMEZONE and not data.get("timezone"):
            raise ValidationError(
                f"{data['format']} holds local times: say which zone with timezone=Area/City (your tracker's setting).",
                field_name="timezone",
            )


class RowErrorSchema(Schema):
    row = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Line in a CSV file (header = 1), or position in the JSON events list; null for the file as a whole."},
    )
    field = fields.String(required=True, allow_none=True, metadata={"description": "The field at fault (label, note, started_at, overlaps, file, ...), when one is."})
    message = fields.String(required=True)


class TrimmedRowSchema(Schema):
    row = fields.Integer(required=True)
    seconds = fields.Integer(required=True, metadata={"description": "Seconds the row lost to overlaps."})


class SkippedRowSchema(Schema):
    row = fields.Integer(required=True)
    message = fields.String(required=True)


class TrimPreviewSchema(Schema):
    rows = fields.Integer(required=True, metadata={"description": "Rows overlaps=trim shortens."})
    min_seconds = fields.Integer(required=True, allow_none=True, metadata={"description": "The least any of them loses."})
    max_seconds = fields.Integer(required=True, allow_none=True, metadata={"description": "The most any of them loses."})
    skipped = fields.Integer(required=True, metadata={"description": "Rows overlaps=trim would leave nothing of (skipped)."})


class ImportReportSchema(Schema):
    """What an import did (200) or, refused, what it found (422): the same fields either way."""

    dry_run = fields.Boolean(required=True)
    format = fields.String(required=True, allow_none=True, metadata={"description": "The format read (given, or detected)."})
    overlaps = fields.String(required=True, metadata={"description": "The overlap policy applied."})
    complete = fields.Boolean(
        required=True,
        metadata={"description": f"False when checking stopped early (the {ERRORS_LISTED}th error, or the label cap): the counts cover the rows read until then."},
    )
    imported = fields.Integer(required=True, metadata={"description": "Events imported (or, in a dry run or with errors, that would be)."})
    skipped_duplicates = fields.Integer(required=True, metadata={"description": "Rows matching an existing event or an earlier row (label, start, end)."})
    skipped_empty = fields.Integer(required=True, metadata={"description": "Zero-length rows (end = start): nothing to log."})
    trimmed = fields.List(fields.Nested(TrimmedRowSchema), required=True, metadata={"description": f"Rows shortened by overlaps=trim (the first {ERRORS_LISTED})."})
    trimmed_total = fields.Integer(required=True)
    skipped_trimmed_away = fields.Integer(required=True, metadata={"description": "Rows overlaps=trim left nothing of."})
    running_started = fields.Integer(required=True, allow_none=True, metadata={"description": "The running row that became your running event."})
    skipped_running = fields.List(
        fields.Nested(SkippedRowSchema),
        required=True,
        metadata={"description": "Running rows (no end) skipped: only the newest row, when nothing runs and it overlaps nothing, becomes the running event."},
    )
    trim_preview = fields.Nested(TrimPreviewSchema, required=True, metadata={"description": "What overlaps=trim does (or would do) with this file."})
    labels_created = fields.List(fields.String(), required=True)
    errors = fields.List(fields.Nested(RowErrorSchema), required=True, metadata={"description": f"Why rows (or the file) cannot be imported: the first {ERRORS_LISTED}."})
    errors_total = fields.Integer(required=True)


class ImportRefusalSchema(ImportReportSchema):
    """The error shape ``{code, status, message, errors}`` with the rest of the report beside it."""

    code = fields.Integer(required=True, metadata={"example": 422})
    status = fields.String(required=True, metadata={"example": "Unprocessable Entity"})
    message = fields.String(required=True)
