"""The OpenAPI document and Swagger UI: complete, and served without any other origin."""
import json
import re
from pathlib import Path

import pytest

OPERATIONS = [
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/logout-all"),
    ("post", "/api/v1/auth/refresh"),
    ("get", "/api/v1/auth/devices"),
    ("delete", "/api/v1/auth/devices/{device_id}"),
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
    ("delete", "/api/v1/tokens"),
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
PUBLIC = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),  # the device cookie, not a bearer token
    ("get", "/api/v1/health"),
}
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
    if (method, path) in PUBLIC or (method, path) in PATH_TOKEN:
        assert operation["security"] == []  # said, not left out: a linter (and a reader) cannot tell forgotten from public
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


# --- The document as a contract for generated clients (issue 14, docs/api.md) --------------

# Every operation's operationId: part of the API (a generated client's method
# names), listed in docs/api.md. A rename breaks every client: change it here
# on purpose, and in docs/api.md.
OPERATION_IDS = {
    ("delete", "/api/v1/tokens"): "revokeAllTokens",
    ("post", "/api/v1/auth/refresh"): "refreshSession",
    ("get", "/api/v1/auth/devices"): "listDevices",
    ("delete", "/api/v1/auth/devices/{device_id}"): "signOutDevice",
    ("get", "/api/v1/calendar.ics"): "getCalendar",
    ("get", "/api/v1/feeds/{token}/calendar.ics"): "getCalendarFeed",
    ("post", "/api/v1/auth/register"): "register",
    ("post", "/api/v1/auth/login"): "login",
    ("post", "/api/v1/auth/logout"): "logout",
    ("post", "/api/v1/auth/logout-all"): "logoutAll",
    ("get", "/api/v1/me"): "getMe",
    ("patch", "/api/v1/me"): "updateMe",
    ("post", "/api/v1/me/password"): "changePassword",
    ("get", "/api/v1/labels"): "listLabels",
    ("post", "/api/v1/labels"): "createLabel",
    ("patch", "/api/v1/labels/{name}"): "renameLabel",
    ("delete", "/api/v1/labels/{name}"): "deleteLabel",
    ("get", "/api/v1/events"): "listEvents",
    ("post", "/api/v1/events"): "createEvent",
    ("post", "/api/v1/events/start"): "startEvent",
    ("post", "/api/v1/events/stop"): "stopEvent",
    ("get", "/api/v1/events/current"): "getCurrentEvent",
    ("get", "/api/v1/events/{event_id}"): "getEvent",
    ("patch", "/api/v1/events/{event_id}"): "updateEvent",
    ("delete", "/api/v1/events/{event_id}"): "deleteEvent",
    ("get", "/api/v1/stats"): "getStats",
    ("get", "/api/v1/stats/daily"): "getDailyStats",
    ("get", "/api/v1/tokens"): "listTokens",
    ("post", "/api/v1/tokens"): "createToken",
    ("delete", "/api/v1/tokens/{token_id}"): "revokeToken",
    ("get", "/api/v1/goals"): "listGoals",
    ("get", "/api/v1/goals/progress"): "getGoalProgress",
    ("get", "/api/v1/goals/{label}"): "getGoal",
    ("put", "/api/v1/goals/{label}"): "setGoal",
    ("delete", "/api/v1/goals/{label}"): "deleteGoal",
    ("get", "/api/v1/export"): "exportData",
    ("post", "/api/v1/import"): "importEvents",
    ("get", "/api/v1/health"): "getHealth",
}
# Documented failures whose body is not the Error shape, and why.
OWN_ERROR_BODIES = {("post", "/api/v1/import", "422"): "the import report, with its errors per row (branch import-engine)"}
# Answer schemas whose fields are not (yet) all listed as required.
ANSWERS_WITHOUT_REQUIRED = {"ImportReport", "RowError"}  # the import report: branch import-engine


def operations(spec):
    for path, ops in spec["paths"].items():
        for method, operation in ops.items():
            if method != "parameters":
                yield method, path, operation


def resolve(spec, item: dict) -> dict:
    while "$ref" in item:
        _, _, section, name = item["$ref"].split("/")
        item = spec["components"][section][name]
    return item


def test_every_operation_has_its_documented_operation_id(spec):
    assert {(m, p): op.get("operationId") for m, p, op in operations(spec)} == OPERATION_IDS


def test_operation_ids_are_listed_in_the_api_guide():
    guide = (Path(__file__).parent.parent / "docs" / "api.md").read_text()
    for operation_id in OPERATION_IDS.values():
        assert f"`{operation_id}`" in guide, operation_id


def test_every_operation_has_a_description_and_a_4xx(spec):
    for method, path, operation in operations(spec):
        assert operation.get("description"), (method, path)
        assert any(code.startswith("4") for code in operation["responses"]) or path == "/api/v1/health", (method, path)


def test_every_documented_failure_has_the_error_schema(spec):
    for method, path, operation in operations(spec):
        for code, response in operation["responses"].items():
            if code[0] in "2":
                continue
            content = resolve(spec, response).get("content", {})
            assert list(content) == ["application/json"], (method, path, code)
            if (method, path, code) in OWN_ERROR_BODIES:
                continue
            assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_the_error_schema_is_the_shape_the_server_sends(spec, user):
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "status", "message"]
    body = user.get("/events/999999").json
    assert set(error["required"]) <= set(body) <= set(error["properties"])
    assert body["code"] == 404 and body["status"] == "Not Found"


def answer_schemas(spec):
    """Every schema a success answer refers to, directly or nested."""
    pending = [
        media["schema"]
        for _, _, operation in operations(spec)
        for code, response in operation["responses"].items() if code[0] == "2"
        for media in resolve(spec, response).get("content", {}).values()
    ]
    found = {}
    while pending:
        item = pending.pop()
        if "$ref" in item:
            name = item["$ref"].rsplit("/", 1)[1]
            if name not in found:
                found[name] = spec["components"]["schemas"][name]
                pending.append(found[name])
            continue
        pending += list(item.get("properties", {}).values()) + item.get("allOf", [])
        pending += [item[key] for key in ("items", "additionalProperties") if isinstance(item.get(key), dict)]
    return found


def test_every_answer_lists_the_fields_it_always_sends_as_required(spec):
    answers = answer_schemas(spec)
    assert {"Event", "EventList", "CurrentEvent", "Profile", "Stats", "DailyStats", "DayMinutes", "Export"} <= set(answers)
    for name, schema in answers.items():
        if name in ANSWERS_WITHOUT_REQUIRED:
            continue
        optional = {"EventList": {"next"}, "Error": {"errors"}}.get(name, set())
        assert set(schema.get("required", [])) == set(schema["properties"]) - optional, name


def test_the_running_event_is_a_nullable_event_not_an_empty_model(spec):
    event = spec["components"]["schemas"]["CurrentEvent"]["properties"]["event"]
    assert event["allOf"] == [{"$ref": "#/components/schemas/Event"}] and event["nullable"] is True
    assert "anyOf" not in event and "type" not in event  # see lifelogger/api/openapi.py


def test_a_nullable_field_is_typed_nullable(spec):
    event = spec["components"]["schemas"]["Event"]["properties"]
    assert event["ended_at"]["nullable"] is True and event["note"]["nullable"] is True
    assert "nullable" not in event["started_at"]


def test_public_operations_say_so_and_every_other_one_needs_the_bearer_token(spec):
    for method, path, operation in operations(spec):
        expected = [] if (method, path) in PUBLIC | PATH_TOKEN else [{"bearerAuth": []}]
        assert operation["security"] == expected, (method, path)


def test_the_document_names_its_server(spec):
    assert spec["servers"] == [{"url": "/", "description": "The server this document was fetched from."}]


@pytest.mark.parametrize("operation_id", ["stopEvent", "updateMe", "updateEvent"])
def test_bodies_the_server_does_without_are_not_required(spec, operation_id):
    operation = next(op for _, _, op in operations(spec) if op["operationId"] == operation_id)
    assert operation["requestBody"]["required"] is False


def test_the_bodies_called_optional_may_indeed_be_left_out(user):
    started = user.post("/events/start", json={"label": "Reading"})
    assert started.status_code == 201
    assert user.patch(f"/events/{started.json['id']}").status_code == 200
    assert user.patch("/me").status_code == 200
    stopped = user.post("/events/stop")  # as the README's curl line sends it
    assert stopped.status_code == 200 and stopped.json["ended_at"]


def test_export_documents_json_and_csv_answers(spec):
    content = spec["paths"]["/api/v1/export"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Export"}
    assert content["text/csv"]["schema"]["type"] == "string"


def test_the_json_export_matches_its_schema(spec, user, make_event):
    from openapi_schema_validator import OAS30Validator
    from referencing import Registry, Resource

    make_event(user, "Reading", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    user.post("/events/start", json={"label": "Exercise", "note": "a run"})
    body = json.loads(user.get("/export?format=json").get_data(as_text=True))
    registry = Registry().with_resource("urn:spec", Resource.opaque(spec))
    schema = {"$ref": "urn:spec#/components/schemas/Export"}
    OAS30Validator(schema, registry=registry).validate(body)  # raises on any difference
    assert [event["ended_at"] is None for event in body["events"]] == [False, True]


def test_the_import_file_field_is_required(spec):
    body = spec["paths"]["/api/v1/import"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["file"]
