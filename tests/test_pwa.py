"""The installable app, checked without a browser: manifest, icons, service worker, cache version."""
import importlib.util
import json
import re
import struct
from pathlib import Path

import pytest

from lifelogger.ui.pwa import compute_version
from tests.test_ui import PAGES, STATIC, parse

ROOT = Path(__file__).resolve().parent.parent


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def worker(client) -> tuple[str, str, list[str]]:
    """The served /sw.js: its text, cache name and shell list."""
    with client.get("/sw.js") as response:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
    cache_name = json.loads(re.search(r"^const CACHE_NAME = (.+);$", text, re.M).group(1))
    shell = json.loads(re.search(r"^const SHELL = (.+);$", text, re.M).group(1))
    return text, cache_name, shell


def test_the_manifest_makes_the_app_installable(client):
    with client.get("/manifest.webmanifest") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/manifest+json"
        manifest = response.get_json(force=True)
    assert manifest["name"] == "Life Logger" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d4ed8" and manifest["background_color"]
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == "image/png"
            width, height = png_size(image.data)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert {192, 512} <= sizes


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_the_manifest_and_registers_the_worker(client, path):
    page, _ = parse(client, path)
    assert "/manifest.webmanifest" in page.urls
    assert "/static/app/js/pwa.js" in page.scripts


def test_pages_may_load_a_worker_and_a_manifest_from_this_origin_only(client):
    with client.get("/") as response:
        policy = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_the_worker_is_served_from_the_root_and_never_stale(client):
    with client.get("/sw.js") as response:
        assert response.mimetype == "text/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    _, cache_name, _ = worker(client)
    assert re.fullmatch(r"lifelogger-shell-[0-9a-f]{16}", cache_name)


def test_the_shell_holds_every_page_and_app_file_and_no_api(client):
    _, _, shell = worker(client)
    assert set(PAGES) <= set(shell)
    scripts = {"/static/" + path.relative_to(STATIC).as_posix() for path in (STATIC / "app").rglob("*.js")}
    assert scripts <= set(shell)
    assert {"/static/app/app.css", "/static/vendor/chartjs/chart.umd.min.js", "/static/app/icon-192.png",
            "/static/app/icon-512.png", "/manifest.webmanifest"} <= set(shell)
    assert not [url for url in shell if url.startswith("/api/")]
    assert len(shell) == len(set(shell))


def test_every_shell_url_answers(client):
    """The worker installs only if every file of the shell can be fetched."""
    _, _, shell = worker(client)
    for url in shell:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_the_cache_name_follows_the_files_and_the_version(tmp_path):
    (tmp_path / "app.js").write_text("one")
    (tmp_path / "app.css").write_text("body {}")
    files = sorted(tmp_path.iterdir())
    first = compute_version("0.1.0", tmp_path, files)
    assert compute_version("0.1.0", tmp_path, files) == first
    assert compute_version("0.2.0", tmp_path, files) != first
    (tmp_path / "app.js").write_text("two")
    assert compute_version("0.1.0", tmp_path, files) != first
    (tmp_path / "app.js").write_text("one")
    (tmp_path / "app.js").rename(tmp_path / "other.js")
    assert compute_version("0.1.0", tmp_path, sorted(tmp_path.iterdir())) != first


def test_the_committed_icons_are_what_the_script_draws():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "tools" / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    for size in make_icons.SIZES:
        committed = (STATIC / "app" / f"icon-{size}.png").read_bytes()
        assert png_size(committed) == (size, size)
        assert committed == make_icons.icon(size), f"run python tools/make_icons.py (icon-{size}.png differs)"


def test_the_cache_name_follows_the_schemas_limits(app, client, monkeypatch):
    """The shells carry the limits (lifelogger/ui/limits.py): a changed limit must replace cached shells."""
    from marshmallow import fields, validate

    from lifelogger.blueprints.goals.schemas import GoalTargetSchema

    _, before, _ = worker(client)
    monkeypatch.setitem(GoalTargetSchema._declared_fields, "minutes", fields.Integer(required=True, validate=validate.Range(min=1, max=600)))
    app.extensions.pop("lifelogger_ui_limits")
    app.extensions.pop("lifelogger_shell_version")
    _, after, _ = worker(client)
    assert after != before
