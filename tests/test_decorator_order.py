"""View decorators that only work in one order refuse any other when the app is built."""
import pytest
from flask import Flask
from flask.views import MethodView
from marshmallow import Schema, fields

from lifelogger import create_app
from lifelogger.api import ratelimit
from lifelogger.api.auth import login_required
from lifelogger.api.blueprint import Blueprint, check_decorator_order
from lifelogger.api.idempotency import idempotent
from lifelogger.blueprints import register_blueprints


class Body(Schema):
    name = fields.String()


def view_with(*decorators):
    """A view function with ``decorators`` listed top to bottom, as they would be written."""
    blp = Blueprint("probe", __name__)
    stack = {"login": login_required, "idempotent": idempotent, "arguments": blp.arguments(Body), "response": blp.response(200)}

    def post(self, body):
        return {}

    post.__qualname__ = "Probe.post"
    for name in reversed(decorators):
        post = stack[name](post)
    return post


def test_the_documented_order_passes():
    check_decorator_order(view_with("login", "idempotent", "arguments", "response"))
    check_decorator_order(view_with("login", "arguments", "response"))


@pytest.mark.parametrize(
    "order",
    [
        ("arguments", "login", "response"),
        ("arguments", "response", "login"),
        ("login", "arguments", "idempotent", "response"),
    ],
)
def test_login_required_or_idempotent_below_the_blp_decorators_is_refused(order):
    with pytest.raises(TypeError, match="above the @blp"):
        check_decorator_order(view_with(*order))


@pytest.mark.parametrize("order", [("idempotent", "login", "arguments", "response"), ("idempotent", "arguments", "response")])
def test_idempotent_without_login_required_above_it_is_refused(order):
    with pytest.raises(TypeError, match="@idempotent needs @login_required above it"):
        check_decorator_order(view_with(*order))


def test_every_view_of_the_app_is_checked(app_config, monkeypatch):
    """A misordered view in a real blueprint stops create_app, naming the view."""
    from lifelogger.blueprints.labels import routes

    monkeypatch.setattr(routes.Labels, "get", view_with("arguments", "login", "response"))
    with pytest.raises(TypeError, match="Probe.post"):
        create_app(app_config)


def test_the_limiter_cannot_be_set_up_before_the_blueprints():
    app = Flask(__name__)
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    with pytest.raises(RuntimeError, match="after the blueprints"):
        ratelimit.init_app(app)


def test_blueprints_cannot_be_registered_after_the_limiter(app_config):
    limited = create_app({**app_config, "RATELIMIT_ENABLED": True})
    with pytest.raises(RuntimeError, match="register the blueprints before it"):
        register_blueprints(limited)
