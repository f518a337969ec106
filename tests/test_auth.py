"""Registration, login, logout and session expiry."""
import hashlib

import pytest
from sqlalchemy import select

from lifelogger.db import db
from lifelogger.db.models import Session, User

from tests.support.api import PASSWORD, ApiClient


def register(anon, username="alice", password=PASSWORD, **extra):
    return anon.post("/auth/register", json={"username": username, "password": password, **extra})


def login(anon, username="alice", password=PASSWORD):
    return anon.post("/auth/login", json={"username": username, "password": password})


def test_register_returns_the_profile(anon):
    response = register(anon, "Alice", display_name="Alice A.")
    assert response.status_code == 201
    body = response.json
    assert body["username"] == "alice"
    assert body["display_name"] == "Alice A."
    assert isinstance(body["id"], int)
    assert body["created_at"].endswith("+00:00")


def test_display_name_defaults_to_username(anon):
    assert register(anon, "bob").json["display_name"] == "bob"


def test_username_is_case_insensitive(anon):
    assert register(anon, "Alice").status_code == 201
    response = register(anon, "alice")
    assert response.status_code == 409
    assert "taken" in response.json["message"]


@pytest.mark.parametrize("username", ["ab", "a" * 33, "has space", "émile", "semi;colon", ""])
def test_bad_usernames_are_refused(anon, username):
    response = register(anon, username)
    assert response.status_code == 422
    assert "username" in response.json["errors"]["json"]


@pytest.mark.parametrize("password", ["short", "x" * 129])
def test_password_length_is_enforced(anon, password):
    response = register(anon, password=password)
    assert response.status_code == 422
    assert "password" in response.json["errors"]["json"]


def test_a_128_emoji_password_registers_and_logs_in(anon):
    password = "😀" * 128  # 512 bytes in UTF-8, far past bcrypt's 72
    assert register(anon, password=password).status_code == 201
    assert login(anon, password=password).status_code == 200


def test_passwords_sharing_their_first_72_bytes_do_not_open_each_other(anon):
    common = "p" * 72
    assert register(anon, password=common + "-one").status_code == 201
    assert login(anon, password=common + "-two").status_code == 401
    assert login(anon, password=common + "-one").status_code == 200


def test_login_returns_a_bearer_token(anon):
    register(anon)
    response = login(anon, "ALICE")
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert len(body["token"]) >= 43  # 32 random bytes, URL-safe base64


def test_wrong_password_and_unknown_user_look_the_same(anon):
    register(anon)
    wrong = login(anon, password="not the password")
    unknown = login(anon, username="nobody")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["message"] == unknown.json["message"]


def test_only_the_tokens_hash_is_stored(app, anon):
    register(anon)
    token = login(anon).json["token"]
    with app.app_context():
        stored = db.session.scalars(select(Session.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_logout_ends_the_session_at_once(user):
    assert user.get("/me").status_code == 200
    assert user.post("/auth/logout").status_code == 204
    response = user.get("/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_logout_leaves_other_sessions_alone(app, user):
    second = ApiClient(app.test_client(), token=login(ApiClient(app.test_client()), "yourname").json["token"])
    user.post("/auth/logout")
    assert second.get("/me").status_code == 200


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-real-token", "bearer x y"]
)
def test_missing_or_unknown_tokens_get_401_json(anon, header):
    headers = {} if header is None else {"Authorization": header}
    response = anon.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.is_json
    assert response.json["code"] == 401
    assert response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_session_expires_after_the_idle_timeout(clock, user):
    clock.advance(seconds=3599)
    assert user.get("/me").status_code == 200  # resets the idle timer
    clock.advance(seconds=3599)
    assert user.get("/me").status_code == 200
    clock.advance(seconds=3600)
    assert user.get("/me").status_code == 401


@pytest.mark.app_config(SESSION_IDLE_TIMEOUT=5)
def test_idle_timeout_is_configurable(clock, user):
    clock.advance(seconds=4)
    assert user.get("/me").status_code == 200
    clock.advance(seconds=5)
    assert user.get("/me").status_code == 401


@pytest.mark.app_config(ALLOW_REGISTRATION=False)
def test_registration_can_be_closed(app, anon):
    response = register(anon)
    assert response.status_code == 403
    assert "administrator" in response.json["message"]
    with app.app_context():
        assert db.session.scalar(select(User)) is None
