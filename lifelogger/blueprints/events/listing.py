"""``GET /events``' JSON, written directly: the one fast path, for the budget "a year's events ≤ 60 ms (p95)".

Budget: docs/performance.md, `GET /events` for a year ≤ 60 ms in-process p95
(a heavy user's year is ~7,300 events). The ordinary path (ORM objects
dumped by ``EventListSchema`` through ``@blp.response``) took 110 ms median,
195 ms p95 for 2,842 events on the development machine, so ~4× over budget
for a heavy year; this writer took 12 ms for the same events. It writes the
text of exactly what Flask's JSON of ``EventListSchema``'s dump would be
(compact, keys in the schema's order, labels escaped by the app's own JSON
provider, a final newline) from the listing's plain rows. The schema still
documents the endpoint, and tests/test_event_listing.py holds the two
byte-equal.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta

from flask import Response, current_app

_EPOCH_DAY = date(1970, 1, 1)
# "THH:MM:" for every minute of a day, "SS+00:00" for every second of a minute.
_MINUTE_OF_DAY = ["T%02d:%02d:" % divmod(minute, 60) for minute in range(24 * 60)]
_SECOND_OF_MINUTE = ["%02d+00:00" % second for second in range(60)]


@functools.lru_cache(maxsize=16_384)
def _iso_day(days_since_epoch: int) -> str:
    return (_EPOCH_DAY + timedelta(days=days_since_epoch)).isoformat()


def format_epoch(seconds: int) -> str:
    """``timeutil.format_instant`` for whole epoch seconds, without building a datetime.

    Long event listings format two instants per event: a day's date is
    formatted once, the time of day is looked up.
    """
    days, second_of_day = divmod(seconds, 86_400)
    return _iso_day(days) + _MINUTE_OF_DAY[second_of_day // 60] + _SECOND_OF_MINUTE[second_of_day % 60]




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
