"""URL converters: ``<int:...>`` in a route is a database id, so at most 2**31 - 1.

Ids are ``INTEGER`` columns: 32-bit signed on PostgreSQL (64-bit on SQLite).
Binding a larger number raised a DataError on PostgreSQL (2**31 and up) or an
OverflowError on SQLite (2**63 and up): a 500 for ``GET /api/v1/events/2147483648``.
With the bound in the converter such a URL matches no route (404), and the
OpenAPI document states the maximum.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest INTEGER on every supported database


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter, unsigned and bounded to what the database stores."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - Werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Make ``<int:...>`` the bounded id converter; call before any route is added."""
    app.url_map.converters["int"] = IdConverter
