"""Every failure is JSON ``{code, status, message[, errors]}``; bad input changes nothing."""
import pytest

RANGE = {"start": "2026-03-24T00:00:00Z", "end": "2026-03-25T00:00:00Z"}


def assert_json_error(response, code):
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.json
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_unknown_api_path_is_json_404(anon):
    assert_json_error(anon.get("/nope"), 404)


def test_wrong_method_is_json_405_with_allow(user):
    response = user.delete("/me")
    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_invalid_json_is_400(user):
    response = user.post("/labels", data="{not json", headers={"Content-Type": "application/json"})
    assert_json_error(response, 400)
    assert user.get("/labels").json["labels"] == ["Exercise", "Programming", "Reading"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415(user, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = user.post("/labels", data='{"name": "Sleep"}', headers=headers)
    body = assert_json_error(response, 415)
    assert "application/json" in body["message"]
    assert "Sleep" not in user.get("/labels").json["labels"]


def test_a_body_over_64_kib_is_413(user):
    response = user.post("/labels", json={"name": "x" * (65 * 1024)})
    assert_json_error(response, 413)


def test_unknown_fields_are_422(user):
    body = assert_json_error(user.post("/labels", json={"name": "Sleep", "colour": "red"}), 422)
    assert "colour" in body["errors"]["json"]
    assert "Sleep" not in user.get("/labels").json["labels"]


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "Programming",
        {"label": 5},
        {"label": None},
        {"label": ["Programming"]},
        {"label": {"name": "Programming"}},
    ],
)
def test_wrong_types_are_422(user, payload):
    assert_json_error(user.post("/events/start", json=payload), 422)
    assert user.get("/events/current").json == {"event": None, "suspect_forgotten": False}


@pytest.mark.parametrize(
    "value", ["", "2026-02-30T00:00:00Z", "24/03/2026", "2026-03-24T25:00:00Z", 1711270800, "9999-12-31T23:59:59-05:00"]
)
def test_garbage_dates_are_422(user, value):
    payload = {"label": "Reading", "started_at": value, "ended_at": "2026-03-24T10:00:00Z"}
    body = assert_json_error(user.post("/events", json=payload), 422)
    assert "started_at" in body["errors"]["json"]
    assert user.get("/events", query_string=RANGE).json == {"events": []}


def test_validation_message_names_the_field(user):
    body = assert_json_error(user.post("/events", json={"label": "Reading"}), 422)
    assert "started_at" in body["message"] and "ended_at" in body["message"]


def test_unexpected_errors_are_json_500_without_a_trace(app, user, monkeypatch):
    from lifelogger.blueprints.labels import service

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service, "label_names", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = user.get("/labels")
    body = assert_json_error(response, 500)
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert body["message"].startswith("Something went wrong")
