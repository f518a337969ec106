"""Page shells of the browser app, one URL per screen.

Each page is a small Jinja template (headings, forms, labels: the structure a
screen reader and a no-JS visitor see) plus one ES module in
``static/app/js/pages/`` that fetches the data from ``/api/v1`` with the
Bearer token the browser keeps in ``sessionStorage``. The shells hold no
personal data, so they need no login; the API does the checking.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from flask import Blueprint, current_app, render_template, send_from_directory

from lifelogger.blueprints.transfer.service import DATE_FORMATS, import_formats
from lifelogger.core.days import zone_choices
from lifelogger.ui.examples import page_examples
from lifelogger.ui.limits import ui_limits

bp = Blueprint("ui", __name__)

# (endpoint, link text) of the main navigation, in order.
NAV = [
    ("ui.tracker", "Tracker"),
    ("ui.timeline", "Timeline"),
    ("ui.stats", "Stats"),
    ("ui.labels", "Labels"),
    ("ui.account", "Account"),
    ("ui.query", "Query your data"),
]


@bp.context_processor
def _page_context() -> dict:
    # limits: the schemas' lengths, patterns and ranges (limits.py), for forms, hints and limits.js.
    return {"NAV": NAV, "allow_registration": current_app.config["ALLOW_REGISTRATION"], "limits": ui_limits()}


@bp.get("/")
def tracker():
    """Home: what is running, and one button per label to switch."""
    return render_template("ui/tracker.html")


@bp.get("/timeline")
def timeline():
    """One day's events, editable."""
    return render_template("ui/timeline.html")


@bp.get("/stats")
def stats():
    """Where the time went over a range: charts and a table."""
    return render_template("ui/stats.html")


@bp.get("/labels")
def labels():
    """Add, rename and delete labels."""
    return render_template("ui/labels.html")


@bp.get("/account")
def account():
    """Display name, your days, export, password."""
    return render_template("ui/account.html", zones=zone_choices())


@bp.get("/import")
def import_page():
    """Import events from a file: a dry run's report first, then for real."""
    return render_template("ui/import.html", formats=import_formats(), zones=zone_choices(), date_formats=DATE_FORMATS)


@bp.get("/query")
def query():
    """"Query your data": the token, the base URL and curl examples for the API."""
    return render_template(
        "ui/query.html",
        idle_timeout=describe_seconds(current_app.config["SESSION_IDLE_TIMEOUT"]),
        source_url=current_app.config.get("SOURCE_URL") or project_source_url(),
        examples=page_examples(),
    )


@lru_cache(maxsize=1)
def project_source_url() -> str:
    """The project's repository, from the installed package's metadata (setup.cfg's ``project_urls``/``url``).

    So the "View on GitHub" link works without configuration; LIFELOGGER_SOURCE_URL
    overrides it (a fork). Empty if the package is not installed (no link then).
    """
    try:
        meta = metadata.metadata("lifelogger")
    except metadata.PackageNotFoundError:
        return ""
    for entry in meta.get_all("Project-URL") or []:
        name, _, url = entry.partition(",")
        if name.strip().lower() == "source":
            return url.strip()
    return meta.get("Home-page") or ""


@bp.get("/login")
def login():
    """Log in."""
    return render_template("ui/login.html")


@bp.get("/signup")
def signup():
    """Create an account (or say that registration is closed)."""
    return render_template("ui/signup.html")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it on their own; answer with the app's icon."""
    return send_from_directory(current_app.static_folder, "app/icon.svg", mimetype="image/svg+xml")


def describe_seconds(seconds: int) -> str:
    """"1 hour", "90 minutes", "2 days": a duration in the largest whole unit."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"
