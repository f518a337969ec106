"""The device credential's cookie, and the same-origin check of the one endpoint that reads it.

The browser keeps the credential in a cookie that script cannot read
(``HttpOnly``), that is sent only to ``POST /api/v1/auth/refresh`` (``Path``)
and only from this site's own pages (``SameSite=Strict``), over HTTPS only
when the app is served over HTTPS (``Secure``; behind a proxy, ProxyFix must
say so). Every other endpoint still authenticates with the bearer token alone,
so cookies never make a request count as the user's (no CSRF surface there).
"""
from __future__ import annotations

from flask import after_this_request, current_app, request
from flask_smorest import abort

COOKIE_NAME = "lifelogger_device"
REFRESH_PATH = "/api/v1/auth/refresh"


def device_credential() -> str | None:
    """The device credential the request's cookie holds, or None."""
    return request.cookies.get(COOKIE_NAME)


def keep_device_cookie(credential: str | None) -> None:
    """Have the response set the device cookie to ``credential``, or delete it (None)."""
    secure = request.is_secure
    max_age = current_app.config["DEVICE_MAX_IDLE_DAYS"] * 24 * 3600

    @after_this_request
    def write(response):
        if credential is None:
            response.delete_cookie(COOKIE_NAME, path=REFRESH_PATH, secure=secure, httponly=True, samesite="Strict")
        else:
            response.set_cookie(
                COOKIE_NAME, credential, max_age=max_age, path=REFRESH_PATH, secure=secure, httponly=True, samesite="Strict"
            )
        return response


def require_same_origin() -> None:
    """403 unless the request comes from one of this site's own pages.

    ``SameSite=Strict`` already keeps the cookie off cross-site requests; this
    also refuses them where a browser ignores SameSite. A browser sends
    ``Origin`` with every POST from script, and ``Sec-Fetch-Site``; a request
    with neither is not from a page of ours.
    """
    own_origin = f"{request.scheme}://{request.host}"
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if (site is None and origin is None) or (site is not None and site != "same-origin") or (origin is not None and origin != own_origin):
        abort(403, message="Staying signed in works only from this site's own pages.")
