"""A calendar feed URL's token never reaches gunicorn's access log (gunicorn.conf.py's RedactingLogger).

Run through a real gunicorn started with the project's gunicorn.conf.py, so a
change to the access-log format or the logger class is caught here.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.api import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_the_feed_token_is_redacted_in_the_access_log(database_url, user, clock, tmp_path):
    token = user.post("/tokens", json={"name": "calendar", "scope": "calendar", "password": PASSWORD}).json["token"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "LIFELOGGER_DATABASE_URL": database_url,
        "LIFELOGGER_SECRET_KEY": "test-secret",
        "LIFELOGGER_RATELIMIT_ENABLED": "false",
        "LIFELOGGER_BIND": f"127.0.0.1:{port}",
        "LIFELOGGER_WORKERS": "1",
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/v1/feeds/{token}/calendar.ics"
            deadline = time.monotonic() + 20
            while True:
                try:
                    request = urllib.request.Request(url, headers={"Referer": url})
                    with urllib.request.urlopen(request, timeout=2) as response:
                        assert response.status == 200
                        assert response.read().startswith(b"BEGIN:VCALENDAR\r\n")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert '"GET /api/v1/feeds/[redacted]/calendar.ics HTTP/1.1" 200' in text, text
    assert token not in text
    assert token.removeprefix("llpat_") not in text
