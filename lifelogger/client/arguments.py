"""The CLI's argument types: a bad value is a one-line usage error (exit 2), never a traceback."""
from __future__ import annotations

import urllib.parse
from datetime import date, datetime, timedelta

import click

from lifelogger.client.timerange import local_midnight, local_now

API_PATH = "/api/v1"


class When(click.ParamType):
    """A day (``YYYY-MM-DD``, ``today``, ``yesterday``; local midnight) or an ISO instant.

    Converted to ``(datetime, is_day)``: a day given as ``--to`` means the end of
    that day, which only the caller knows.
    """

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        text = value.strip()
        named = {"today": 0, "yesterday": 1}.get(text.lower())
        if named is not None:
            return local_midnight(local_now().date() - timedelta(days=named)), True
        try:
            return local_midnight(date.fromisoformat(text)), True
        except ValueError:
            pass
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"'{value}' is not a date or a time: use YYYY-MM-DD, today, yesterday "
                "or a date and time like 2026-03-24T09:30 (local) or 2026-03-24T09:30Z.",
                param,
                ctx,
            )
        if not 1900 <= instant.year <= 9999:
            self.fail(f"'{value}' is outside the years 1900 to 9999.", param, ctx)
        return (instant if instant.tzinfo else instant.astimezone()), False


class ServerUrl(click.ParamType):
    """The server's address: ``https://host[:port][/prefix]``, with or without ``/api/v1``.

    The app's "Query your data" page shows the Base URL with ``/api/v1``; people
    paste either, so both mean the same server.
    """

    name = "URL"

    def convert(self, value, param, ctx):
        try:
            return server_url(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def server_url(text: str) -> str:
    """The server's address without ``/api/v1`` or a trailing slash; ValueError says what is wrong."""
    parts = urllib.parse.urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{text}' is not a server address: use http://host:port or https://host.")
    if parts.query or parts.fragment:
        raise ValueError(f"'{text}' has a query or fragment: give only the server's address.")
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError:
        raise ValueError(f"'{text}' has an invalid port.") from None
    path = parts.path.rstrip("/")
    if path.endswith(API_PATH):
        path = path[: -len(API_PATH)]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


WHEN = When()
SERVER_URL = ServerUrl()
