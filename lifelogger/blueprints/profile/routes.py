"""``/me``: the authenticated user's profile."""
from flask.views import MethodView
from lifelogger.api.blueprint import Blueprint

from lifelogger.api.auth import current_session, current_user, login_required, session_required
from lifelogger.blueprints.profile import service
from lifelogger.api.schemas import ProfileSchema
from lifelogger.blueprints.profile.schemas import PasswordChangeSchema, ProfileUpdateSchema
from lifelogger.api.ratelimit import PASSWORD_FAILURES_PER_SESSION, throttled

blp = Blueprint("profile", __name__, url_prefix="/me", description="Your profile.")


@blp.route("")
class Profile(MethodView):
    @login_required
    @blp.response(200, ProfileSchema)
    @blp.doc(operationId="getMe")
    def get(self):
        """Your profile

        Who the token belongs to, and the settings your days and stats are counted with.
        """
        return current_user()

    @login_required
    @blp.arguments(ProfileUpdateSchema, required=False)  # every field is optional; no body changes nothing
    @blp.response(200, ProfileSchema)
    @blp.doc(operationId="updateMe")
    def patch(self, changes):
        """Update your profile

        Any of `display_name`, `timezone`, `day_starts_at`, `forgotten_after_minutes`;
        id, username and created_at are refused with 422.
        """
        return service.update_profile(current_user(), **changes)


@blp.route("/password")
class Password(MethodView):
    @throttled(PASSWORD_FAILURES_PER_SESSION)
    @session_required
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    @blp.alt_response(403, description="The current password is wrong.")
    @blp.doc(operationId="changePassword")
    def post(self, passwords):
        """Change your password

        Every other session of yours is signed out; this one stays. Every personal
        access token of yours is revoked too, unless `keep_personal_tokens` is true.
        After ten wrong
        current passwords in 15 minutes this session gets 429 until the window moves on.
        """
        service.change_password(current_user(), current_session(), **passwords)
