"""The browser app's page shells, checked without a browser: CSP-safe, self-contained."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from marshmallow import Schema, fields, validate

from lifelogger.api.fields import FullMatch, TrimmedName
from lifelogger.blueprints.auth.schemas import RegisterSchema
from lifelogger.blueprints.events.schemas import NewEventSchema, StartEventSchema
from lifelogger.blueprints.labels.schemas import LabelSchema
from lifelogger.blueprints.profile.schemas import PasswordChangeSchema, ProfileUpdateSchema
from lifelogger.blueprints.tokens.schemas import NewPersonalTokenSchema
from lifelogger.ui.limits import UnknownLimit, field_limits, html_pattern, read_limits
from lifelogger.ui.routes import describe_seconds
from tests.support.config import base_config

PAGES = ["/", "/timeline", "/stats", "/labels", "/account", "/query", "/import", "/login", "/signup"]
# Script types a browser does not execute: data blocks, which script-src does not govern.
DATA_BLOCK_TYPES = {"application/json"}
STATIC = Path(__file__).resolve().parent.parent / "lifelogger" / "ui" / "static"


class PageParser(HTMLParser):
    """Collects what a strict CSP and an offline LAN care about."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.links_out: list[str] = []
        self.scripts: list[str] = []
        self.current_links: list[str] = []
        self._in_script_without_src = False
        # <script type="application/json" id=...>: data the browser never runs (CSP allows it), by id.
        self.data_blocks: dict[str, str] = {}
        self._data_block = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        for name in ("src", "href"):
            if attrs.get(name):
                # A link to another site (the project's repository) is followed, never loaded.
                if tag == "a" and name == "href" and attrs[name].startswith("https://"):
                    self.links_out.append(attrs[name])
                    continue
                self.urls.append(attrs[name])
        if tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            elif attrs.get("type") in DATA_BLOCK_TYPES:
                self._data_block = attrs.get("id")
            else:
                self._in_script_without_src = True
        if tag == "a" and "aria-current" in attrs:
            self.current_links.append(attrs["href"])

    def handle_data(self, data):
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1
        if self._data_block is not None:
            self.data_blocks[self._data_block] = self.data_blocks.get(self._data_block, "") + data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_without_src = False
            self._data_block = None


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


# --- Limits: the forms say what the schemas say ------------------------------------------

LIMIT_ATTRIBUTES = ("minlength", "maxlength", "pattern", "min", "max")


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


# Every input of a page shell that carries a limit: (page, input id) → the schema
# field whose request it fills, and for each attribute the limit it must show
# (a key of field_limits, a function of them, or a literal: the form's own choice).
# "hint": the text of its aria-describedby hint must contain this.
FORM_LIMITS = {
    ("/signup", "signup-username"): (RegisterSchema, "username", {
        "minlength": "min_length", "maxlength": "max_length", "pattern": "pattern",
        "hint": lambda l: f"{l['min_length']} to {l['max_length']} letters"}),
    ("/signup", "signup-display-name"): (RegisterSchema, "display_name", {"maxlength": "max_length"}),
    ("/signup", "signup-password"): (RegisterSchema, "password", {
        "minlength": "min_length", "maxlength": "max_length",
        "hint": lambda l: f"{l['min_length']} to {l['max_length']} characters."}),
    ("/account", "display-name"): (ProfileUpdateSchema, "display_name", {"maxlength": "max_length"}),
    ("/account", "forgotten-hours"): (ProfileUpdateSchema, "forgotten_after_minutes", {
        "min": "0.5",  # the form's suggested floor, in hours; the API's is 1 minute
        "max": lambda l: _hours(l["max"]),
        "hint": lambda l: f"at most {_hours(l['max'])}"}),
    ("/account", "new-password"): (PasswordChangeSchema, "new_password", {
        "minlength": "min_length", "maxlength": "max_length",
        "hint": lambda l: f"{l['min_length']} to {l['max_length']} characters."}),
    ("/labels", "new-label-name"): (LabelSchema, "name", {"maxlength": "max_length"}),
    ("/query", "pat-name"): (NewPersonalTokenSchema, "name", {"maxlength": "max_length"}),
    ("/query", "feed-name"): (NewPersonalTokenSchema, "name", {"maxlength": "max_length"}),
    ("/query", "pat-expires"): (NewPersonalTokenSchema, "expires_in_days", {
        "min": "min", "max": "max", "hint": lambda l: f"{l['min']} to {l['max']};"}),
    ("/", "start-note"): (StartEventSchema, "note", {"maxlength": "max_length"}),
    ("/timeline", "add-note"): (NewEventSchema, "note", {"maxlength": "max_length"}),
}


class FormParser(HTMLParser):
    """The inputs of a page (by id, with their attributes) and the text of its hints (by id)."""

    def __init__(self):
        super().__init__()
        self.inputs: dict[str, dict] = {}
        self.texts: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select"):
            self.inputs[attrs.get("id") or f"<unnamed {tag} {len(self.inputs)}>"] = attrs
        if tag == "p" and attrs.get("id"):
            self._open.append(attrs["id"])
            self.texts[attrs["id"]] = ""

    def handle_data(self, data):
        for element_id in self._open:
            self.texts[element_id] += data

    def handle_endtag(self, tag):
        if tag == "p" and self._open:
            self._open.pop()


def rendered_forms(client, path) -> FormParser:
    with client.get(path) as response:
        assert response.status_code == 200, path
        parser = FormParser()
        parser.feed(response.get_data(as_text=True))
        return parser


def expected_attributes(schema_class, field_name, spec) -> dict[str, str]:
    limits = field_limits(schema_class().load_fields[field_name])
    expected = {}
    for attribute, source in spec.items():
        if callable(source):
            expected[attribute] = source(limits)
        elif attribute != "hint" and source in limits:
            expected[attribute] = str(limits[source])
        else:
            expected[attribute] = source  # a literal of the form's own
    return expected


def check_page_limits(client, path):
    """Every limit attribute on the page is one FORM_LIMITS names, with the schema's value."""
    page = rendered_forms(client, path)
    for input_id, attrs in page.inputs.items():
        shown = {name: attrs[name] for name in LIMIT_ATTRIBUTES if name in attrs}
        if (path, input_id) not in FORM_LIMITS:
            assert not shown, f"{path} #{input_id} has {shown}: add it to FORM_LIMITS with its schema field"
            continue
        schema_class, field_name, spec = FORM_LIMITS[path, input_id]
        expected = expected_attributes(schema_class, field_name, spec)
        hint = expected.pop("hint", None)
        assert shown == expected, f"{path} #{input_id} vs {schema_class.__name__}.{field_name}"
        if hint is not None:
            hint_text = " ".join(page.texts.get(i, "") for i in attrs["aria-describedby"].split())
            assert hint in hint_text, f"{path} #{input_id}'s hint does not say {hint!r}"


@pytest.mark.parametrize("path", PAGES)
def test_every_limit_a_form_shows_is_the_schemas(client, path):
    check_page_limits(client, path)


def test_every_listed_form_limit_is_on_its_page(client):
    for path, input_id in FORM_LIMITS:
        assert input_id in rendered_forms(client, path).inputs, f"{path} has no #{input_id} any more"


def test_a_changed_schema_limit_reaches_the_pages_and_their_scripts(client, monkeypatch):
    """The forms read the schemas: change a limit there, and every page follows (no copy anywhere)."""
    monkeypatch.setitem(LabelSchema._declared_fields, "name", TrimmedName(required=True, max_length=17))
    monkeypatch.setitem(RegisterSchema._declared_fields, "username", fields.String(
        required=True, validate=FullMatch(r"^[a-z-]{5,9}$")))
    monkeypatch.setitem(RegisterSchema._declared_fields, "password", fields.String(
        required=True, validate=validate.Length(min=12, max=99)))
    monkeypatch.setitem(ProfileUpdateSchema._declared_fields, "forgotten_after_minutes", fields.Integer(
        validate=validate.Range(min=5, max=1440)))

    labels = rendered_forms(client, "/labels")
    assert labels.inputs["new-label-name"]["maxlength"] == "17"
    signup = rendered_forms(client, "/signup")
    assert signup.inputs["signup-username"]["pattern"] == r"[a-z\-]{5,9}"
    assert (signup.inputs["signup-username"]["minlength"], signup.inputs["signup-username"]["maxlength"]) == ("5", "9")
    assert signup.texts["signup-username-hint"].startswith("5 to 9 letters")
    assert signup.inputs["signup-password"]["minlength"] == "12"
    assert signup.texts["signup-password-hint"] == "12 to 99 characters."
    account = rendered_forms(client, "/account")
    assert account.inputs["forgotten-hours"]["max"] == "24"
    assert "at most 24." in account.texts["forgotten-hours-hint"]  # not "(a week)" any more
    for path in PAGES:
        check_page_limits(client, path)

    page, _ = parse(client, "/labels")
    data = json.loads(page.data_blocks["limits"])
    assert data["label"]["name"]["max_length"] == 17
    assert data["profile"]["forgotten_after_minutes"] == {"min": 5, "max": 1440}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_schemas_limits_for_its_scripts(client, path):
    page, _ = parse(client, path)
    assert json.loads(page.data_blocks["limits"]) == json.loads(json.dumps(read_limits()))


def test_limits_are_read_from_a_fields_validators():
    class Example(Schema):
        name = fields.String(validate=[validate.Length(min=2, max=5), FullMatch(r"^[a-z]+$")])
        code = fields.String(validate=FullMatch(r"^[A-Z0-9_-]{4,8}$"))
        count = fields.Integer(validate=validate.Range(min=1, max=9))
        free = fields.String()

    assert field_limits(Example().fields["name"]) == {"min_length": 2, "max_length": 5, "pattern": "[a-z]+"}
    assert field_limits(Example().fields["code"]) == {"pattern": r"[A-Z0-9_\-]{4,8}", "min_length": 4, "max_length": 8}
    assert field_limits(Example().fields["count"]) == {"min": 1, "max": 9}
    assert field_limits(Example().fields["free"]) == {}


def test_a_misspelt_limit_fails_loudly():
    with pytest.raises(UnknownLimit):
        read_limits().label.name.max_lenght


@pytest.mark.parametrize(
    "regex,pattern",
    [
        (r"^[A-Za-z0-9_.-]{3,32}$", r"[A-Za-z0-9_.\-]{3,32}"),
        (r"^[-a-z]+$", r"[\-a-z]+"),
        (r"^[^-]+$", r"[^\-]+"),
        (r"^[a-z(|)]$", r"[a-z\(\|\)]"),
        (r"^a-b\$$", r"a-b\$"),
        (r"^[\]x]+$", r"[\]x]+"),
    ],
)
def test_a_schema_regex_becomes_an_html_pattern(regex, pattern):
    """Browsers anchor the pattern and compile it with the v flag, which wants these escapes."""
    assert html_pattern(regex) == pattern


def test_the_scripts_take_their_limits_from_limits_js():
    literal = re.compile(r"""\b(maxlength|minlength|min|max|pattern)\s*:\s*["'`]?\d""")
    for script in (STATIC / "app" / "js").rglob("*.js"):
        assert not literal.search(script.read_text()), f"{script.name} types a limit; read it from limits.js"
