"""Example responses for the "Query your data" page, generated from the API's own schemas.

Written once, by hand, the page's examples fell behind the API (they lacked
``timezone``, ``day_starts_at``, ``forgotten_after_minutes``, ``note``). Built
here from the response schemas (their fields in order, each field's OpenAPI
``example``), they cannot: a new field appears on the page when it appears in
the API. tests/e2e/test_query_page.py compares each with a live answer.
"""
from __future__ import annotations

import json

from marshmallow import Schema, fields

from lifelogger.api.fields import Instant
from lifelogger.api.schemas import ProfileSchema
from lifelogger.blueprints.events.schemas import EventListSchema
from lifelogger.blueprints.labels.schemas import LabelListSchema
from lifelogger.blueprints.stats.schemas import DailyStatsSchema, StatsSchema

# Values for fields whose schema gives no example, by type (most specific first).
_BY_TYPE = [
    (Instant, "2026-03-24T12:00:00+00:00"),
    (fields.Integer, 1),
    (fields.Float, 1.5),
    (fields.Boolean, True),
    (fields.Date, "2026-03-24"),
    (fields.String, "text"),
]


def _value(field: fields.Field):
    if "example" in field.metadata:
        return field.metadata["example"]
    if isinstance(field, fields.Nested):
        return example_of(field.schema)
    if isinstance(field, fields.List):
        return [_value(field.inner)]
    if isinstance(field, fields.Dict):
        return {}
    for kind, value in _BY_TYPE:
        if isinstance(field, kind):
            return value
    raise TypeError(f"No example for {field!r}: give it metadata={{'example': ...}}.")


def example_of(schema: Schema | type[Schema], exclude: tuple[str, ...] = ()) -> dict:
    """An answer of ``schema``: every dumped field, in the schema's order, with its example."""
    schema = schema() if isinstance(schema, type) else schema
    return {
        field.data_key or name: _value(field)
        for name, field in schema.fields.items()
        if not field.load_only and name not in exclude
    }


def page_examples() -> dict[str, str]:
    """The page's example responses as indented JSON text, by the endpoint's id on the page."""
    answers = {
        "me": example_of(ProfileSchema),
        "labels": example_of(LabelListSchema),
        # The page's request has no `limit`, so the answer has no `next`.
        "events": example_of(EventListSchema, exclude=("next",)),
        "stats": example_of(StatsSchema),
        "daily": example_of(DailyStatsSchema),
    }
    return {name: json.dumps(answer, indent=2, ensure_ascii=False) for name, answer in answers.items()}
