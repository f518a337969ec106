"""A small HTTP client for the Life Logger API, with errors a person can act on."""
from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

# Exit codes scripts can rely on (documented in the README).
EXIT_API_ERROR = 1  # the server refused the request (4xx other than 401)
EXIT_USAGE = 2  # a bad argument: nothing was sent
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


# A write that meets a dying app server (502 from nginx), an overloaded or
# restarting one (503), or a dropped connection is sent again, a few times,
# with the same Idempotency-Key: the server acts once and answers a retry of a
# committed write as it answered the original.
RETRY_STATUSES = frozenset({502, 503, 504})
RETRY_DELAYS = (0.5, 1.0, 2.0)  # seconds before the 2nd, 3rd and 4th attempt
MOST_RETRY_AFTER = 10.0  # a server's Retry-After is honoured up to this many seconds
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _Retry(Exception):
    """An attempt worth repeating; ``final`` is the error to raise when none is left."""

    def __init__(self, final: ClientError, wait: float | None = None):
        self.final = final
        self.wait = wait


@dataclass
class Api:
    url: str  # the server's origin, e.g. https://logger.example.com
    token: str | None = None
    timeout: float = 30.0
    retry_delays: tuple[float, ...] = RETRY_DELAYS

    @property
    def base(self) -> str:
        return self.url.rstrip("/") + "/api/v1"

    def request(self, method: str, path: str, *, query: dict | None = None, body=None, raw: bytes | None = None,
                content_type: str | None = None, accept_text: bool = False):
        """Send a request (retried on 502/503/504 or a lost connection); return JSON or text, or raise ClientError."""
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
        if method in WRITE_METHODS:
            headers["Idempotency-Key"] = f"cli-{uuid.uuid4()}"  # one key for every attempt of this write
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        delays = iter(self.retry_delays)
        while True:
            try:
                return self._attempt(req, accept_text)
            except _Retry as retry:
                delay = next(delays, None)
                if delay is None:
                    raise retry.final from None
                time.sleep(max(delay, retry.wait or 0))

    def _attempt(self, req: urllib.request.Request, accept_text: bool):
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                payload = response.read()
                if not payload:
                    return None
                if accept_text or not response.headers.get_content_type().endswith("json"):
                    return payload.decode("utf-8")
                return json.loads(payload)
        except urllib.error.HTTPError as exc:
            error = _error_from_response(exc)
            if exc.code in RETRY_STATUSES:
                raise _Retry(error, _retry_after(exc.headers.get("Retry-After"))) from None
            raise error from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise _Retry(
                ClientError(
                    f"Cannot reach the Life Logger server at {self.url} ({reason}). "
                    "Check the URL (lifelogger login --url ...) and that the server is running.",
                    EXIT_UNREACHABLE,
                )
            ) from None

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), capped; None when absent or a date."""
    try:
        return min(float(value), MOST_RETRY_AFTER) if value else None
    except ValueError:
        return None


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
        return ClientError(f"The server failed ({exc.code}): {message}", EXIT_SERVER, exc.code, body)
    return ClientError(f"{message}", EXIT_API_ERROR, exc.code, body)
