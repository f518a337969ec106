"""Hold a chunked request body to the same size limit as one with a Content-Length.

Werkzeug checks ``max_content_length`` (``MAX_CONTENT_LENGTH``, or the larger
limit a view sets, as ``POST /import`` does) against the Content-Length
header. A chunked body has none; when the server terminates the stream itself
(gunicorn sets ``wsgi.input_terminated``), Werkzeug reads it only up to the
limit and silently drops the rest, so a 200 KiB chunked body reached the API
cut to its first 64 KiB instead of being refused. ``Request.stream`` here reads
one byte past the limit and answers 413 when it gets it.
"""
from __future__ import annotations

import flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream


class StrictLimitedStream(LimitedStream):
    """At most ``limit`` bytes; 413 as soon as the body proves longer."""

    def __init__(self, stream, limit: int):
        super().__init__(stream, limit + 1, is_max=True)
        self.allowed = limit

    def readinto(self, buffer) -> int | None:
        read = super().readinto(buffer)
        if self.tell() > self.allowed:
            raise RequestEntityTooLarge()
        return read


class Request(flask.Request):
    """Flask's request, refusing an over-long chunked body instead of truncating it."""

    @cached_property
    def stream(self):
        limit = self.max_content_length  # read now: a view may have raised it
        if (
            not self.shallow
            and limit is not None
            and self.content_length is None
            and self.environ.get("wsgi.input_terminated")
        ):
            return StrictLimitedStream(self.environ["wsgi.input"], limit)
        return super().stream
