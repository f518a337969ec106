"""``/auth``: register, log in, log out."""
from flask.views import MethodView
from lifelogger.smorest import Blueprint

from lifelogger.auth import current_session, session_required
from lifelogger.blueprints.auth import service
from lifelogger.blueprints.auth.schemas import LoginSchema, RegisterSchema, TokenSchema
from lifelogger.blueprints.profile.schemas import ProfileSchema

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Accounts and session tokens.")


@blp.route("/register")
class Register(MethodView):
    @blp.arguments(RegisterSchema)
    @blp.response(201, ProfileSchema)
    @blp.alt_response(403, description="Registration is closed on this server.")
    @blp.alt_response(409, description="The username is taken.")
    def post(self, account):
        """Create an account

        The username is case-insensitive and stored in lower case.
        """
        return service.register(**account)


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, description="Wrong username or password.")
    def post(self, credentials):
        """Log in and get a session token

        The token expires after `expires_in` seconds without an API call.
        """
        return service.login(**credentials)


@blp.route("/logout")
class Logout(MethodView):
    @session_required
    @blp.response(204)
    def post(self):
        """Log out: the token stops working at once"""
        service.logout(current_session())
