"""Schemas of the health check."""
from marshmallow import Schema, fields

from lifelogger.api.openapi import Answer


class HealthSchema(Answer):
    status = fields.String(metadata={"example": "ok"})
    database = fields.String(metadata={"example": "ok", "description": "'ok' when a query on the database succeeded."})
