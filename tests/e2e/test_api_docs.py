"""The API docs page: the offline Swagger UI (4.15) renders the OpenAPI document we serve.

Why the document stays OpenAPI 3.0.3 (docs/api.md): this Swagger UI cannot
render 3.1; a switch, or a document it cannot read, fails here.
"""
from playwright.sync_api import expect


def test_swagger_ui_renders_every_operation_of_the_document(page, live_server):
    spec = page.request.get(live_server.url + "/api/v1/openapi.json").json()
    count = sum(1 for operations in spec["paths"].values() for method in operations if method != "parameters")
    page.goto(live_server.url + "/api/v1/docs")
    expect(page.locator(".opblock")).to_have_count(count, timeout=15_000)
    assert page.locator(".errors-wrapper").count() == 0, page.locator(".errors-wrapper").inner_text()
    expect(page.get_by_text("Unable to render this definition")).to_have_count(0)
