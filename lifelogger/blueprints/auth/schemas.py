"""Schemas of the auth resource: registration, login, tokens."""
from marshmallow import Schema, fields, validate

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import Instant, JsonBoolean, TimeZoneName, TrimmedName
from lifelogger.api.schemas import DISPLAY_NAME, NEW_PASSWORD, TIMEZONE, USERNAME

class RegisterSchema(Schema):
    username = fields.String(required=True, validate=USERNAME, metadata={"example": "yourname"})
    password = fields.String(
        required=True, validate=NEW_PASSWORD["validate"], metadata={**NEW_PASSWORD["metadata"], "example": "correct horse battery"}
    )
    display_name = TrimmedName(metadata={"example": "Jacob"}, **DISPLAY_NAME)
    timezone = TimeZoneName(**TIMEZONE)


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(max=256), metadata={"example": "yourname"})
    password = fields.String(required=True, validate=validate.Length(max=1024), metadata={"example": "correct horse battery"})
    remember = JsonBoolean(
        load_default=False,
        metadata={
            "description": "Keep this browser signed in: the answer also sets an HttpOnly device cookie, "
            "sent only to POST /auth/refresh. Scripts leave it out."
        },
    )


class TokenSchema(Answer):
    token = fields.String(metadata={"description": "Send it as 'Authorization: Bearer <token>'."})
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "Seconds of inactivity after which the token expires."})


class LogoutEverywhereSchema(Answer):
    """What ``POST /auth/logout-all`` ended, and what it left working."""

    sessions_ended = fields.Integer(metadata={"description": "Login sessions ended, this one included.", "example": 3})
    personal_tokens_kept = fields.Integer(
        metadata={
            "description": "Personal access tokens that still work (0: none). Logging out ends sessions only; "
            "revoke tokens with `DELETE /tokens`.",
            "example": 2,
        }
    )


class RefreshedTokenSchema(TokenSchema):
    username = fields.String(metadata={"description": "Whose session this is: a tab signed in as someone else keeps away from it."})


class DeviceSchema(Answer):
    """A browser that stays signed in (never its credential)."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True, metadata={"example": "Firefox on Android"})
    created_at = Instant(dump_only=True)
    last_used_at = Instant(dump_only=True)
    current = fields.Boolean(dump_only=True, metadata={"description": "True for the device that asks."})


class DeviceListSchema(Answer):
    devices = fields.List(fields.Nested(DeviceSchema))
