"""JSON or CSV: the one content-negotiation rule of ``GET /events``, ``/stats`` and ``/stats/daily``.

A client chooses CSV with ``Accept: text/csv`` or, for tools that cannot set
headers (a spreadsheet's "import from URL"), with ``format=csv`` in the query,
which wins over the header. No ``Accept``, ``*/*`` or ``application/json``
gives JSON as before; an ``Accept`` that allows neither answers 406, as JSON
(the error shape is the same whatever was asked for). CSV cells are written by
``csv_response``: text cells pass through ``core.csvcells.neutralise`` so a
spreadsheet never runs a label or a note as a formula; numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from flask import Response, after_this_request, request, stream_with_context
from flask_smorest import abort
from marshmallow import fields, validate

from lifelogger.core.csvcells import neutralise

JSON = "application/json"
CSV = "text/csv"
FORMATS = {"json": JSON, "csv": CSV}
# Rows per chunk of a streamed CSV body: a year's events is a few chunks.
CSV_CHUNK_ROWS = 1000

# The query parameter, for every schema of a negotiated endpoint (an unknown value → 422).
FORMAT_FIELD = dict(
    validate=validate.OneOf(list(FORMATS)),
    metadata={
        "description": "`csv` for a spreadsheet (the same as `Accept: text/csv`, for tools that cannot set headers); "
        "wins over the Accept header. Default: by the Accept header, JSON when it allows both.",
    },
)


def format_field() -> fields.String:
    """The ``format`` query field of a negotiated endpoint."""
    return fields.String(**FORMAT_FIELD)


def wants_csv(query_format: str | None) -> bool:
    """True if this request asked for CSV; aborts with 406 if it accepts neither CSV nor JSON.

    Also marks the response ``Vary: Accept``, since the same URL answers
    in two formats.
    """

    @after_this_request
    def _vary(response):
        response.vary.add("Accept")
        return response

    if query_format is not None:
        return query_format == "csv"
    if not request.accept_mimetypes:  # no Accept header: JSON, as before CSV existed
        return False
    # Ties go to the client's order; for */* the first offer (JSON) wins.
    best = request.accept_mimetypes.best_match([JSON, CSV])
    if best is None:
        abort(
            406,
            message=f"This endpoint answers {JSON} or {CSV} (or give format=csv); "
            f"the Accept header allows neither: {request.headers.get('Accept')!r}.",
        )
    return best == CSV


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value


def csv_response(header: Sequence[str], rows: Iterable[Sequence], filename: str, headers: dict | None = None) -> Response:
    """A ``text/csv`` response: the header row, then ``rows`` streamed in chunks.

    ``None`` is an empty cell, every ``str`` is neutralised (UTC ISO instants
    start with a digit, so they are left as they are), numbers are written as
    numbers. Lines end in CRLF, as RFC 4180 and spreadsheets expect.
    """

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # lineterminator "\r\n"
        writer.writerow([_cell(name) for name in header])
        for count, row in enumerate(rows, start=1):
            writer.writerow([_cell(value) for value in row])
            if count % CSV_CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(chunks()), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers.extend(headers or {})
    return response


def documents_csv(blp, columns: Sequence[str], example: str, description: str):
    """Document a negotiated endpoint in OpenAPI: its 200 in ``text/csv`` too, and its 406.

    A decorator for under ``@blp.response``; the JSON 200 stays as that one
    documents it, and the CSV one follows the API's convention
    (``Blueprint.csv_response``).
    """
    as_csv = blp.csv_response(list(columns), example, description=description)
    not_acceptable = blp.alt_response(406, response="NOT_ACCEPTABLE")
    return lambda view: as_csv(not_acceptable(view))
