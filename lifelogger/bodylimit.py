"""Hold a chunked request body to the same size limit as one with a Content-Length.

Werkzeug checks ``MAX_CONTENT_LENGTH`` against the Content-Length header. A
chunked body has none; when the server terminates the stream itself (gunicorn
sets ``wsgi.input_terminated``), Werkzeug reads it only up to the limit and
silently drops the rest, so a 200 KiB chunked body reached the API cut to its
first 64 KiB instead of being refused. This middleware reads such a body up to
one byte past the limit and gives it a Content-Length, so the usual check
answers 413 and a body within the limit reads as before.
"""
from __future__ import annotations

import io

from werkzeug.wsgi import get_content_length


class BoundedBody:
    """WSGI middleware: give a length-less, server-terminated body a Content-Length."""

    def __init__(self, wsgi_app, limit: int):
        self.wsgi_app = wsgi_app
        self.limit = limit

    def __call__(self, environ, start_response):
        if get_content_length(environ) is None and environ.get("wsgi.input_terminated"):
            body = environ["wsgi.input"].read(self.limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # The body is de-chunked now; Werkzeug ignores Content-Length beside "chunked".
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.wsgi_app(environ, start_response)
