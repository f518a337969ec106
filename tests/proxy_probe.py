"""The production app (``wsgi:app``) plus one route that shows what a request looks like inside it.

Only the nginx end-to-end test serves this: behind nginx the app must see the
client's scheme, host and address, and which worker process answered.
"""
import os

from flask import request

from wsgi import app


@app.get("/_probe")
def probe():
    return {
        "scheme": request.scheme,
        "url_root": request.url_root,
        "remote_addr": request.remote_addr,
        "worker_pid": os.getpid(),
    }
