"""Personal access tokens: for scripts and cron jobs, scoped, revocable, stored hashed."""
import hashlib

import pytest
from werkzeug.routing import IntegerConverter
from sqlalchemy import select

from lifelogger.db import db
from lifelogger.db.models import ApiToken

from tests.support.api import PASSWORD, ApiClient

DAY = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}
_SAFE = {"GET", "HEAD", "OPTIONS"}
_PUBLIC = {"/api/v1/auth/register", "/api/v1/auth/login"}


def create_token(user, scope="read", **extra):
    response = user.post("/tokens", json={"name": f"{scope} script", "scope": scope, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.json
    return response.json


def as_token(app, secret) -> ApiClient:
    return ApiClient(app.test_client(), token=secret)


def test_create_shows_the_secret_once_with_a_recognisable_prefix(user, clock):
    created = create_token(user, "write", expires_in_days=30)
    assert created["token"].startswith("llpat_") and len(created["token"]) > 40
    assert created["scope"] == "write"
    assert created["created_at"] == "2026-03-24T12:00:00+00:00"
    assert created["expires_at"] == "2026-04-23T12:00:00+00:00"
    listed = user.get("/tokens").json["tokens"]
    assert listed == [{key: value for key, value in created.items() if key != "token"}]


def test_only_the_hash_is_stored(app, user):
    secret = create_token(user)["token"]
    with app.app_context():
        assert db.session.scalars(select(ApiToken.token_hash)).all() == [hashlib.sha256(secret.encode()).hexdigest()]


def test_a_read_token_reads_everything_of_its_user(app, user, clock, make_event):
    event = make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    script = as_token(app, create_token(user)["token"])
    assert script.get("/me").json["username"] == "yourname"
    assert script.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]
    assert script.get("/events", query_string=DAY).json == {"events": [event]}
    assert script.get("/stats", query_string=DAY).json["minutes"] == {"Reading": 60.0}


def test_a_write_token_can_switch_activity(app, user, clock):
    script = as_token(app, create_token(user, "write")["token"])
    assert script.post("/events/start", json={"label": "Reading"}).status_code == 201
    assert script.post("/events/stop").status_code == 200


def test_last_use_is_recorded(app, user, clock):
    created = create_token(user)
    assert created["last_used_at"] is None
    as_token(app, created["token"]).get("/me")
    assert user.get("/tokens").json["tokens"][0]["last_used_at"] == "2026-03-24T12:00:00+00:00"


def test_revoking_stops_the_token_at_once(app, user):
    created = create_token(user)
    script = as_token(app, created["token"])
    assert script.get("/me").status_code == 200
    assert user.delete(f"/tokens/{created['id']}").status_code == 204
    response = script.get("/me")
    assert response.status_code == 401
    assert "revoked" in response.json["message"]
    assert user.get("/tokens").json == {"tokens": []}


def test_an_expired_token_is_refused(app, user, clock):
    script = as_token(app, create_token(user, expires_in_days=1)["token"])
    clock.advance(hours=23, minutes=59)
    assert script.get("/me").status_code == 200
    clock.advance(minutes=1)
    assert script.get("/me").status_code == 401


def test_a_token_does_not_expire_when_idle(app, user, clock):
    script = as_token(app, create_token(user)["token"])
    clock.advance(days=400)
    assert script.get("/me").status_code == 200


def test_token_management_needs_a_login_session(app, user):
    script = as_token(app, create_token(user, "write")["token"])
    for response in (
        script.get("/tokens"),
        script.post("/tokens", json={"name": "more", "scope": "write", "password": PASSWORD}),
        script.delete("/tokens/1"),
        script.delete("/tokens"),
    ):
        assert response.status_code == 403
        assert "login session" in response.json["message"]
    assert len(user.get("/tokens").json["tokens"]) == 1


def test_a_token_cannot_change_the_password_or_log_out(app, user):
    script = as_token(app, create_token(user, "write")["token"])
    assert script.post("/me/password", json={"current_password": "x", "new_password": "yyyyyyyyyy"}).status_code == 403
    assert script.post("/auth/logout").status_code == 403


def test_another_users_token_id_is_404(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    created = create_token(alice)
    assert bob.delete(f"/tokens/{created['id']}").status_code == 404
    assert len(alice.get("/tokens").json["tokens"]) == 1


def test_creating_a_token_needs_the_current_password(user):
    """A stolen session alone cannot mint a token that outlives it."""
    response = user.post("/tokens", json={"name": "thief", "scope": "write", "password": "not the password"})
    assert response.status_code == 403
    assert response.json["code"] == 403 and "password is wrong" in response.json["message"]
    assert user.get("/tokens").json == {"tokens": []}


def test_the_password_is_never_echoed(user):
    created = create_token(user)
    assert "password" not in created
    assert all("password" not in token for token in user.get("/tokens").json["tokens"])


def test_a_password_change_revokes_every_personal_token(app, user):
    scripts = [as_token(app, create_token(user)["token"]) for _ in range(2)]
    changed = user.post("/me/password", json={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert changed.status_code == 204, changed.json
    assert [script.get("/me").status_code for script in scripts] == [401, 401]
    assert user.get("/tokens").json == {"tokens": []}
    assert user.get("/me").status_code == 200  # the session that changed it stays


def test_a_password_change_keeps_the_tokens_when_asked(app, user):
    script = as_token(app, create_token(user)["token"])
    body = {"current_password": PASSWORD, "new_password": "a brand new passphrase", "keep_personal_tokens": True}
    assert user.post("/me/password", json=body).status_code == 204
    assert script.get("/me").status_code == 200


def test_a_refused_password_change_revokes_nothing(app, user):
    script = as_token(app, create_token(user)["token"])
    body = {"current_password": "not the password", "new_password": "a brand new passphrase"}
    assert user.post("/me/password", json=body).status_code == 403
    assert script.get("/me").status_code == 200


def test_revoke_all_tokens_stops_every_token_of_the_user_only(app, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    alices = [as_token(app, create_token(alice)["token"]) for _ in range(2)]
    bobs = as_token(app, create_token(bob)["token"])
    assert alice.delete("/tokens").status_code == 204
    assert [script.get("/me").status_code for script in alices] == [401, 401]
    assert alice.get("/tokens").json == {"tokens": []}
    assert bobs.get("/me").status_code == 200


def test_logout_all_says_how_many_tokens_still_work(app, user):
    script = as_token(app, create_token(user)["token"])
    create_token(user, "write")
    answer = user.post("/auth/logout-all")
    assert answer.status_code == 200
    assert answer.json == {"sessions_ended": 1, "personal_tokens_kept": 2}
    assert script.get("/me").status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "x", "scope": "admin", "password": PASSWORD},
        {"name": "", "scope": "read", "password": PASSWORD},
        {"scope": "read", "password": PASSWORD},
        {"name": "x", "scope": "read", "expires_in_days": 0, "password": PASSWORD},
        {"name": "x", "scope": "read"},
        {"name": "x", "scope": "read", "password": 12},
    ],
)
def test_bad_token_requests_are_422(user, payload):
    assert user.post("/tokens", json=payload).status_code == 422
    assert user.get("/tokens").json == {"tokens": []}


def _changing_routes(app):
    """Every (method, URL) of the API that changes data and needs a credential."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in _PUBLIC:
            continue
        path = rule.rule
        for name, converter in rule._converters.items():
            value = "1" if isinstance(converter, IntegerConverter) else "Reading"
            path = path.replace(f"<int:{name}>", value).replace(f"<path:{name}>", value).replace(f"<{name}>", value)
        for method in sorted(rule.methods - _SAFE):
            yield method, path


def test_a_read_token_is_refused_on_every_method_that_changes_data(app, user, clock, make_event):
    """Walks the URL map, so a new write endpoint without the scope check fails here."""
    make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    script = as_token(app, create_token(user, "read")["token"])
    routes = list(_changing_routes(app))
    assert ("POST", "/api/v1/events/start") in routes and ("DELETE", "/api/v1/events/1") in routes
    before = user.get("/events", query_string=DAY).json
    for method, path in routes:
        response = script.client.open(path, method=method, json={}, headers={"Authorization": f"Bearer {script.token}"})
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json["code"] == 403
    assert user.get("/events", query_string=DAY).json == before
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]
