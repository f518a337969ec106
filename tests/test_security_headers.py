"""Security headers on every kind of response: success, every error, static files, the docs page."""
from __future__ import annotations

import pytest

from tests.support.api import API, PASSWORD


def get_headers(client, method, path, **kwargs):
    """Send the request; return (status, mimetype, headers), closing the response."""
    with client.open(path, method=method, **kwargs) as response:
        return response.status_code, response.mimetype, response.headers


def assert_security_headers(status, mimetype, headers, *, no_store: bool):
    assert headers["X-Content-Type-Options"] == "nosniff", status
    assert headers["Referrer-Policy"] == "no-referrer", status
    assert headers["X-Frame-Options"] == "DENY", status
    if mimetype == "text/html":
        directives = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split(";") if d.strip()}
        assert directives["script-src"] == ["'self'"]  # no unsafe-inline, no unsafe-eval
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
    if no_store:
        assert headers["Cache-Control"] == "no-store", status


def auth(token):
    return {"Authorization": f"Bearer {token}"}


# name -> (method, path, request kwargs given the user's token, expected status, no-store?)
CASES = {
    "api 200": ("GET", f"{API}/me", lambda t: {"headers": auth(t)}, 200, True),
    "api 201": ("POST", f"{API}/labels", lambda t: {"headers": auth(t), "json": {"name": "Sleep"}}, 201, True),
    "api 204": ("POST", f"{API}/auth/logout", lambda t: {"headers": auth(t)}, 204, True),
    "log-in token": (
        "POST",
        f"{API}/auth/login",
        lambda t: {"json": {"username": "yourname", "password": PASSWORD}},
        200,
        True,
    ),
    "api 401": ("GET", f"{API}/me", lambda t: {}, 401, True),
    "api 404": ("GET", f"{API}/nowhere", lambda t: {"headers": auth(t)}, 404, True),
    "api 404 of an id": ("GET", f"{API}/events/999999", lambda t: {"headers": auth(t)}, 404, True),
    "api 405": ("DELETE", f"{API}/me", lambda t: {"headers": auth(t)}, 405, True),
    "api 413": ("POST", f"{API}/labels", lambda t: {"headers": auth(t), "data": b"x" * 70_000}, 413, True),
    "api 415": ("POST", f"{API}/labels", lambda t: {"headers": auth(t), "data": b"name=Sleep"}, 415, True),
    "api 422": ("POST", f"{API}/labels", lambda t: {"headers": auth(t), "json": {"name": ""}}, 422, True),
    "api 400": (
        "POST",
        f"{API}/labels",
        lambda t: {"headers": {**auth(t), "Content-Type": "application/json"}, "data": b"{oops"},
        400,
        True,
    ),
    "api OPTIONS": ("OPTIONS", f"{API}/me", lambda t: {}, 200, True),
    "openapi.json": ("GET", f"{API}/openapi.json", lambda t: {}, 200, True),
    "health": ("GET", f"{API}/health", lambda t: {}, 200, True),
    "export stream": ("GET", f"{API}/export", lambda t: {"headers": auth(t)}, 200, True),
    "swagger ui page": ("GET", f"{API}/docs", lambda t: {}, 200, True),
    "swagger ui page HEAD": ("HEAD", f"{API}/docs", lambda t: {}, 200, True),
    "swagger ui asset": ("GET", f"{API}/docs/assets/swagger-ui-bundle.js", lambda t: {}, 200, False),
    "missing swagger ui asset": ("GET", f"{API}/docs/assets/nothing.js", lambda t: {}, 404, False),
    "static file": ("GET", "/static/swagger-init.js", lambda t: {}, 200, False),
    "app page": ("GET", "/", lambda t: {}, 200, False),
    "app query page": ("GET", "/query", lambda t: {}, 200, False),
    "app login page": ("GET", "/login", lambda t: {}, 200, False),
    "app script": ("GET", "/static/app/js/shell.js", lambda t: {}, 200, False),
    "favicon": ("GET", "/favicon.ico", lambda t: {}, 200, False),
    "app manifest": ("GET", "/manifest.webmanifest", lambda t: {}, 200, False),
    "service worker": ("GET", "/sw.js", lambda t: {}, 200, False),
    "missing static file": ("GET", "/static/nothing.js", lambda t: {}, 404, False),
    "404 outside the api": ("GET", "/nowhere", lambda t: {}, 404, False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_kind_of_response_carries_the_security_headers(client, user, case):
    method, path, kwargs, expected_status, no_store = CASES[case]
    status, mimetype, headers = get_headers(client, method, path, **kwargs(user.token))
    if expected_status is not None:
        assert status == expected_status
    assert_security_headers(status, mimetype, headers, no_store=no_store)


def test_the_swagger_ui_page_is_html_under_the_strict_policy(client):
    status, mimetype, headers = get_headers(client, "GET", f"{API}/docs")
    assert (status, mimetype) == (200, "text/html")
    assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]


def test_a_500_carries_the_headers(app, user, monkeypatch):
    from lifelogger.blueprints.labels import service

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "label_names", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    status, mimetype, headers = get_headers(app.test_client(), "GET", f"{API}/labels", headers=auth(user.token))
    assert status == 500
    assert_security_headers(status, mimetype, headers, no_store=True)


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_a_429_carries_the_headers(client):
    for _ in range(10):
        get_headers(client, "POST", f"{API}/auth/login", json={"username": "nobody", "password": "wrong password"})
    status, mimetype, headers = get_headers(
        client, "POST", f"{API}/auth/login", json={"username": "nobody", "password": "wrong password"}
    )
    assert status == 429
    assert_security_headers(status, mimetype, headers, no_store=True)
    assert int(headers["Retry-After"]) > 0
