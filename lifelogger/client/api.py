"""A small HTTP client for the Life Logger API, with errors a person can act on."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

# Exit codes scripts can rely on (documented in the README).
EXIT_API_ERROR = 1  # the server refused the request (4xx other than 401)
EXIT_AUTH = 3  # not logged in, or the token is invalid/expired/revoked
EXIT_UNREACHABLE = 4  # no answer from the server
EXIT_SERVER = 5  # the server failed (5xx)


class ClientError(Exception):
    """A failure to report to the user, with the exit code to leave with."""

    def __init__(self, message: str, exit_code: int = EXIT_API_ERROR, status: int | None = None, body: dict | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.status = status
        self.body = body or {}


@dataclass
class Api:
    url: str  # the server's origin, e.g. https://logger.example.com
    token: str | None = None
    timeout: float = 30.0

    @property
    def base(self) -> str:
        return self.url.rstrip("/") + "/api/v1"

    def request(self, method: str, path: str, *, query: dict | None = None, body=None, raw: bytes | None = None,
                content_type: str | None = None, accept_text: bool = False):
        """Send a request; return parsed JSON (or text), raise ClientError on failure."""
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            data = raw
            headers["Content-Type"] = content_type or "application/octet-stream"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                payload = response.read()
                if not payload:
                    return None
                if accept_text or not response.headers.get_content_type().endswith("json"):
                    return payload.decode("utf-8")
                return json.loads(payload)
        except urllib.error.HTTPError as exc:
            raise _error_from_response(exc) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ClientError(
                f"Cannot reach the Life Logger server at {self.url} ({reason}). "
                "Check the URL (lifelogger login --url ...) and that the server is running.",
                EXIT_UNREACHABLE,
            ) from None

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


def _error_from_response(exc: urllib.error.HTTPError) -> ClientError:
    try:
        body = json.loads(exc.read() or b"{}")
        message = body.get("message") or exc.reason
    except (ValueError, AttributeError):
        body, message = {}, str(exc.reason)
    if exc.code == 401:
        return ClientError(
            f"{message} Run 'lifelogger login --url URL' to get a new token "
            "(or set LIFELOGGER_TOKEN to a valid personal access token).",
            EXIT_AUTH,
            401,
        )
    if exc.code >= 500:
        return ClientError(f"The server failed ({exc.code}): {message}", EXIT_SERVER, exc.code)
    return ClientError(f"{message}", EXIT_API_ERROR, exc.code, body)
