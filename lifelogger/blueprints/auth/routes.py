"""``/auth``: register, log in, log out."""
from flask.views import MethodView
from lifelogger.api.blueprint import Blueprint

from lifelogger.api.auth import current_session, current_user, public, session_required
from lifelogger.blueprints.auth import service
from lifelogger.blueprints.auth.schemas import LoginSchema, RegisterSchema, TokenSchema
from lifelogger.api.schemas import ProfileSchema
from lifelogger.api.ratelimit import LOGIN_FAILURES_PER_USERNAME, LOGIN_PER_IP, REGISTER_PER_IP, throttled

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Accounts and session tokens.")


@blp.route("/register")
class Register(MethodView):
    @public
    @throttled(REGISTER_PER_IP)
    @blp.arguments(RegisterSchema)
    @blp.response(201, ProfileSchema)
    @blp.alt_response(403, description="Registration is closed on this server.")
    @blp.alt_response(409, description="The username is taken.")
    @blp.doc(operationId="register")
    def post(self, account):
        """Create an account

        The username is case-insensitive and stored in lower case. The password
        must not be one of the 10,000 most common passwords. Registrations are
        limited per client address (429 with `Retry-After` past the limit).
        """
        return service.register(**account)


@blp.route("/login")
class Login(MethodView):
    @public
    @throttled(LOGIN_PER_IP, LOGIN_FAILURES_PER_USERNAME)
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, description="Wrong username or password.")
    @blp.doc(operationId="login")
    def post(self, credentials):
        """Log in and get a session token

        The token expires after `expires_in` seconds without an API call, and
        in any case `LIFELOGGER_SESSION_MAX_AGE` seconds after the log-in.
        Attempts are limited per client address, and failed attempts per
        username (429 with `Retry-After` past either limit).
        """
        return service.login(**credentials)


@blp.route("/logout")
class Logout(MethodView):
    @session_required
    @blp.response(204)
    @blp.doc(operationId="logout")
    def post(self):
        """Log out: the token stops working at once

        Only this login session ends; your other sessions and personal access tokens keep working.
        """
        service.logout(current_session())


@blp.route("/logout-all")
class LogoutAll(MethodView):
    @session_required
    @blp.response(204)
    @blp.doc(operationId="logoutAll")
    def post(self):
        """Log out everywhere: every login session of yours ends at once

        For a lost phone or a session token that leaked; this session ends too.
        Personal access tokens are not sessions: revoke them under `/tokens`.
        """
        service.logout_everywhere(current_user())
