"""Schemas of the personal access tokens resource."""
from marshmallow import Schema, fields, validate

from lifelogger.api.openapi import Answer
from lifelogger.api.fields import Instant, TrimmedName


class NewPersonalTokenSchema(Schema):
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=1024),
        metadata={
            "description": "Your current password: a session alone (a stolen one, say) cannot mint a long-lived token.",
            "example": "correct horse battery",
        },
    )
    name = TrimmedName(required=True, max_length=64, metadata={"example": "nightly export"})
    scope = fields.String(
        required=True,
        validate=validate.OneOf(["read", "write", "calendar"]),
        metadata={
            "description": "'read' may only read; 'write' may also change data; 'calendar' opens only its "
            "calendar feed URL, /api/v1/feeds/<token>/calendar.ics, and is refused everywhere else.",
            "example": "read",
        },
    )
    expires_in_days = fields.Integer(
        validate=validate.Range(min=1, max=3650),
        metadata={"description": "Omit for a token that does not expire (revoke it when done).", "example": 365},
    )


class PersonalTokenSchema(Answer):
    """A personal access token, without its secret."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    scope = fields.String(dump_only=True)
    created_at = Instant(dump_only=True)
    last_used_at = Instant(dump_only=True, allow_none=True)
    expires_at = Instant(dump_only=True, allow_none=True)


class CreatedPersonalTokenSchema(PersonalTokenSchema):
    token = fields.String(
        dump_only=True,
        metadata={"description": "The secret, shown this once only. Send it as 'Authorization: Bearer <token>'."},
    )


class PersonalTokenListSchema(Answer):
    tokens = fields.List(fields.Nested(PersonalTokenSchema))

