"""``GET /api/v1/health``: up with its database, or a JSON 503."""
import socket

import pytest

from lifelogger import create_app

from tests.support.api import ApiClient
from tests.support.config import base_config


def test_health_is_ok_without_authentication(anon):
    response = anon.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_health_is_documented_as_public(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/health"]["get"]
    assert operation["security"] == []  # public, said explicitly (docs/api.md)
    assert {"200", "503"} <= set(operation["responses"])


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_health_is_a_json_503_when_the_database_is_unreachable(tmp_path, backend):
    if backend == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/lifelogger?connect_timeout=2"
    else:
        url = f"sqlite:///{tmp_path / 'no-such-directory' / 'lifelogger.sqlite3'}"
    app = create_app(base_config(url))
    response = ApiClient(app.test_client()).get("/health")
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    body = response.json
    assert body["code"] == 503 and body["message"]
    assert response.headers["Retry-After"] == "5"
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "127.0.0.1" not in text and "no-such-directory" not in text
