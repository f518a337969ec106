"""Staying signed in on a device: the device cookie, rotation, replay, expiry, and what ends it."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from werkzeug.http import parse_cookie

from lifelogger.api.devicecookie import COOKIE_NAME, REFRESH_PATH
from lifelogger.core.useragent import device_name
from lifelogger.db import db
from lifelogger.db.models import Device, Session

from tests.support.api import PASSWORD, ApiClient
from tests.test_sessions import every_row_as_text

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
OWN_ORIGIN = "http://localhost"


def set_cookie_header(response) -> str:
    """The response's one Set-Cookie for the device cookie (asserting there is exactly one)."""
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE_NAME + "=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return headers[0]


def credential_in(response) -> str:
    """The device credential a response sets ('' when it deletes the cookie)."""
    return parse_cookie(set_cookie_header(response).split(";")[0])[COOKIE_NAME]


def log_in(app, remember=True, user_agent=FIREFOX_ANDROID, username="yourname", password=PASSWORD):
    """POST /auth/login from a cookie-less client; the response."""
    client = app.test_client(use_cookies=False)
    body = {"username": username, "password": password, "remember": remember}
    return client.post("/api/v1/auth/login", json=body, headers={"User-Agent": user_agent})


def refresh(app, credential: str | None, **headers):
    """POST /auth/refresh as the browser app sends it: the cookie, and this site's Origin."""
    sent = {"Origin": OWN_ORIGIN, "Sec-Fetch-Site": "same-origin", **headers}
    sent = {name: value for name, value in sent.items() if value is not None}
    if credential is not None:
        sent["Cookie"] = f"{COOKIE_NAME}={credential}"
    return app.test_client(use_cookies=False).post("/api/v1/auth/refresh", headers=sent)


def as_client(app, response) -> ApiClient:
    return ApiClient(app.test_client(), token=response.json["token"])


def device_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Device)).all())


@pytest.fixture
def signed_in(app, user):
    """yourname logged in with "keep me signed in": (login response, its device credential)."""
    response = log_in(app)
    assert response.status_code == 200, response.json
    return response, credential_in(response)


# --- The cookie --------------------------------------------------------------------------------


def test_remember_sets_an_httponly_strict_cookie_scoped_to_the_refresh_endpoint(signed_in):
    response, credential = signed_in
    attributes = [part.strip().lower() for part in set_cookie_header(response).split(";")[1:]]
    assert f"path={REFRESH_PATH}" in attributes
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert "secure" not in attributes  # served over plain HTTP here
    assert any(a.startswith("max-age=") and int(a.split("=")[1]) == 30 * 24 * 3600 for a in attributes)
    assert "." in credential and len(credential) > 40


def test_the_cookie_is_secure_over_https(app, user):
    client = app.test_client(use_cookies=False)
    body = {"username": "yourname", "password": PASSWORD, "remember": True}
    response = client.post("/api/v1/auth/login", json=body, base_url="https://localhost")
    assert "secure" in [part.strip().lower() for part in set_cookie_header(response).split(";")]


@pytest.mark.app_config(PROXY_FIX=1)
def test_the_cookie_is_secure_behind_a_trusted_https_proxy(app, user):
    client = app.test_client(use_cookies=False)
    body = {"username": "yourname", "password": PASSWORD, "remember": True}
    response = client.post("/api/v1/auth/login", json=body, headers={"X-Forwarded-Proto": "https"})
    assert "secure" in [part.strip().lower() for part in set_cookie_header(response).split(";")]


def test_a_plain_log_in_signs_no_device_in_and_deletes_any_device_cookie(app, user):
    response = log_in(app, remember=False)
    assert response.status_code == 200
    assert credential_in(response) == ""  # a cookie left by someone else on this browser goes
    assert "max-age=0" in set_cookie_header(response).lower()
    assert device_count(app) == 0


def test_an_api_client_log_in_is_unchanged(app, user):
    response = app.test_client(use_cookies=False).post("/api/v1/auth/login", json={"username": "yourname", "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.json) == {"token", "token_type", "expires_in"}
    assert device_count(app) == 0


@pytest.mark.parametrize("remember", [0, 1, "yes", "true", None, [], {}])
def test_remember_must_be_a_json_boolean(app, user, remember):
    body = {"username": "yourname", "password": PASSWORD, "remember": remember}
    response = app.test_client(use_cookies=False).post("/api/v1/auth/login", json=body)
    assert response.status_code == 422
    assert "remember" in response.json["errors"]["json"]
    assert device_count(app) == 0


def test_the_database_keeps_only_the_credentials_hash(app, signed_in):
    _, credential = signed_in
    secret = credential.split(".", 1)[1]
    rows = every_row_as_text(app)
    assert hashlib.sha256(secret.encode()).hexdigest() in rows
    assert secret not in rows


# --- Refreshing: rotation and replay -------------------------------------------------------------


def test_refresh_mints_a_working_session_token_and_rotates_the_credential(app, signed_in):
    _, credential = signed_in
    response = refresh(app, credential)
    assert response.status_code == 200, response.json
    assert response.json["token_type"] == "Bearer" and response.json["expires_in"] == 3600
    assert response.json["username"] == "yourname"
    assert as_client(app, response).get("/me").json["username"] == "yourname"
    rotated = credential_in(response)
    assert rotated and rotated != credential
    assert rotated.split(".")[0] == credential.split(".")[0]  # the same device
    assert refresh(app, rotated).status_code == 200


def test_a_replayed_credential_is_refused_and_signs_the_device_out(app, signed_in):
    login, old = signed_in
    current = credential_in(refresh(app, old))
    session_of_current = refresh(app, current)
    newest = credential_in(session_of_current)

    replay = refresh(app, old)

    assert replay.status_code == 401
    assert credential_in(replay) == ""  # the browser that replayed is told to forget it
    assert refresh(app, newest).status_code == 401  # the device ended: its owner needs the password
    assert as_client(app, session_of_current).get("/me").status_code == 401  # and its sessions ended
    assert as_client(app, login).get("/me").status_code == 401
    assert device_count(app) == 0


def test_unknown_and_malformed_credentials_are_a_401(app, signed_in):
    _, credential = signed_in
    family = credential.split(".")[0]
    for bad in ("", "nodot", ".", "x.y", f"{family}.", "\u00e9.\u00e9", "a" * 4000):
        response = refresh(app, bad)
        assert response.status_code == 401, (bad, response.json)
        assert response.json["message"]
    assert refresh(app, None).status_code == 401
    assert refresh(app, credential).status_code == 200  # none of them was taken for a replay of this device


def test_a_device_unused_past_the_idle_limit_ends(app, user, clock):
    credential = credential_in(log_in(app))
    clock.advance(days=29, hours=23)
    credential = credential_in(refresh(app, credential))  # a use resets the 30 days
    clock.advance(days=29, hours=23)
    credential = credential_in(refresh(app, credential))
    clock.advance(days=30)
    assert refresh(app, credential).status_code == 401
    assert device_count(app) == 0


@pytest.mark.app_config(DEVICE_MAX_IDLE_DAYS=2)
def test_the_idle_limit_is_configurable(app, user, clock):
    response = log_in(app)
    assert f"max-age={2 * 24 * 3600}" in set_cookie_header(response).lower()
    clock.advance(days=2)
    assert refresh(app, credential_in(response)).status_code == 401


def test_a_session_minted_by_refresh_keeps_the_one_hour_idle_timeout(app, clock, signed_in):
    _, credential = signed_in
    session = as_client(app, refresh(app, credential))
    clock.advance(minutes=59)
    assert session.get("/me").status_code == 200
    clock.advance(minutes=60)
    assert session.get("/me").status_code == 401


# --- Only from this site's pages, and not too often --------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": None},
        {"Origin": None, "Sec-Fetch-Site": "cross-site"},
        {"Origin": None, "Sec-Fetch-Site": "same-site"},
        {"Origin": "null", "Sec-Fetch-Site": None},
        {"Origin": None, "Sec-Fetch-Site": None},
    ],
)
def test_refresh_refuses_other_origins(app, signed_in, headers):
    _, credential = signed_in
    response = refresh(app, credential, **headers)
    assert response.status_code == 403
    assert response.json["message"]
    assert refresh(app, credential).status_code == 200  # the refused request used nothing up


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_REFRESH_PER_IP="3 per 15 minutes")
def test_refresh_is_rate_limited_per_address(app, user):
    for _ in range(3):
        assert refresh(app, "unknown.credential").status_code == 401
    response = refresh(app, "unknown.credential")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


# --- What ends a device -------------------------------------------------------------------------


def test_logout_ends_this_device_only(app, user, signed_in):
    login, credential = signed_in
    other = credential_in(log_in(app, user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"))
    response = as_client(app, login).post("/auth/logout")
    assert response.status_code == 204
    assert credential_in(response) == ""
    assert refresh(app, credential).status_code == 401
    assert refresh(app, other).status_code == 200


def test_logout_everywhere_ends_every_device(app, user, signed_in):
    _, credential = signed_in
    other = credential_in(log_in(app))
    response = user.post("/auth/logout-all")
    assert response.status_code in (200, 204)
    assert refresh(app, credential).status_code == 401
    assert refresh(app, other).status_code == 401


def test_a_password_change_ends_every_device_but_keeps_the_session_that_made_it(app, signed_in):
    login, credential = signed_in
    me = as_client(app, login)
    response = me.post("/me/password", json={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert response.status_code == 204
    assert refresh(app, credential).status_code == 401
    assert me.get("/me").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Session.device_id)).all() == [None]  # the asking session, now of no device


# --- Account: the list, and signing one device out ------------------------------------------------


def test_the_account_lists_devices_by_name_with_this_device_marked(app, clock, signed_in):
    login, _ = signed_in
    clock.advance(minutes=5)
    log_in(app, user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36")
    devices = as_client(app, login).get("/auth/devices").json["devices"]
    assert [(d["name"], d["current"]) for d in devices] == [("Chrome on Windows", False), ("Firefox on Android", True)]
    assert devices[1]["last_used_at"] == "2026-03-24T12:00:00+00:00"
    assert "family" not in devices[0] and "secret_hash" not in devices[0]


def test_signing_a_device_out_from_the_account_needs_the_password_again(app, user, signed_in):
    login, credential = signed_in
    device_id = as_client(app, login).get("/auth/devices").json["devices"][0]["id"]
    assert user.delete(f"/auth/devices/{device_id}").status_code == 204
    assert refresh(app, credential).status_code == 401
    assert as_client(app, login).get("/me").status_code == 401  # its open tab ends too
    assert user.get("/me").status_code == 200  # the asking session stays
    assert user.delete(f"/auth/devices/{device_id}").status_code == 404


def test_another_users_device_is_not_found(app, make_user, signed_in):
    login, credential = signed_in
    device_id = as_client(app, login).get("/auth/devices").json["devices"][0]["id"]
    bob = make_user("bob")
    assert bob.get("/auth/devices").json == {"devices": []}
    assert bob.delete(f"/auth/devices/{device_id}").status_code == 404
    assert refresh(app, credential).status_code == 200


@pytest.mark.parametrize(
    "agent,name",
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1", "Safari on iPhone"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0", "Edge on Windows"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15", "Safari on macOS"),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", "Unknown browser"),
        (None, "Unknown browser"),
    ],
)
def test_device_names_come_from_the_user_agent(agent, name):
    assert device_name(agent) == name


def test_a_long_user_agent_still_fits(app, user):
    response = log_in(app, user_agent="x" * 5000)
    assert response.status_code == 200
    devices = as_client(app, response).get("/auth/devices").json["devices"]
    assert len(devices[0]["name"]) <= 64
