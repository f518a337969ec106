"""``/tokens``: personal access tokens for scripts and the command-line client."""
from flask.views import MethodView

from lifelogger.api.auth import current_user, session_required
from lifelogger.blueprints.tokens import service
from lifelogger.blueprints.tokens.schemas import (
    CreatedPersonalTokenSchema,
    NewPersonalTokenSchema,
    PersonalTokenListSchema,
    PersonalTokenSchema,
)
from lifelogger.api.blueprint import Blueprint
from lifelogger.api.ratelimit import PASSWORD_FAILURES_PER_SESSION, throttled
from lifelogger.db import db

blp = Blueprint(
    "tokens",
    __name__,
    url_prefix="/tokens",
    description="Personal access tokens: long-lived, scoped, revocable. Managing them needs a login session.",
)


@blp.route("")
class Tokens(MethodView):
    @session_required
    @blp.response(200, PersonalTokenListSchema)
    @blp.doc(operationId="listTokens")
    def get(self):
        """Your personal access tokens (never their secrets)

        Names, scopes and dates of use; a token's secret is shown once only, when it is created.
        """
        return {"tokens": service.list_tokens(current_user())}

    @throttled(PASSWORD_FAILURES_PER_SESSION)
    @session_required
    @blp.arguments(NewPersonalTokenSchema)
    @blp.response(201, CreatedPersonalTokenSchema)
    @blp.alt_response(403, description="The password is wrong.")
    @blp.doc(operationId="createToken")
    def post(self, new_token):
        """Create a personal access token (its secret is shown once)

        Needs your current `password`, so a stolen session cannot turn itself
        into a token that outlives it. Wrong passwords count with those of
        `POST /me/password` (429 past the limit). Tokens start with `llpat_`.
        A `read` token gets 403 on every request that would change data.
        """
        api_token, secret = service.create_token(current_user(), **new_token)
        fields = {name: getattr(api_token, name) for name in PersonalTokenSchema().fields}
        return {**fields, "token": secret}

    @session_required
    @blp.response(204)
    @blp.doc(operationId="revokeAllTokens")
    def delete(self):
        """Revoke every personal access token of yours at once

        Scripts, the CLI and calendar feeds using any of them get 401 (feeds 404)
        from their next request. Needs a login session.
        """
        service.revoke_all_tokens(current_user())
        db.session.commit()


@blp.route("/<int:token_id>")
class TokenItem(MethodView):
    @session_required
    @blp.response(204)
    @blp.alt_response(404, description="No such token of yours.")
    @blp.doc(operationId="revokeToken")
    def delete(self, token_id):
        """Revoke a personal access token at once

        Requests sent with it answer 401 from now on.
        """
        service.revoke_token(current_user(), token_id)
