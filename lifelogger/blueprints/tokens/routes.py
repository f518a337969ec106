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

    @session_required
    @blp.arguments(NewPersonalTokenSchema)
    @blp.response(201, CreatedPersonalTokenSchema)
    @blp.doc(operationId="createToken")
    def post(self, new_token):
        """Create a personal access token (its secret is shown once)

        Tokens start with `llpat_`. A `read` token gets 403 on every request
        that would change data.
        """
        api_token, secret = service.create_token(current_user(), **new_token)
        fields = {name: getattr(api_token, name) for name in PersonalTokenSchema().fields}
        return {**fields, "token": secret}


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
