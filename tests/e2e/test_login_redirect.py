"""After logging in, the login page's ?next= may only lead to a page of this server.

Each case is an open-redirect trick as a browser sees it: tab, LF and CR are
dropped from URLs by the browser itself, so "/\\t/evil.example/" becomes
"//evil.example/", another origin.
"""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.api import PASSWORD

EVIL = "evil.example"
TRICKS = {
    "tab": "/%09/evil.example/",
    "line-feed": "/%0a/evil.example/",
    "carriage-return": "/%0d/evil.example/",
    "tab-and-slash": "%09//evil.example/",
    "protocol-relative": "//evil.example/",
    "backslash": "/%5Cevil.example/",
    "absolute": "https://evil.example/",
    "javascript": "javascript:alert(document.domain)",
    "dot-segment": "/.//evil.example/",
}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def log_in_with_next(page, live_server, username, next_query):
    # Should the check fail, the browser lands on the stub instead of a DNS error.
    page.context.route(
        lambda url: urlsplit(url).hostname == EVIL, lambda route: route.fulfill(body="another origin", content_type="text/plain")
    )
    page.goto(f"/login?next={next_query}&username={username}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.mark.parametrize("next_query", TRICKS.values(), ids=TRICKS.keys())
def test_next_never_leaves_this_origin(page, live_server, make_user, watch, next_query):
    watch.allow_http_errors(404)  # "/.//evil.example/" is a (missing) page of this server: harmless
    username, _ = make_user()
    log_in_with_next(page, live_server, username, next_query)
    assert origin(page.url) == live_server.url
    # (and ``watch`` fails the test on any request to another origin)


def test_a_same_origin_next_is_followed(page, live_server, make_user, watch):
    username, _ = make_user()
    log_in_with_next(page, live_server, username, "%2Faccount%3Fx%3D1")
    assert page.url == f"{live_server.url}/account?x=1"
    expect(page.locator("#profile-username")).to_have_text(username)
