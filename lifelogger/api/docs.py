"""Swagger UI served entirely by the app: no CDN, works on a LAN without internet.

flask-smorest renders ``swagger_ui.html``; ours (in ``templates/``) loads the
assets of the pinned ``swagger-ui-bundle`` package from this app and keeps the
initializer in a static file, so the page needs no inline script.
"""
from __future__ import annotations

from flask import Blueprint, Flask
from swagger_ui_bundle import swagger_ui_path


def init_app(app: Flask) -> None:
    """Serve Swagger UI's files at ``OPENAPI_SWAGGER_UI_URL``."""
    assets = Blueprint(
        "swagger_ui_assets",
        __name__,
        static_folder=str(swagger_ui_path),
        static_url_path=app.config["OPENAPI_SWAGGER_UI_URL"].rstrip("/"),
    )
    app.register_blueprint(assets)
