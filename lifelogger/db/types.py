"""Column types and SQL expressions that read the same on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import BigInteger, types
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from lifelogger.core import timeutil


class EpochSeconds(types.TypeDecorator):
    """An aware UTC datetime stored as whole seconds since the Unix epoch."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, int):
            return value
        return timeutil.to_epoch(value)

    def process_result_value(self, value, dialect):
        return None if value is None else timeutil.from_epoch(value)


class bytewise(FunctionElement):
    """A text expression sorted by code point, whatever the database's collation.

    SQLite compares text that way by default; PostgreSQL follows the locale
    the database was created with (en_US puts "ça va" before "cb", C after
    "Zed"), so there the expression gets ``COLLATE "C"``. Lists sorted in SQL
    then read the same on every backend and every server locale.
    """

    inherit_cache = True

    def __init__(self, expression):
        super().__init__(expression)
        self.type = expression.type


@compiles(bytewise)
def _bytewise(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element, compiler, **kw):
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'


class instant_text(FunctionElement):
    """An EpochSeconds column as the API writes instants (``2026-03-24T09:00:00+00:00``), in SQL.

    For exports: formatting hundreds of thousands of instants in the database
    costs a fraction of doing it in Python. NULL stays NULL.
    """

    type = types.String()
    inherit_cache = True


@compiles(instant_text)
def _instant_text_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', {compiler.process(element.clauses, **kw)}, 'unixepoch')"


@compiles(instant_text, "postgresql")
def _instant_text_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"""to_char(to_timestamp({column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
