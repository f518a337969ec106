"""Schemas of the auth resource: registration, login, tokens."""
from marshmallow import Schema, fields, validate

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import TimeZoneName, TrimmedName
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


class TokenSchema(Answer):
    token = fields.String(metadata={"description": "Send it as 'Authorization: Bearer <token>'."})
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "Seconds of inactivity after which the token expires."})
