"""/me: the profile, exactly in the seed page's shape, and password changes."""
import pytest

from tests.support.api import PASSWORD, ApiClient


def test_get_me_has_the_seed_shape(user):
    response = user.get("/me")
    assert response.status_code == 200
    body = response.json
    assert list(body)[:4] == ["id", "username", "display_name", "created_at"]  # the seed's keys, first
    assert body["timezone"] == "UTC" and body["day_starts_at"] == "00:00" and body["forgotten_after_minutes"] == 720
    assert body["username"] == "yourname"
    assert body["display_name"] == "Jacob"
    assert body["created_at"].endswith("+00:00") and len(body["created_at"]) == 25


def test_patch_me_changes_the_display_name(user):
    response = user.patch("/me", json={"display_name": "  New Name "})
    assert response.status_code == 200
    assert response.json["display_name"] == "New Name"
    assert user.get("/me").json["display_name"] == "New Name"


@pytest.mark.parametrize("field,value", [("id", 7), ("username", "mallory"), ("created_at", "2020-01-01T00:00:00Z")])
def test_fields_a_client_may_not_change_are_refused(user, field, value):
    before = user.get("/me").json
    response = user.patch("/me", json={"display_name": "X", field: value})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert user.get("/me").json == before


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "tab\there", "line\nbreak"])
def test_bad_display_names_are_refused(user, name):
    response = user.patch("/me", json={"display_name": name})
    assert response.status_code == 422
    assert user.get("/me").json["display_name"] == "Jacob"


def test_change_password_signs_out_other_sessions(app, user):
    other = ApiClient(
        app.test_client(),
        token=ApiClient(app.test_client()).post("/auth/login", json={"username": "yourname", "password": PASSWORD}).json["token"],
    )
    response = user.post("/me/password", json={"current_password": PASSWORD, "new_password": "a whole new secret"})
    assert response.status_code == 204
    assert user.get("/me").status_code == 200
    assert other.get("/me").status_code == 401
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/login", json={"username": "yourname", "password": PASSWORD}).status_code == 401
    assert anon.post("/auth/login", json={"username": "yourname", "password": "a whole new secret"}).status_code == 200


def test_change_password_needs_the_current_one(app, user):
    response = user.post("/me/password", json={"current_password": "wrong", "new_password": "a whole new secret"})
    assert response.status_code == 403
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/login", json={"username": "yourname", "password": PASSWORD}).status_code == 200


def test_patch_me_sets_the_time_zone_and_day_start(user):
    response = user.patch("/me", json={"timezone": "Asia/Kolkata", "day_starts_at": "04:30", "forgotten_after_minutes": 600})
    assert response.status_code == 200
    assert (response.json["timezone"], response.json["day_starts_at"], response.json["forgotten_after_minutes"]) == (
        "Asia/Kolkata",
        "04:30",
        600,
    )
    assert response.json["display_name"] == "Jacob"


@pytest.mark.parametrize(
    "changes",
    [{"timezone": "Mars/Olympus"}, {"timezone": ""}, {"day_starts_at": "24:00"}, {"day_starts_at": "4am"}, {"forgotten_after_minutes": 0}],
)
def test_bad_day_settings_are_422(user, changes):
    response = user.patch("/me", json=changes)
    assert response.status_code == 422
    assert list(changes)[0] in response.json["errors"]["json"]
    assert user.get("/me").json["timezone"] == "UTC"


def test_sign_up_can_bring_the_browsers_zone(anon):
    response = anon.post("/auth/register", json={"username": "tzuser", "password": PASSWORD, "timezone": "America/New_York"})
    assert response.json["timezone"] == "America/New_York"
    bad = anon.post("/auth/register", json={"username": "tzuser2", "password": PASSWORD, "timezone": "Nowhere"})
    assert bad.status_code == 422
