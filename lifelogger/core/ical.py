"""iCalendar (RFC 5545) text: escaping, content lines folded at 75 octets, CRLF.

Only what a feed of timed events needs, written here rather than pulled in as
a dependency; the tests read every feed back with the ``icalendar`` package.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Iterable, Iterator

# RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
MAX_LINE_OCTETS = 75
CRLF = "\r\n"
# Control characters are not allowed in a TEXT value (§3.3.11), HTAB aside.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon, comma and newlines escaped (§3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def format_utc(value: datetime) -> str:
    """A DATE-TIME in UTC ("Z" form, §3.3.5), e.g. ``20260324T090000Z``."""
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """One content line, folded so no physical line exceeds 75 octets (§3.1).

    Folds fall between characters, never inside a UTF-8 sequence; each
    continuation line starts with a space, which counts toward its 75.
    """
    if len(line.encode("utf-8")) <= MAX_LINE_OCTETS:
        return line + CRLF
    parts, current, size, limit = [], [], 0, MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1  # the leading space
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts) + CRLF


def content_lines(lines: Iterable[tuple[str, str]]) -> Iterator[str]:
    """``NAME:value`` pairs (values already escaped or formatted) as folded lines."""
    for name, value in lines:
        yield fold(f"{name}:{value}")
