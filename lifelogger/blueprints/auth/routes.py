"""``/auth``: register, log in, stay signed in on a device, log out."""
from flask import request
from flask.views import MethodView
from werkzeug.exceptions import HTTPException

from lifelogger.api.blueprint import Blueprint
from lifelogger.api.devicecookie import device_credential, keep_device_cookie, require_same_origin

from lifelogger.api.auth import current_session, current_user, public, session_required
from lifelogger.blueprints.auth import service
from lifelogger.blueprints.auth.schemas import DeviceListSchema, LoginSchema, LogoutEverywhereSchema, RefreshedTokenSchema, RegisterSchema, TokenSchema
from lifelogger.api.schemas import ProfileSchema
from lifelogger.api.ratelimit import LOGIN_FAILURES_PER_USERNAME, LOGIN_PER_IP, REFRESH_PER_IP, REGISTER_PER_IP, throttled

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

        With `remember: true` (the app's "Keep me signed in on this device")
        the answer also sets the device cookie for `POST /auth/refresh`;
        without it, any device cookie of this browser is deleted.
        """
        answer, credential = service.login(**credentials, user_agent=request.user_agent.string)
        keep_device_cookie(credential)
        return answer


@blp.route("/refresh")
class Refresh(MethodView):
    @public
    @throttled(REFRESH_PER_IP)
    @blp.response(200, RefreshedTokenSchema)
    @blp.alt_response(401, description="This browser is not signed in, its sign-in ended, or it sent an old credential.")
    @blp.alt_response(403, description="Not sent from one of this site's own pages.")
    @blp.doc(operationId="refreshSession")
    def post(self):
        """Get a new session token for a browser that stays signed in

        For the browser app only: it sends the HttpOnly device cookie set by
        `POST /auth/login` with `remember: true`, and only from this site's
        pages (`Origin` / `Sec-Fetch-Site`). The cookie is replaced on every
        use; sending an old one again signs that device out. Limited per
        client address (429 with `Retry-After`).
        """
        require_same_origin()
        try:
            answer, credential = service.refresh(device_credential())
        except HTTPException:
            keep_device_cookie(None)
            raise
        keep_device_cookie(credential)
        return answer


@blp.route("/devices")
class Devices(MethodView):
    @session_required
    @blp.response(200, DeviceListSchema)
    @blp.doc(operationId="listDevices")
    def get(self):
        """Your browsers that stay signed in

        Each browser signed in with "Keep me signed in": a name from its user
        agent, when it signed in and was last used, and whether it is the one
        asking. Needs a login session (not a personal access token).
        """
        return {"devices": service.signed_in_devices(current_user(), current_session())}


@blp.route("/devices/<int:device_id>")
class DeviceItem(MethodView):
    @session_required
    @blp.response(204)
    @blp.alt_response(404, description="No such signed-in device of yours.")
    @blp.doc(operationId="signOutDevice")
    def delete(self, device_id):
        """Sign a device out: it needs the password again, and its sessions end at once

        404 when no signed-in device of yours has this id. Needs a login session.
        """
        service.sign_out_device(current_user(), device_id)


@blp.route("/logout")
class Logout(MethodView):
    @session_required
    @blp.response(204)
    @blp.doc(operationId="logout")
    def post(self):
        """Log out: the token stops working at once, and this device no longer stays signed in

        Only this login session (and this browser's device sign-in) ends; your other
        sessions, devices and personal access tokens keep working.
        """
        service.logout(current_session())
        keep_device_cookie(None)


@blp.route("/logout-all")
class LogoutAll(MethodView):
    @session_required
    @blp.response(200, LogoutEverywhereSchema)
    @blp.doc(operationId="logoutAll")
    def post(self):
        """Log out everywhere: every login session of yours ends at once

        For a lost phone or a session token that leaked; this session ends too.
        Personal access tokens are not sessions and keep working: the answer
        says how many (`personal_tokens_kept`); revoke them with `DELETE /tokens`.
        """
        answer = service.logout_everywhere(current_user())
        keep_device_cookie(None)
        return answer
