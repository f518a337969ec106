"""Security and caching headers on every response.

HTML pages get a Content-Security-Policy that allows scripts from this origin
only (no inline script, no eval), so an injected label can never run code.
API responses carry personal data or tokens: browsers and proxies must not
store them.
"""
from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Swagger UI and Chart.js set style attributes from script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        # The service worker (/sw.js) and the web app manifest, from this origin only.
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# On every response, unless a view chose its own value.
EVERY_RESPONSE = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)
_SWAGGER_ASSETS = "/api/v1/docs/assets/"


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries.

    This runs on every request, so it reads the response's few headers once
    instead of searching them per header (``setdefault`` scans the list each time).
    """
    headers = response.headers
    present = {key.lower(): value for key, value in headers.items()}
    missing = [(key, value) for key, value in EVERY_RESPONSE if key.lower() not in present]
    if present.get("content-type", "").startswith("text/html") and "content-security-policy" not in present:
        missing.append(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
    path = request.path
    if path.startswith("/api/") and not path.startswith(_SWAGGER_ASSETS):
        if "cache-control" in present:
            del headers["Cache-Control"]
        missing.append(("Cache-Control", "no-store"))
    headers.extend(missing)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
