"""The OpenAPI document and Swagger UI: complete, and served without any other origin."""
import re

import pytest

OPERATIONS = [
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/logout-all"),
    ("get", "/api/v1/me"),
    ("patch", "/api/v1/me"),
    ("post", "/api/v1/me/password"),
    ("get", "/api/v1/labels"),
    ("post", "/api/v1/labels"),
    ("patch", "/api/v1/labels/{name}"),
    ("delete", "/api/v1/labels/{name}"),
    ("get", "/api/v1/events"),
    ("post", "/api/v1/events"),
    ("post", "/api/v1/events/start"),
    ("post", "/api/v1/events/stop"),
    ("get", "/api/v1/events/current"),
    ("get", "/api/v1/events/{event_id}"),
    ("patch", "/api/v1/events/{event_id}"),
    ("delete", "/api/v1/events/{event_id}"),
    ("get", "/api/v1/stats"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{token_id}"),
    ("get", "/api/v1/goals"),
    ("get", "/api/v1/goals/progress"),
    ("get", "/api/v1/goals/{label}"),
    ("put", "/api/v1/goals/{label}"),
    ("delete", "/api/v1/goals/{label}"),
    ("get", "/api/v1/export"),
    ("post", "/api/v1/import"),
    ("get", "/api/v1/health"),
    ("get", "/api/v1/stats/daily"),
    ("get", "/api/v1/calendar.ics"),
    ("get", "/api/v1/feeds/{token}/calendar.ics"),
]
PUBLIC = {("post", "/api/v1/auth/register"), ("post", "/api/v1/auth/login"), ("get", "/api/v1/health")}
# Authenticated by a token in the path (calendar apps send no headers): no Bearer scheme.
PATH_TOKEN = {("get", "/api/v1/feeds/{token}/calendar.ics")}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_every_endpoint_is_documented(spec, method, path):
    operation = spec["paths"][path][method]
    assert operation["summary"]
    assert any(code.startswith("2") for code in operation["responses"])
    takes_input = "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", []))
    if takes_input:
        assert "422" in operation["responses"]
    if "{" in path:
        assert "404" in operation["responses"]
    if (method, path) in PUBLIC:
        assert "security" not in operation
    elif (method, path) in PATH_TOKEN:
        assert operation["security"] == []
    else:
        assert operation["security"] == [{"bearerAuth": []}]
        assert "401" in operation["responses"]


def test_the_spec_has_a_bearer_scheme(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Session token from POST /auth/login",
    }


def test_the_spec_documents_exactly_the_apps_routes(app, spec):
    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops if m != "parameters"}
    assert documented == set(OPERATIONS)


def test_swagger_ui_is_served_from_this_origin_only(client):
    with client.get("/api/v1/docs") as response:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
    assert "<script>" not in html  # no inline script: a strict CSP can apply
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    for url in urls:
        assert url.startswith("/"), f"{url} is not served by the app"
        with client.get(url) as asset:
            assert asset.status_code == 200, url
