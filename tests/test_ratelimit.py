"""Throttling: log-ins per address and failed log-ins per username, registrations per
address, wrong current passwords per session.

Every behaviour runs twice: with the in-memory store and with Redis (one count
shared by every worker). Redis is the local server on 127.0.0.1:6379, database 5
(``LIFELOGGER_TEST_REDIS_URL`` to change it); each test uses its own key prefix
and deletes its keys afterwards.
"""
from __future__ import annotations

import os
import uuid

import pytest
import redis
from flask import request

from lifelogger import config, create_app
from lifelogger.db import db
from lifelogger.security.known_device import COOKIE as KNOWN_DEVICE, PATH as KNOWN_DEVICE_PATH

from tests.support.api import PASSWORD, ApiClient
from tests.support.config import FromFixture, base_config

REDIS_URL = os.environ.get("LIFELOGGER_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
# Documentation addresses (RFC 5737): only ever strings in a WSGI environ here.
HOME, CAFE = "192.0.2.10", "198.51.100.20"


@pytest.fixture
def key_prefix():
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"lifelogger-test-{uuid.uuid4().hex}"
    yield prefix
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(match=f"*{prefix}*"):
        store.delete(key)
    store.close()

# Rate limits on (the defaults), counted under this test's own key prefix.
pytestmark = pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=FromFixture("key_prefix"))


def pytest_generate_tests(metafunc):
    """Every test of an app runs twice: counting in memory, and in Redis."""
    if "app_config" in metafunc.fixturenames:
        stores = [{"RATELIMIT_STORAGE_URI": "memory://"}, {"RATELIMIT_STORAGE_URI": REDIS_URL}]
        metafunc.parametrize("app_config", stores, ids=["memory", "redis"], indirect=True)


def limited_config(database_url, storage_uri, key_prefix, **overrides) -> dict:
    limits = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri, "RATELIMIT_KEY_PREFIX": key_prefix}
    return base_config(database_url, **{**limits, **overrides})


def register(client, username="alice", password=PASSWORD, address=HOME):
    return client.post(
        "/auth/register", json={"username": username, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def login(client, username="alice", password=PASSWORD, address=HOME, known_device=False, **kwargs):
    """A log-in; like a fresh browser (no known-device cookie kept) unless ``known_device``."""
    response = client.post(
        "/auth/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kwargs,
    )
    if not known_device:
        client.client.delete_cookie(KNOWN_DEVICE, path=KNOWN_DEVICE_PATH)
    return response


def assert_429(response, window: int = 15 * 60) -> int:
    """A 429 in the API's error shape with a Retry-After within the window; returns the seconds."""
    assert response.status_code == 429, response.json
    assert response.is_json
    body = response.json
    assert body["code"] == 429
    assert body["status"] == "Too Many Requests"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window
    assert f"Try again in {retry_after} seconds" in body["message"]
    return retry_after


@pytest.fixture
def alice(anon):
    """Alice's account, registered from another address than the attacks come from."""
    assert register(anon, address="203.0.113.1").status_code == 201
    return anon


def test_ten_failed_log_ins_lock_the_username_for_fifteen_minutes(alice):
    for _ in range(10):
        assert login(alice, password="wrong password").status_code == 401
    response = login(alice, password="wrong password")
    assert_429(response)
    assert "failed log-ins for this username" in response.json["message"]


def test_a_locked_username_refuses_even_the_right_password(alice):
    for _ in range(10):
        login(alice, password="wrong password")
    assert_429(login(alice))


def test_the_username_lock_holds_from_every_address(alice):
    for attempt in range(10):
        login(alice, password="wrong password", address=f"192.0.2.{100 + attempt}")
    assert_429(login(alice, address=CAFE))


def test_the_username_lock_ignores_case(alice):
    for username in ["alice", "ALICE", "Alice", "aLiCe", "alicE"] * 2:
        assert login(alice, username, password="wrong password").status_code == 401
    assert_429(login(alice, "alice"))


def test_successful_log_ins_do_not_count_against_the_username(alice):
    for _ in range(15):
        assert login(alice).status_code == 200
    for _ in range(10):
        assert login(alice, password="wrong password").status_code == 401
    assert_429(login(alice))


def test_invalid_log_in_bodies_do_not_count_against_a_username(alice):
    for _ in range(12):
        assert alice.post("/auth/login", json={"username": "alice"}, environ_base={"REMOTE_ADDR": HOME}).status_code == 422
    assert login(alice).status_code == 200


def test_unknown_usernames_are_locked_the_same_way(anon):
    """A 429 must not tell an attacker which usernames exist."""
    for _ in range(10):
        assert login(anon, "nobody", password="wrong password").status_code == 401
    response = login(anon, "nobody", password="wrong password")
    assert_429(response)
    assert "failed log-ins for this username" in response.json["message"]


def test_one_locked_username_leaves_the_others_alone(alice):
    assert register(alice, "bob", address="203.0.113.2").status_code == 201
    for _ in range(11):
        login(alice, password="wrong password")
    assert login(alice, "bob").status_code == 200


def test_thirty_log_in_attempts_per_address_then_429(alice):
    for attempt in range(30):
        # Different usernames: only the per-address limit can stop this.
        assert login(alice, f"user{attempt}", password="wrong password").status_code == 401
    response = login(alice)
    assert_429(response)
    assert "from your address" in response.json["message"]


def test_the_address_limit_counts_per_address(alice):
    for attempt in range(30):
        login(alice, f"user{attempt}", password="wrong password", address=HOME)
    assert_429(login(alice, address=HOME))
    assert login(alice, address=CAFE).status_code == 200


def test_registrations_are_limited_per_address(anon):
    for number in range(10):
        assert register(anon, f"new{number}").status_code == 201
    response = register(anon, "one-too-many")
    assert_429(response, window=3600)
    assert "registrations from your address" in response.json["message"]
    assert register(anon, "from-elsewhere", address=CAFE).status_code == 201
    assert login(anon, "one-too-many", address=CAFE).status_code == 401  # never created


def test_forwarded_for_is_ignored_without_a_trusted_proxy(alice):
    """With PROXY_FIX=0 a client cannot pick its address with X-Forwarded-For."""
    for attempt in range(30):
        headers = {"X-Forwarded-For": f"192.0.2.{attempt}"}
        login(alice, f"user{attempt}", password="wrong password", headers=headers)
    assert_429(login(alice, headers={"X-Forwarded-For": "198.51.100.99"}))


@pytest.mark.app_config(PROXY_FIX=1)
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(alice):
    proxy = "127.0.0.1"
    for attempt in range(30):
        login(alice, f"user{attempt}", password="wrong password", address=proxy, headers={"X-Forwarded-For": HOME})
    assert_429(login(alice, address=proxy, headers={"X-Forwarded-For": HOME}))
    # The next client through the same proxy has its own count; a spoofed extra
    # hop in front is not trusted (only the proxy's own entry counts).
    assert login(alice, address=proxy, headers={"X-Forwarded-For": CAFE}).status_code == 200
    assert_429(login(alice, address=proxy, headers={"X-Forwarded-For": f"{CAFE}, {HOME}"}))


@pytest.mark.app_config(RATELIMIT_LOGIN_PER_IP="4 per minute", RATELIMIT_LOGIN_FAILURES_PER_USERNAME="2 per minute")
def test_the_limits_are_configurable(alice):
    assert login(alice, password="wrong password").status_code == 401
    assert login(alice, password="wrong password").status_code == 401
    assert_429(login(alice))  # the username's 2 failures
    assert login(alice, "bob", password="wrong password").status_code == 401
    assert_429(login(alice, "carol"))  # the address's 4 attempts (the 429 counted too)
    assert int(login(alice, "carol").headers["Retry-After"]) <= 60


@pytest.mark.app_config(RATELIMIT_ENABLED=False)
def test_the_limits_can_be_turned_off(alice):
    for _ in range(40):
        assert login(alice, password="wrong password").status_code == 401
    for number in range(15):
        assert register(alice, f"bulk{number}").status_code == 201
    assert login(alice).status_code == 200


def test_workers_sharing_redis_share_one_count(database_url, key_prefix):
    """Two app instances (two gunicorn workers, or two hosts) on one Redis: one count."""
    apps = [create_app(limited_config(database_url, REDIS_URL, key_prefix)) for _ in range(2)]
    first, second = (ApiClient(app.test_client()) for app in apps)
    try:
        assert register(first, address="203.0.113.1").status_code == 201
        for client in [first, second] * 5:
            assert login(client, password="wrong password").status_code == 401
        assert_429(login(first))
        assert_429(login(second))
    finally:
        _empty_database(*apps)


def test_workers_with_memory_storage_count_separately(database_url, key_prefix):
    """Why Redis matters with several workers: memory:// counts per process."""
    apps = [create_app(limited_config(database_url, "memory://", key_prefix)) for _ in range(2)]
    first, second = (ApiClient(app.test_client()) for app in apps)
    try:
        assert register(first, address="203.0.113.1").status_code == 201
        for _ in range(10):
            assert login(first, password="wrong password").status_code == 401
        assert_429(login(first))
        assert login(second).status_code == 200
    finally:
        _empty_database(*apps)


def test_an_unreachable_redis_falls_back_to_counting_in_memory(database_url, key_prefix, unused_tcp_port):
    """Log-in keeps working (and throttled) while Redis is down."""
    app = create_app(limited_config(database_url, f"redis://127.0.0.1:{unused_tcp_port}/0", key_prefix))
    client = ApiClient(app.test_client())
    try:
        assert register(client, address="203.0.113.1").status_code == 201
        assert login(client).status_code == 200
        for _ in range(10):
            assert login(client, password="wrong password").status_code == 401
        assert_429(login(client))
    finally:
        _empty_database(app)


@pytest.fixture
def unused_tcp_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _empty_database(app, *others) -> None:
    """Delete every row (through ``app``) and close every app's connections."""
    from lifelogger.db import db

    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    for each in (app, *others):
        with each.app_context():
            db.engine.dispose()


def test_limits_are_on_by_default_and_read_from_the_environment():
    defaults = {key: default for key, (_convert, default) in config.SETTINGS.items()}
    assert defaults["RATELIMIT_ENABLED"] is True
    assert defaults["RATELIMIT_STORAGE_URI"] == "memory://"
    assert defaults["RATELIMIT_LOGIN_FAILURES_PER_USERNAME"] == "10 per 15 minutes"
    assert defaults["RATELIMIT_LOGIN_PER_IP"] == "30 per 15 minutes"
    values = config.load_env(
        {
            "LIFELOGGER_RATELIMIT_ENABLED": "false",
            "LIFELOGGER_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
            "LIFELOGGER_RATELIMIT_REGISTER_PER_IP": "5 per day",
        }
    )
    assert values == {
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_REGISTER_PER_IP": "5 per day",
    }


def test_a_malformed_limit_is_refused_at_start_up():
    with pytest.raises(RuntimeError, match="LIFELOGGER_RATELIMIT_LOGIN_PER_IP"):
        config.load_env({"LIFELOGGER_RATELIMIT_LOGIN_PER_IP": "lots"})


def test_the_openapi_document_announces_the_429(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/me/password", "/api/v1/tokens"):
        assert "429" in paths[path]["post"]["responses"]


def bad_password_change(user, header=None):
    headers = {"Authorization": header} if header else None
    return user.post("/me/password", json={"current_password": "not my password", "new_password": "a brand new passphrase"}, headers=headers)


def test_ten_wrong_current_passwords_lock_password_changes_for_that_session(alice):
    user = ApiClient(alice.client, token=login(alice).json["token"])
    for _ in range(10):
        assert bad_password_change(user).status_code == 403
    assert_429(bad_password_change(user))
    # Even the right password now waits: the session is guessing.
    right = user.post("/me/password", json={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert_429(right)
    assert user.get("/me").status_code == 200  # the rest of the account works
    assert login(alice).status_code == 200  # the password did not change


def test_the_password_lock_is_per_session(alice):
    guesser = ApiClient(alice.client, token=login(alice).json["token"])
    owner = ApiClient(alice.client, token=login(alice, address=CAFE).json["token"])
    for _ in range(10):
        bad_password_change(guesser)
    assert_429(bad_password_change(guesser))
    changed = owner.post("/me/password", json={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert changed.status_code == 204, changed.json


def bad_token_request(user):
    return user.post("/tokens", json={"name": "guess", "scope": "write", "password": "not my password"})


def test_wrong_passwords_for_a_new_token_share_the_password_change_count(alice):
    """Creating a token checks the password too: a stolen session gets ten guesses in all, not ten per form."""
    user = ApiClient(alice.client, token=login(alice).json["token"])
    for attempt in range(10):
        wrong = bad_token_request(user) if attempt % 2 else bad_password_change(user)
        assert wrong.status_code == 403
    assert_429(bad_token_request(user))
    assert_429(bad_password_change(user))
    right = user.post("/tokens", json={"name": "mine", "scope": "read", "password": PASSWORD})
    assert_429(right)
    assert user.get("/tokens").json == {"tokens": []}


def test_spelling_the_header_differently_does_not_start_a_fresh_count(alice):
    """"bearer", "BEARER" and extra spaces name the same session: they share one count."""
    token = login(alice).json["token"]
    user = ApiClient(alice.client, token=token)
    spellings = [f"Bearer {token}", f"bearer {token}", f"BEARER {token}", f"Bearer  {token} "]
    for attempt in range(10):
        assert bad_password_change(user, header=spellings[attempt % len(spellings)]).status_code == 403
    for spelling in spellings:
        assert_429(bad_password_change(user, header=spelling))


def test_right_current_passwords_do_not_count(alice):
    user = ApiClient(alice.client, token=login(alice).json["token"])
    passwords = [PASSWORD] + [f"passphrase number {n} here" for n in range(12)]
    for current, new in zip(passwords, passwords[1:]):
        response = user.post("/me/password", json={"current_password": current, "new_password": new})
        assert response.status_code == 204, response.json


# --- A known device is not locked out by guesses from elsewhere (issue 15) ---------------


def test_the_owners_known_device_signs_in_despite_guesses_from_elsewhere(alice, anon):
    owner = ApiClient(alice.client.application.test_client())
    assert login(owner, address=CAFE, known_device=True).status_code == 200
    for attempt in range(12):
        login(anon, password="wrong password", address=f"192.0.2.{100 + attempt}")
    assert_429(login(anon, address="192.0.2.200"))  # a new browser with the right password: locked
    assert login(owner, address=CAFE, known_device=True).status_code == 200


def test_the_known_device_cookie_is_httponly_strict_and_only_for_log_in(alice):
    response = login(alice, known_device=True)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(KNOWN_DEVICE + "="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "max-age"} <= attributes
    assert "SameSite=Strict" in cookie and f"Path={KNOWN_DEVICE_PATH}" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over HTTPS it is Secure
    secure = alice.client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": PASSWORD}, base_url="https://localhost", environ_base={"REMOTE_ADDR": HOME}
    )
    assert secure.status_code == 200, (secure.status_code, secure.headers)
    assert "Secure" in next(v for v in secure.headers.getlist("Set-Cookie") if v.startswith(KNOWN_DEVICE + "="))


def test_a_known_device_of_another_user_or_a_forged_cookie_is_not_exempt(alice, anon):
    assert register(anon, "bob", address="203.0.113.1").status_code == 201
    bobs = ApiClient(alice.client.application.test_client())
    assert login(bobs, "bob", known_device=True).status_code == 200
    forged = ApiClient(alice.client.application.test_client())
    forged.client.set_cookie(KNOWN_DEVICE, "alice.forged.signature", path=KNOWN_DEVICE_PATH)
    for attempt in range(10):
        login(anon, password="wrong password", address=f"192.0.2.{100 + attempt}")
    assert_429(login(bobs, known_device=True))
    assert_429(login(forged, known_device=True))


def test_a_password_change_voids_the_known_device_cookie(alice, anon):
    owner = ApiClient(alice.client.application.test_client())
    session = login(owner, known_device=True).json["token"]
    changed = ApiClient(owner.client, token=session).post(
        "/me/password", json={"current_password": PASSWORD, "new_password": "a brand new passphrase"}
    )
    assert changed.status_code == 204
    for attempt in range(10):
        login(anon, password="wrong password", address=f"192.0.2.{100 + attempt}")
    assert_429(login(owner, password="a brand new passphrase", known_device=True))


def test_a_known_device_still_counts_against_its_address(alice):
    assert login(alice, known_device=True).status_code == 200
    for _ in range(29):
        login(alice, password="wrong password", known_device=True)
    assert_429(login(alice, known_device=True))


# --- With Redis, checking and counting a failure is one atomic step (issue 15) -----------

BURST_REDIS_URL = os.environ.get("LIFELOGGER_TEST_BURST_REDIS_URL", "redis://127.0.0.1:6379/8")


def test_a_parallel_burst_of_wrong_guesses_gets_no_more_than_the_limit_checked(database_url, key_prefix):
    """16 wrong guesses at once, through two app instances on one Redis, against a limit of 5."""
    import http.client
    import json as jsonlib
    import threading
    from contextlib import ExitStack
    from urllib.parse import urlsplit

    from tests.live_server import serving

    overrides = {"RATELIMIT_LOGIN_FAILURES_PER_USERNAME": "5 per 15 minutes", "BCRYPT_ROUNDS": 8}
    apps = [create_app(limited_config(database_url, BURST_REDIS_URL, key_prefix, **overrides)) for _ in range(2)]
    try:
        assert register(ApiClient(apps[0].test_client()), address="203.0.113.1").status_code == 201
        with ExitStack() as stack:
            urls = [stack.enter_context(serving(app)) for app in apps]
            barrier = threading.Barrier(16)
            statuses = []

            def guess(number: int) -> None:
                server = urlsplit(urls[number % 2])
                connection = http.client.HTTPConnection(server.hostname, server.port, timeout=60)
                body = jsonlib.dumps({"username": "alice", "password": f"wrong guess {number}"})
                barrier.wait()
                connection.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
                statuses.append(connection.getresponse().status)
                connection.close()

            threads = [threading.Thread(target=guess, args=(number,)) for number in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert sorted(statuses) == [401] * 5 + [429] * 11
    finally:
        store = redis.Redis.from_url(BURST_REDIS_URL)
        for key in store.scan_iter(match=f"*{key_prefix}*"):
            store.delete(key)
        store.close()
        _empty_database(*apps)
