"""The browser app's page shells, checked without a browser: CSP-safe, self-contained."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lifelogger.ui.routes import describe_seconds
from tests.conftest import base_config

PAGES = ["/", "/timeline", "/stats", "/labels", "/account", "/query", "/import", "/login", "/signup"]
STATIC = Path(__file__).resolve().parent.parent / "lifelogger" / "ui" / "static"


class PageParser(HTMLParser):
    """Collects what a strict CSP and an offline LAN care about."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self.current_links: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self._in_script_without_src = True
        if tag == "a" and "aria-current" in attrs:
            self.current_links.append(attrs["href"])

    def handle_data(self, data):
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_without_src = False


def parse(client, path) -> tuple[PageParser, object]:
    with client.get(path) as response:
        assert response.status_code == 200, path
        parser = PageParser()
        parser.feed(response.get_data(as_text=True))
        return parser, response


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_html_under_a_strict_script_policy(client, path):
    with client.get(path) as response:
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_handler(client, path):
    page, _ = parse(client, path)
    assert page.inline_scripts == 0
    assert page.handlers == []
    assert page.scripts, "each page loads its module"


@pytest.mark.parametrize("path", PAGES)
def test_everything_a_page_loads_comes_from_the_app(client, path):
    page, _ = parse(client, path)
    for url in page.urls:
        if url.startswith("#"):
            continue
        assert url.startswith("/") and not url.startswith("//"), f"{url} is not on this origin"
        with client.get(url) as asset:
            assert asset.status_code in (200, 302), url


def test_the_scripts_never_name_another_origin():
    for script in (STATIC / "app").rglob("*.js"):
        text = script.read_text()
        assert "http://" not in text and "https://" not in text, script


def test_the_navigation_marks_the_current_page(client):
    page, _ = parse(client, "/stats")
    assert page.current_links == ["/stats"]


def test_chart_js_is_vendored_with_its_licence(client):
    folder = STATIC / "vendor" / "chartjs"
    assert (folder / "VERSION").read_text().strip() == "4.6.1"
    assert "MIT License" in (folder / "LICENSE.md").read_text()
    page, _ = parse(client, "/stats")
    assert "/static/vendor/chartjs/chart.umd.min.js" in page.scripts


def test_the_favicon_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data


def test_sign_up_is_offered_when_registration_is_open(client):
    with client.get("/login") as response:
        assert b'href="/signup"' in response.data
    with client.get("/signup") as response:
        assert b'id="signup-form"' in response.data


@pytest.mark.parametrize("app_config", [{"ALLOW_REGISTRATION": False}], indirect=True)
def test_sign_up_says_so_when_registration_is_closed(client):
    with client.get("/login") as response:
        assert b'href="/signup"' not in response.data
    with client.get("/signup") as response:
        html = response.get_data(as_text=True)
    assert "Registration is closed on this server" in html
    assert 'id="signup-form"' not in html and "signup.js" not in html


@pytest.fixture
def app_config(request, database_url):
    return base_config(database_url, **getattr(request, "param", {}))


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_TIMEOUT": 1800}], indirect=True)
def test_the_query_page_states_the_configured_expiry(client):
    with client.get("/query") as response:
        assert "Sessions expire after 30 minutes of inactivity." in response.get_data(as_text=True)


def test_the_query_page_has_the_seed_pages_sections(client):
    with client.get("/query") as response:
        html = response.get_data(as_text=True)
    for text in ("Your Session Token", "Connection", "Base URL", "Required header on every request",
                 "Interactive Docs", 'href="/api/v1/docs"', "Contribute", "Life Logger is open source"):
        assert text in html
    for example in ("curl-me", "curl-labels", "curl-events", "curl-stats", "curl-daily", "curl-patch-me"):
        assert f'id="{example}"' in html


@pytest.mark.parametrize("app_config", [{"SOURCE_URL": "https://example.org/lifelogger"}], indirect=True)
def test_the_contribute_section_links_the_configured_repository(client):
    with client.get("/query") as response:
        assert 'href="https://example.org/lifelogger"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "seconds,text",
    [(3600, "1 hour"), (1800, "30 minutes"), (5400, "90 minutes"), (86400, "1 day"), (172800, "2 days"), (90, "90 seconds"), (60, "1 minute")],
)
def test_durations_are_described_in_words(seconds, text):
    assert describe_seconds(seconds) == text


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/labels", "/timeline", "/stats", "/account", "/query", "/import"])
def test_forms_cannot_submit_before_their_script_runs(client, path):
    """A native submit would put the fields (a password, say) in the page's URL."""
    import re

    with client.get(path) as response:
        html = response.get_data(as_text=True)
    forms = re.findall(r"<form\b[^>]*>", html)
    submits = re.findall(r'<button type="submit"[^>]*>', html)
    assert forms and submits
    assert all('method="post"' in form for form in forms)
    assert all(" disabled" in button for button in submits)


def test_the_import_page_offers_every_import_format(client):
    from lifelogger.blueprints.transfer.formats import FORMATS, NEEDS_TIMEZONE

    with client.get("/import") as response:
        html = response.get_data(as_text=True)
    assert re.findall(r'<option value="([a-z]+-(?:csv|json))"', html) == list(FORMATS)
    for value in NEEDS_TIMEZONE:
        assert re.search(f'<option value="{value}"[^>]*data-needs-timezone', html)


@pytest.mark.parametrize("path", ["/account", "/import"])
def test_the_zone_lists_use_current_names_and_include_utc(client, path):
    with client.get(path) as response:
        html = response.get_data(as_text=True)
    zones = re.findall(r"<option>([^<]+)</option>", html)
    assert len(zones) > 300 and "UTC" in zones and "Asia/Kolkata" in zones and "Europe/Kyiv" in zones
    assert "Asia/Calcutta" not in zones and zones == sorted(zones)
