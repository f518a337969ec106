"""The API's resources, one blueprint each, all under ``/api/v1``."""
from __future__ import annotations

API_PREFIX = "/api/v1"


def register_blueprints(api) -> None:
    """Register every resource blueprint on the flask-smorest ``Api``."""
    from lifelogger.blueprints.auth.routes import blp as auth
    from lifelogger.blueprints.events.routes import blp as events
    from lifelogger.blueprints.goals.routes import blp as goals
    from lifelogger.blueprints.health.routes import blp as health
    from lifelogger.blueprints.labels.routes import blp as labels
    from lifelogger.blueprints.profile.routes import blp as profile
    from lifelogger.blueprints.stats.routes import blp as stats
    from lifelogger.blueprints.tokens.routes import blp as tokens
    from lifelogger.blueprints.transfer.routes import blp as transfer

    for blueprint in (auth, profile, labels, events, stats, goals, tokens, transfer, health):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + blueprint.url_prefix)
