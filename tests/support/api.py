"""Speaking to /api/v1 from a test: the path prefix, the shared password, a client holding a bearer token."""
from __future__ import annotations

from flask.testing import FlaskClient

API = "/api/v1"
PASSWORD = "correct horse battery"


class ApiClient:
    """A test client speaking to /api/v1, with a user's bearer token when it has one."""

    def __init__(self, client: FlaskClient, token: str | None = None, username: str | None = None):
        self.client = client
        self.token = token
        self.username = username

    def _headers(self, headers):
        merged = dict(headers or {})
        if self.token and "Authorization" not in merged:
            merged["Authorization"] = f"Bearer {self.token}"
        return merged

    def open(self, method: str, path: str, headers=None, **kwargs):
        return self.client.open(API + path, method=method, headers=self._headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.open("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.open("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)
