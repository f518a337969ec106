"""The 10,000 most common passwords are refused wherever a password is chosen."""
from __future__ import annotations

import hashlib
from importlib.resources import files

import pytest

from lifelogger.security.passwords import COMMON_PASSWORD, common_passwords

from tests.support.api import PASSWORD

SHIPPED_SHA256 = "4adb3f0afb4a10cf19ebe48d8c69a46f934bbc8d77c694c210564f9583e7f4ba"


def test_the_list_ships_with_the_package_as_documented():
    shipped = files("lifelogger.security").joinpath("data", "common-passwords.txt").read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == SHIPPED_SHA256
    assert SHIPPED_SHA256 in files("lifelogger.security").joinpath("data", "README.md").read_text(encoding="utf-8")
    assert len(common_passwords()) == 10_000


@pytest.mark.parametrize(
    "password",
    ["password", "PASSWORD", "Password1", "12345678", "iloveyou", "QwertyUiop", " sunshine ", "hooters1"],
)
def test_registration_refuses_a_common_password(app, anon, password):
    response = anon.post("/auth/register", json={"username": "alice", "password": password})
    assert response.status_code == 422
    assert COMMON_PASSWORD in response.json["errors"]["json"]["password"]
    assert "10,000 most common passwords" in response.json["message"]
    assert anon.post("/auth/login", json={"username": "alice", "password": password}).status_code == 401


def test_a_short_common_password_gets_both_reasons(anon):
    errors = anon.post("/auth/register", json={"username": "alice", "password": "1234"}).json["errors"]["json"]
    assert errors["password"] == ["Must be 8 to 128 characters long.", COMMON_PASSWORD]


def test_an_uncommon_password_is_accepted(anon):
    response = anon.post("/auth/register", json={"username": "alice", "password": "password but longer"})
    assert response.status_code == 201


def test_password_change_refuses_a_common_password(app, user, anon):
    response = user.post("/me/password", json={"current_password": PASSWORD, "new_password": "Baseball"})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["new_password"] == [COMMON_PASSWORD]
    assert anon.post("/auth/login", json={"username": "yourname", "password": PASSWORD}).status_code == 200


def test_users_create_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "carol", "--password", "sunshine"])
    assert result.exit_code != 0
    assert COMMON_PASSWORD in result.output


def test_the_rule_is_in_the_api_documentation(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert "most common passwords" in schemas["Register"]["properties"]["password"]["description"]
    assert "most common passwords" in schemas["PasswordChange"]["properties"]["new_password"]["description"]
