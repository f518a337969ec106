"""The browser app: server-rendered page shells whose ES modules call ``/api/v1``."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Serve the page shells (/, /timeline, /stats, ...) and the installable app's manifest and worker."""
    from lifelogger.ui.pwa import bp as pwa
    from lifelogger.ui.routes import bp as pages

    app.register_blueprint(pages)
    app.register_blueprint(pwa)
