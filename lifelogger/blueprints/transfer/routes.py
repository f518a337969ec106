"""``/export`` and ``/import``: your data out in full, and in from other trackers."""
from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort

from lifelogger.api.auth import current_user, login_required
from lifelogger.blueprints.transfer import service
from lifelogger.blueprints.transfer.schemas import ExportQuerySchema, ExportSchema, ImportQuerySchema, ImportRefusalSchema, ImportReportSchema
from lifelogger.api.blueprint import Blueprint

blp = Blueprint("transfer", __name__, url_prefix="", description="Export all your data; import from other trackers.")

_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = ["label", "started_at", "ended_at", "duration_minutes", "note (only when some event has a note)"]
CSV_EXAMPLE = "label,started_at,ended_at,duration_minutes\nProgramming,2026-03-24T09:00:00+00:00,2026-03-24T11:30:00+00:00,150.0\n"


@blp.route("/export")
class Export(MethodView):
    @login_required
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, ExportSchema, description="The export, as a file download (`Content-Disposition: attachment`) sent with its `Content-Length`: a shorter body is a cut-off download.")
    @blp.csv_response(CSV_COLUMNS, CSV_EXAMPLE, description="The export, as a file download (`Content-Disposition: attachment`) sent with its `Content-Length`: a shorter body is a cut-off download.")
    @blp.doc(operationId="exportData")
    def get(self, query):
        """Export your labels and events (JSON or CSV)

        Everything, or the events starting in `[start, end)`; with `clip=true`,
        the events overlapping the range, cut to it as `/stats` counts them. The
        JSON round-trips exactly through `POST /import?format=lifelogger-json`.
        """
        fmt = query.pop("format")
        file, size = service.export_file(current_user(), fmt, **query)
        response = Response(_blocks_of(file), mimetype=_MEDIA[fmt].split(";")[0])
        response.content_length = size
        if fmt == "csv":
            response.headers["Content-Type"] = _MEDIA["csv"]
        response.headers["Content-Disposition"] = f'attachment; filename="lifelogger-export.{fmt}"'
        return response


def _blocks_of(file, size: int = 64 * 1024):
    """Stream a file in blocks, closing it at the end (or when the client goes away)."""
    try:
        while block := file.read(size):
            yield block
    finally:
        file.close()


@blp.route("/import")
class Import(MethodView):
    # Its transactions begin without the write lock (lifelogger.db): the file is
    # read and checked first, and only the writing, if any, takes the lock.
    reads_first = True

    @staticmethod
    def shape_refusal(payload: dict) -> dict:
        """Every 422 of the import in its one documented shape (lifelogger.api.errors asks the view):
        invalid query parameters and a missing file too, not only refused rows."""
        return service.as_refusal(payload)

    @login_required
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.response(200, ImportReportSchema, description="Imported (or, with dry_run, what an import would do): the report.")
    @blp.doc(
        requestBody={
            "description": "The file: as multipart/form-data field 'file', or as the raw request body.",
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}
                },
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    )
    @blp.alt_response(
        422,
        schema=ImportRefusalSchema,
        description="Nothing was imported: the error shape {code, status, message, errors} with the rest of the report beside it; "
        "'errors' lists why, per row (row null: the file as a whole, or a query parameter named by 'field').",
    )
    @blp.doc(operationId="importEvents")
    def post(self, query):
        """Import events from a file (all or nothing)

        Labels are created as needed; rows equal to an existing event (label,
        start, end) and zero-length rows are skipped and counted; overlaps are
        refused or trimmed (`overlaps`); a running row becomes the running
        event only when it is the newest row, nothing runs and it overlaps
        nothing. `dry_run=true` only reports, and takes no write lock.
        """
        request.max_content_length = current_app.config["MAX_IMPORT_BYTES"]
        upload = request.files.get("file")
        data = upload.read() if upload is not None else request.get_data()
        if not data:
            # A named upload or a typed body that holds nothing is an empty file; no body at all is no file.
            sent = upload is not None or (request.mimetype not in ("", "multipart/form-data"))
            message = "The file is empty." if sent else "No file sent."
            help = "Send the file as the request body or as the multipart field 'file'."
            abort(422, message=message if sent else f"{message} {help}", errors={"file": [message]})
        return service.import_file(current_user(), data, **query)
