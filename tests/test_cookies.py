"""Flask's cookie session still works, though API calls without a cookie skip it."""
from flask import session


def test_a_cookie_session_round_trips(app):
    @app.get("/_test/remember/<value>")
    def remember(value):
        session["value"] = value
        return {"ok": True}

    @app.get("/_test/recall")
    def recall():
        return {"value": session.get("value")}

    client = app.test_client()
    assert client.get("/_test/recall").json == {"value": None}
    response = client.get("/_test/remember/42")
    assert "session=" in response.headers["Set-Cookie"]
    assert client.get("/_test/recall").json == {"value": "42"}


def test_an_api_call_sets_no_cookie(user):
    response = user.get("/me")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
