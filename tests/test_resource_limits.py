"""Resource limits: range length, body size, name lengths, labels per user."""
from __future__ import annotations

import io

import pytest

from lifelogger import config

from tests.support.config import base_config

START = "1990-01-01T00:00:00Z"
FIFTY_YEARS_LATER = "2040-01-01T00:00:00Z"  # 18262 days: 50 years with 12 leap days

# The product's default range limit (the suite's base config relaxes it).
pytestmark = pytest.mark.app_config(MAX_RANGE_DAYS=config.SETTINGS["MAX_RANGE_DAYS"][1])


@pytest.mark.parametrize("path", ["/events", "/stats"])
def test_a_range_of_fifty_years_is_allowed(user, path):
    assert user.get(path, query_string={"start": START, "end": FIFTY_YEARS_LATER}).status_code == 200


@pytest.mark.parametrize("path", ["/events", "/stats"])
def test_a_range_longer_than_fifty_years_is_422(user, path):
    response = user.get(path, query_string={"start": START, "end": "2040-01-01T00:00:01Z"})
    assert response.status_code == 422
    assert "longer than 18262 days" in response.json["errors"]["query"]["end"][0]
    assert "shorter" in response.json["message"]


@pytest.mark.app_config(MAX_RANGE_DAYS=7)
@pytest.mark.parametrize("path", ["/events", "/stats"])
def test_the_longest_range_is_configurable(user, path):
    week = {"start": "2026-03-01T00:00:00Z", "end": "2026-03-08T00:00:00Z"}
    assert user.get(path, query_string=week).status_code == 200
    longer = {"start": "2026-03-01T00:00:00Z", "end": "2026-03-08T00:00:01Z"}
    assert user.get(path, query_string=longer).status_code == 422


def test_the_default_limits():
    defaults = {key: default for key, (_convert, default) in config.SETTINGS.items()}
    assert defaults["MAX_RANGE_DAYS"] == 18262
    assert defaults["MAX_LABELS_PER_USER"] == 500
    assert config.STATIC_DEFAULTS["MAX_CONTENT_LENGTH"] == 64 * 1024


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/octet-stream", None])
def test_a_body_over_64_kib_is_413_whatever_its_type(user, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = user.post("/labels", data=b"x" * (64 * 1024 + 1), headers=headers)
    assert response.status_code == 413
    assert response.json["code"] == 413
    assert "64 KiB" in response.json["message"]


@pytest.mark.app_config(MAX_IMPORT_BYTES=2048)
def test_an_import_over_its_own_limit_names_that_limit(user):
    """The import raises the body limit for itself: the 413 says which limit was passed."""
    response = user.post("/import", query_string={"format": "lifelogger-csv"}, data=b"x" * 2049, headers={"Content-Type": "text/csv"})
    assert response.status_code == 413
    assert "2 KiB at most" in response.json["message"]


def test_a_body_of_exactly_64_kib_is_read(user):
    body = b'{"name": "Sleep"}'.ljust(64 * 1024, b" ")
    response = user.post("/labels", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 201


def test_a_chunked_body_over_64_kib_is_413(user):
    """No Content-Length to check up front: the read itself stops at the limit.

    ``wsgi.input_terminated`` is what gunicorn sets for a chunked request body.
    """
    response = user.post(
        "/labels",
        input_stream=io.BytesIO(b"x" * (200 * 1024)),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.json["code"] == 413


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register"])
def test_an_oversized_body_to_a_public_endpoint_is_413(anon, path):
    response = anon.post(path, data=b"{" * (100 * 1024), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path,field,longest",
    [("/labels", "name", 64), ("/me", "display_name", 64)],
)
def test_name_lengths_are_enforced(user, path, field, longest):
    method = user.post if path == "/labels" else user.patch
    assert method(path, json={field: "x" * longest}).status_code in (200, 201)
    response = method(path, json={field: "y" * (longest + 1)})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_a_username_is_at_most_32_characters(anon):
    assert anon.post("/auth/register", json={"username": "u" * 32, "password": "a long passphrase"}).status_code == 201
    response = anon.post("/auth/register", json={"username": "v" * 33, "password": "a long passphrase"})
    assert response.status_code == 422


@pytest.mark.app_config(MAX_LABELS_PER_USER=3)
def test_a_users_label_count_is_capped(user, make_user):
    # `user` has three labels already: Exercise, Programming, Reading.
    response = user.post("/labels", json={"name": "Sleep"})
    assert response.status_code == 422
    assert response.json["message"] == "You have 3 labels, the most allowed; delete one you no longer use first."
    assert response.json["errors"]["json"]["name"] == [response.json["message"]]
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]
    assert make_user("bob").post("/labels", json={"name": "Sleep"}).status_code == 201  # per user
    assert user.delete("/labels/Exercise").status_code == 204
    assert user.post("/labels", json={"name": "Sleep"}).status_code == 201


@pytest.mark.app_config(MAX_LABELS_PER_USER=3)
def test_renaming_at_the_cap_still_works(user):
    assert user.patch("/labels/Exercise", json={"name": "Sport"}).status_code == 200


def test_a_chunked_body_within_the_limit_is_read_whole(user):
    body = b'{"name": "Sleep"}'.ljust(60 * 1024, b" ")
    response = user.post(
        "/labels",
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 201


def year_of_csv_rows() -> bytes:
    lines = ["label,started_at,ended_at"]
    for day in range(365):
        for hour in range(0, 20, 2):
            start = f"2025-01-01T{hour:02d}:00:00Z"
            lines.append(f"Reading,{start},{start}")  # zero-length rows, skipped and counted: only the size matters here
    return "\n".join(lines).encode()


def chunked(user, path, body: bytes, **kwargs):
    return user.post(
        path,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", **kwargs.pop("headers", {})},
        environ_overrides={"wsgi.input_terminated": True},
        **kwargs,
    )


def test_a_chunked_import_is_read_whole_up_to_the_import_limit(user):
    """POST /import raises its own limit (MAX_IMPORT_BYTES); a chunked file is not cut at 64 KiB."""
    body = year_of_csv_rows()
    assert len(body) > 64 * 1024
    response = chunked(
        user, "/import", body, query_string={"format": "lifelogger-csv", "dry_run": "true"}, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 200
    assert response.json["skipped_empty"] == 3650  # every row read


@pytest.mark.app_config(MAX_IMPORT_BYTES=100_000)
def test_a_chunked_import_over_the_import_limit_is_413(user):
    body = year_of_csv_rows()
    assert len(body) > 100_000
    response = chunked(user, "/import", body, query_string={"format": "lifelogger-csv"}, headers={"Content-Type": "text/csv"})
    assert response.status_code == 413


@pytest.fixture
def live_server(database_url):
    """The app under gunicorn (one worker) on a free loopback port; yields its base URL."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "LIFELOGGER_DATABASE_URL": database_url,
        "LIFELOGGER_SECRET_KEY": "test-secret",
        "LIFELOGGER_BCRYPT_ROUNDS": "4",
        "LIFELOGGER_RATELIMIT_ENABLED": "false",
        "LIFELOGGER_BIND": f"127.0.0.1:{port}",
        "LIFELOGGER_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py"), "wsgi:app"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/openapi.json", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        from lifelogger import create_app
        from lifelogger.db import db

        app = create_app(base_config(database_url))
        with app.app_context():
            with db.engine.begin() as conn:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
            db.engine.dispose()


def test_gunicorn_refuses_a_chunked_body_over_64_kib(live_server):
    """Over a real socket: without bodylimit.Request the body was cut to 64 KiB and read."""
    import http.client
    import json
    from urllib.parse import urlsplit

    url = urlsplit(live_server)

    def call(method, path, body=None, token=None, chunked=False):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if chunked:
            chunks = [body[i : i + 8192] for i in range(0, len(body), 8192)]
            conn.request(method, url.path + path, body=iter(chunks), headers=headers, encode_chunked=True)
        else:
            conn.request(method, url.path + path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        return response.status, payload

    credentials = json.dumps({"username": "alice", "password": "a long passphrase"}).encode()
    assert call("POST", "/auth/register", credentials)[0] == 201
    token = json.loads(call("POST", "/auth/login", credentials)[1])["token"]
    # Valid JSON whatever its length: only the size limit can refuse it.
    padded = b'{"name": "Sleep"}'.ljust(200 * 1024, b" ")
    status, payload = call("POST", "/labels", padded, token, chunked=True)
    assert status == 413
    assert json.loads(payload)["code"] == 413
    assert call("POST", "/labels", padded[: 60 * 1024], token, chunked=True)[0] == 201
    # POST /import allows more (MAX_IMPORT_BYTES): a chunked file is read whole.
    status, payload = call("POST", "/import?format=lifelogger-csv&dry_run=true", year_of_csv_rows(), token, chunked=True)
    assert status == 200
    assert json.loads(payload)["skipped_empty"] == 3650
