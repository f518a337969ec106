"""Life Logger: a self-hosted personal time logger."""
from __future__ import annotations

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error handling, CLI.

    ``test_config`` replaces ``instance/config.py`` and the environment.
    """
    from lifelogger import commands, config, ui
    from lifelogger.api import api, converters, docs, headers
    from lifelogger.api.bodylimit import Request
    from lifelogger.blueprints import register_blueprints
    from lifelogger.db import db, migrate

    app = Flask(__name__, instance_relative_config=True, static_folder="ui/static", template_folder="ui/templates")
    app.config.from_mapping(config.STATIC_DEFAULTS)
    app.config.from_mapping({key: default for key, (_convert, default) in config.SETTINGS.items()})
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(config.load_env())
    else:
        app.config.from_mapping(test_config)
    config.fill_computed_defaults(app.config, app.instance_path)
    # Keep keys in the order the schemas declare them (id, label, started_at, ...).
    app.json.sort_keys = False

    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    app.request_class = Request  # chunked bodies over the limit: 413, not cut short

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    converters.init_app(app)  # before any route: <int:...> ids are bounded
    api.init_app(app)
    register_blueprints(app)
    docs.init_app(app)
    ui.init_app(app)
    headers.init_app(app)
    commands.init_app(app)
    return app


def _migrations_dir():
    """The repository's ``migrations/`` (an editable install), else ``./migrations``."""
    from pathlib import Path

    beside_package = Path(__file__).resolve().parent.parent / "migrations"
    return beside_package if beside_package.is_dir() else Path("migrations")
