"""The installable, offline-capable app: the web app manifest and the service worker.

``/sw.js`` is served from the root so its scope covers every page. It caches
the *app shell* (the page shells, CSS, JS modules, vendored Chart.js, icons)
under a cache name derived from a hash of those files and the package version,
so every deploy that changes one of them installs a new worker that replaces
the old cache. It never touches ``/api/``: personal data is not cached.
"""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, url_for

from lifelogger.ui.limits import limits_json

bp = Blueprint("pwa", __name__)

# Folders under static/ whose files belong to the app shell, and which kinds of file.
SHELL_STATIC_FOLDERS = ("app", "vendor/chartjs")
SHELL_SUFFIXES = {".css", ".js", ".png", ".svg"}
# The worker caches the page shells but not these UI endpoints.
NOT_PAGES = {"ui.favicon"}
CACHE_PREFIX = "lifelogger-shell-"


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: what an installed Life Logger is called and looks like."""
    response = jsonify(
        {
            "name": "Life Logger",
            "short_name": "Life Logger",
            "description": "Tap a label when you switch activity; see where your time went.",
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f4f6f9",
            "theme_color": "#1d4ed8",
            # The PNGs are drawn by tools/make_icons.py: full-bleed, so fine for both purposes.
            "icons": [_icon(size, purpose) for purpose in ("any", "maskable") for size in (192, 512)],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, with this deploy's cache name and the list of files to cache."""
    response = current_app.response_class(
        render_template("ui/sw.js", cache_name=CACHE_PREFIX + shell_version(), cache_prefix=CACHE_PREFIX, shell=shell_urls()),
        mimetype="text/javascript",
    )
    # Browsers check for a new worker on each visit; never let a cache answer for them.
    response.headers["Cache-Control"] = "no-cache"
    # The worker only ever talks to this origin.
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    return response


def _icon(size: int, purpose: str) -> dict:
    return {
        "src": url_for("static", filename=f"app/icon-{size}.png"),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }


def shell_pages() -> list[str]:
    """The URLs of the page shells: every argument-free GET page of the ``ui`` blueprint."""
    pages = set()
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("ui.") and rule.endpoint not in NOT_PAGES and not rule.arguments and "GET" in rule.methods:
            pages.add(rule.rule)
    return sorted(pages)


def shell_static_files() -> list[Path]:
    """The static files of the app shell, in a stable order."""
    root = Path(current_app.static_folder)
    return sorted(
        path for folder in SHELL_STATIC_FOLDERS for path in (root / folder).rglob("*") if path.is_file() and path.suffix in SHELL_SUFFIXES
    )


def shell_urls() -> list[str]:
    """Everything the worker stores when it installs: pages, static files, the manifest."""
    root = Path(current_app.static_folder)
    static = [url_for("static", filename=path.relative_to(root).as_posix()) for path in shell_static_files()]
    return shell_pages() + static + [url_for("pwa.manifest")]


def shell_version() -> str:
    """A short hash of the package version, the templates, the shell's static files and the schemas' limits.

    Computed once per process (a deploy restarts it); any change gives the
    worker a new cache name, so browsers fetch the new files. The page shells
    carry the limits (lifelogger/ui/limits.py) from the schemas, which are not
    among these files: a changed limit must reach cached shells too.
    """
    cached = current_app.extensions.get("lifelogger_shell_version")
    if cached is None:
        root = Path(current_app.root_path)
        files = sorted(path for path in (root / "templates").rglob("*") if path.is_file()) + shell_static_files()
        cached = current_app.extensions["lifelogger_shell_version"] = compute_version(_package_version(), root, files, limits_json())
    return cached


def compute_version(package_version: str, root: Path, files: list[Path], data: str = "") -> str:
    """Hash the version string, ``data`` (what the shells carry besides files) and the files' paths (relative to ``root``) and contents."""
    digest = hashlib.sha256(package_version.encode() + b"\0" + data.encode() + b"\0")
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _package_version() -> str:
    try:
        return metadata.version("lifelogger")
    except metadata.PackageNotFoundError:
        return "unknown"
