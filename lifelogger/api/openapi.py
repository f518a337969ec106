"""How the OpenAPI document states the contract, in one place (docs/api.md, "Conventions").

Code generators (openapi-python-client, @hey-api/openapi-ts) build typed
clients from ``/api/v1/openapi.json``; what they can trust is decided here:

- ``Answer``: the base of every response schema. Each of its fields is listed
  as ``required`` (the server always sends it) unless the field says
  ``metadata={"optional": True}``; without the list every generated field was
  ``X | Unset``.
- A nullable field: ``type: ..., nullable: true``; a nullable nested object:
  ``allOf: [$ref], nullable: true``. apispec's 3.0 form for the latter,
  ``anyOf: [$ref, {type: object, nullable: true}]``, made one generator invent
  an empty model and another drop the null. (The document stays OpenAPI
  3.0.3: the Swagger UI we serve offline, 4.15, cannot render 3.1.)
- ``ErrorSchema``: the one error shape, which every documented 4xx/5xx uses
  (``Blueprint.alt_response`` fills it in, ``api/blueprint.py``).
- ``csv_schema``: how a ``text/csv`` answer is documented beside the JSON one
  (``Blueprint.csv_response``).
"""
from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from apispec.ext.marshmallow.common import resolve_schema_instance
from marshmallow import Schema, fields


class Answer(Schema):
    """A response body: every field is always sent unless it is marked ``optional``."""


class ErrorSchema(Answer):
    """The error shape of every failure (``api/errors.py`` guarantees ``message``)."""

    code = fields.Integer(metadata={"description": "The HTTP status code.", "example": 404})
    status = fields.String(metadata={"description": "The HTTP status phrase.", "example": "Not Found"})
    message = fields.String(
        metadata={"description": "What went wrong, in words a person can act on.", "example": "No such event of yours."}
    )
    errors = fields.Dict(
        metadata={
            "optional": True,
            "description": "Validation errors (422), by location then field: "
            '{"json": {"label": ["Missing data for required field."]}}.',
        }
    )


class ContractConverter(OpenAPIConverter):
    """apispec's converter, writing ``required`` lists and nullable objects as described above."""

    def field2nullable(self, field, ret) -> dict:
        if field.allow_none and (self.openapi_version.major, self.openapi_version.minor) == (3, 0):
            # No "type: object" beside it, though OpenAPI 3.0.3 reads nullable with a type
            # only (redocly's nullable-type-sibling): with it, openapi-python-client 0.29
            # types the field plain `Event`. Both generators read this form as nullable
            # (tests/test_api_contract.py); docs/api.md names the ignored lint.
            if "$ref" in ret:  # a bare reference (nested2properties wrote no sibling keys)
                return {"allOf": [{"$ref": ret.pop("$ref")}], "nullable": True}
            if "allOf" in ret:  # a reference beside a description: already allOf
                return {"nullable": True}
        return super().field2nullable(field, ret)

    def schema2jsonschema(self, schema) -> dict:
        jsonschema = super().schema2jsonschema(schema)
        instance = resolve_schema_instance(schema)
        if isinstance(instance, Answer):
            always_sent = [
                field.data_key or name
                for name, field in instance.fields.items()
                if not field.load_only and not field.metadata.get("optional")
            ]
            if always_sent:
                jsonschema["required"] = always_sent
        return jsonschema


class ContractPlugin(MarshmallowPlugin):
    """The marshmallow plugin with ``ContractConverter``."""

    Converter = ContractConverter


def csv_schema(columns: list[str]) -> dict:
    """The schema of a ``text/csv`` body: a string, its columns named (``Blueprint.csv_response``)."""
    return {
        "type": "string",
        "description": "CSV (RFC 4180), UTF-8, a header row then one row per item; columns: " + ", ".join(columns) + ".",
    }
