"""Serve an app over real HTTP on a free loopback port, in a background thread."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from werkzeug.serving import make_server


def closing_responses(app):
    """Close every response, also when the client resets the connection mid-answer.

    werkzeug's server skips ``close()`` when reading the reset socket raises in
    its clean-up, leaving e.g. a static file open until the garbage collector
    finds it (a ResourceWarning, an error under ``-W error``). Browsers reset
    connections when a test closes its context while the service worker is
    still fetching the app shell. Here the answer is a generator whose
    ``finally`` closes it, run at the latest when the generator is collected.
    """

    def wrapped(environ, start_response):
        answer = app(environ, start_response)

        def chunks():
            try:
                yield from answer
            finally:
                if hasattr(answer, "close"):
                    answer.close()

        return chunks()

    return wrapped


@contextmanager
def serving(app):
    """Yield the server's base URL (``http://127.0.0.1:PORT``) while it runs."""
    server = make_server("127.0.0.1", 0, closing_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
