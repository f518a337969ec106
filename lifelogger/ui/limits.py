"""The API's input limits, read from the schemas that enforce them, for the page shells and their scripts.

A form's ``maxlength``, ``minlength``, ``pattern``, ``min`` and ``max`` and the
hints that state them come from here, so a limit is written once, in the
schema, and the page follows it. Templates read ``limits.<request>.<field>``
(e.g. ``limits.label.name.max_length``); the base template also renders the
same data as ``<script type="application/json" id="limits">`` for
``static/app/js/limits.js``. A misspelt name raises instead of rendering an
empty attribute.

Only schema *classes* are imported, by name: each field's validators say
the rest (``validate.Length``, ``validate.Regexp``/``FullMatch``,
``validate.Range``).
"""
from __future__ import annotations

import json
import re

from flask import current_app
from marshmallow import Schema, validate

from lifelogger.blueprints.auth.schemas import RegisterSchema
from lifelogger.blueprints.events.schemas import EventChangesSchema, NewEventSchema, StartEventSchema
from lifelogger.blueprints.goals.schemas import GoalTargetSchema
from lifelogger.blueprints.labels.schemas import LabelSchema
from lifelogger.blueprints.profile.schemas import PasswordChangeSchema, ProfileUpdateSchema
from lifelogger.blueprints.tokens.schemas import NewPersonalTokenSchema

# The request bodies the pages send, by the name templates and scripts use for them.
SCHEMAS: dict[str, type[Schema]] = {
    "register": RegisterSchema,  # POST /auth/register (sign-up)
    "profile": ProfileUpdateSchema,  # PATCH /me
    "password_change": PasswordChangeSchema,  # POST /me/password
    "label": LabelSchema,  # POST /labels, PATCH /labels/<name>
    "start_event": StartEventSchema,  # POST /events/start (the tracker, the offline queue)
    "new_event": NewEventSchema,  # POST /events (timeline, "add an event")
    "event_changes": EventChangesSchema,  # PATCH /events/<id> (timeline, edit)
    "goal": GoalTargetSchema,  # PUT /goals/<label>
    "new_token": NewPersonalTokenSchema,  # POST /tokens
}


class UnknownLimit(LookupError):
    """A template or test asked for a limit no schema sets (a typo, or a limit that was dropped)."""


class Limits(dict):
    """A dict whose keys read as attributes too, and whose missing keys raise.

    Jinja turns a missing attribute into an empty string; a maxlength="" would
    silently drop the limit. Raising something other than AttributeError makes
    the page fail to render instead.
    """

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)  # hasattr(x, "__html__") and friends
        try:
            return self[name]
        except KeyError:
            raise UnknownLimit(f"no limit {name!r} here; there are {sorted(self)}") from None


def field_limits(field) -> Limits:
    """What a marshmallow field's validators allow: min_length, max_length, pattern, min, max (those set).

    A pattern that is one character class repeated ``{m,n}`` times also gives
    the lengths, unless a ``validate.Length`` says them.
    """
    found = Limits()
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            if validator.equal is not None:
                found["min_length"] = found["max_length"] = validator.equal
            if validator.min is not None:
                found["min_length"] = validator.min
            if validator.max is not None:
                found["max_length"] = validator.max
        elif isinstance(validator, validate.Regexp):
            if "pattern" in found:
                raise ValueError(f"{field!r} has two patterns; an HTML input takes one")
            found["pattern"] = html_pattern(validator.regex.pattern)
            for key, value in _lengths_of(validator.regex.pattern).items():
                found.setdefault(key, value)
        elif isinstance(validator, validate.Range):
            if not (validator.min_inclusive and validator.max_inclusive):
                raise ValueError(f"{field!r}: an exclusive Range has no HTML min/max; say how the page should show it")
            if validator.min is not None:
                found["min"] = validator.min
            if validator.max is not None:
                found["max"] = validator.max
    return found


# "^[...]{m,n}$": the whole string is one character class, m to n times.
_ONE_CLASS_REPEATED = re.compile(r"\^?\[(?:\\.|[^\]\\])*\]\{(\d+),(\d+)\}\$?")


def _lengths_of(regex: str) -> dict:
    """The lengths a pattern such as the username's (``^[A-Za-z0-9_.-]{3,32}$``) allows, when it says them plainly."""
    match = _ONE_CLASS_REPEATED.fullmatch(regex)
    return {"min_length": int(match[1]), "max_length": int(match[2])} if match else {}


def schema_limits(schema_class: type[Schema]) -> Limits:
    """The limits of every field of a schema that has any, by field name."""
    fields = schema_class().load_fields
    return Limits({name: limits for name, field in fields.items() if (limits := field_limits(field))})


def read_limits() -> Limits:
    """The limits of every request body in SCHEMAS, read from the schemas now."""
    return Limits({key: schema_limits(schema_class) for key, schema_class in SCHEMAS.items()})


def ui_limits() -> Limits:
    """The limits for this app, read once (the schemas do not change while it runs)."""
    cached = current_app.extensions.get("lifelogger_ui_limits")
    if cached is None:
        cached = current_app.extensions["lifelogger_ui_limits"] = read_limits()
    return cached


def limits_json() -> str:
    """The limits as JSON, stable (sorted keys): the page shells' data, hashed into the shell's cache name."""
    return json.dumps(ui_limits(), sort_keys=True, separators=(",", ":"))


# Inside a character class, JavaScript's `v` flag (which browsers use for the
# pattern attribute) reserves these; a literal one must be escaped.
_V_RESERVED_IN_CLASS = set("()[]{}/|")


def html_pattern(regex: str) -> str:
    """A schema's ``^...$`` regex as an HTML ``pattern`` attribute.

    The browser anchors the pattern itself (``^(?:...)$``) and compiles it with
    the ``v`` flag, where ``-`` at the edge of a character class and the
    characters in _V_RESERVED_IN_CLASS must be escaped:
    ``^[A-Za-z0-9_.-]{3,32}$`` becomes ``[A-Za-z0-9_.\\-]{3,32}``.
    """
    body = regex
    if body.startswith("^"):
        body = body[1:]
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    if "(?P" in body or "\\A" in body or "\\Z" in body:
        raise ValueError(f"{regex!r} uses Python-only syntax; write it so it reads the same in JavaScript")
    out: list[str] = []
    in_class = False
    class_start = 0  # index in `out` of the first character inside the current class
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            out.append(body[i : i + 2])
            i += 2
            continue
        if not in_class:
            out.append(char)
            if char == "[":
                in_class = True
                if body[i + 1 : i + 2] == "^":
                    out.append("^")
                    i += 1
                class_start = len(out)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "-" and (len(out) == class_start or body[i + 1 : i + 2] == "]"):
            out.append("\\-")
        elif char in _V_RESERVED_IN_CLASS:
            out.append("\\" + char)
        else:
            out.append(char)
        i += 1
    return "".join(out)
