"""The floor for request overhead: a bare Flask endpoint, no auth, no database.

Served by the benchmark under the same gunicorn configuration as the app
(`gunicorn -c gunicorn.conf.py bench.bare:app`) and called in-process.
"""
from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping():
    """A tiny JSON answer, like /me's but from nothing."""
    return {"id": 1, "ok": True}
