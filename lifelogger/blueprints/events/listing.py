"""``GET /events``' JSON, written directly: the API's one long answer.

A year of events is ~7,300 objects. marshmallow's per-object dump, or even
building one dict per event for ``json.dumps``, costs several times the
query itself, so this writes the text of exactly what Flask's JSON of
``EventListSchema``'s dump would be (compact, keys in the schema's order,
labels escaped by the app's own JSON provider, a final newline). The schema
still documents the endpoint, and tests/test_event_listing.py holds the two
byte-equal.
"""
from __future__ import annotations

from flask import Response, current_app

from lifelogger.core.timeutil import format_epoch


def events_response(listing) -> Response:
    """The 200 response for an ``EventRows`` listing."""
    dumps = current_app.json.dumps
    label_json: dict[str, str] = {}  # a dozen labels, thousands of events
    parts = []
    append = parts.append
    for event_id, label, started_at, ended_at, note in listing.rows:
        name = label_json.get(label)
        if name is None:
            name = label_json[label] = dumps(label)
        ended = "null" if ended_at is None else f'"{format_epoch(ended_at)}"'
        note_json = "null" if note is None else dumps(note)
        append(
            f'{{"id":{event_id},"label":{name},"started_at":"{format_epoch(started_at)}",'
            f'"ended_at":{ended},"note":{note_json}}}'
        )
    body = '{"events":[' + ",".join(parts) + "]"
    if listing.paged:
        body += ',"next":' + dumps(listing.next)
    return current_app.response_class(body + "}\n", mimetype=current_app.json.mimetype)
