"""The API's resources, one blueprint each, all under ``/api/v1``."""
from __future__ import annotations

from flask import Flask

API_PREFIX = "/api/v1"


def register_blueprints(app: Flask) -> None:
    """Register every resource blueprint on the app's flask-smorest ``Api``, check each
    view's decorator order, then throttle the views.

    The limiter wraps the views that exist when it is set up, so it comes
    last, here, and a blueprint registered after it would go unthrottled:
    that raises instead.
    """
    from lifelogger.api import api, ratelimit
    from lifelogger.api.blueprint import check_views
    from lifelogger.blueprints.auth.routes import blp as auth
    from lifelogger.blueprints.calendar.routes import blp as calendar
    from lifelogger.blueprints.events.routes import blp as events
    from lifelogger.blueprints.goals.routes import blp as goals
    from lifelogger.blueprints.health.routes import blp as health
    from lifelogger.blueprints.labels.routes import blp as labels
    from lifelogger.blueprints.profile.routes import blp as profile
    from lifelogger.blueprints.stats.routes import blp as stats
    from lifelogger.blueprints.tokens.routes import blp as tokens
    from lifelogger.blueprints.transfer.routes import blp as transfer

    if ratelimit.EXTENSION_KEY in app.extensions:
        raise RuntimeError("The rate limiter is already set up: register the blueprints before it.")
    for blueprint in (auth, profile, labels, events, stats, goals, tokens, transfer, calendar, health):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + blueprint.url_prefix)
    check_views(app)
    ratelimit.init_app(app)
