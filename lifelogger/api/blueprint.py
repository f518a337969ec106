"""flask-smorest's Blueprint with a request parser that insists on sound JSON bodies,
and documented failures that always carry the one error shape."""
from __future__ import annotations

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from lifelogger.api.openapi import ErrorSchema, csv_schema


def has_unpaired_surrogate(data) -> bool:
    """True when a string in the parsed JSON holds a lone UTF-16 surrogate (from an escape like \\ud800).

    Such a string is not Unicode text: it cannot be encoded, stored or hashed.
    Walked without recursion, however deep the document.
    """
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class JSONBodyParser(FlaskParser):
    """Parse JSON bodies, answering 415 or 400 for the ones no schema should see.

    - A non-empty body not declared as JSON: 415 (webargs alone treats it as
      absent, which surfaces as a confusing "missing field" 422).
    - JSON nested deeper than Python's parser can recurse: 400 (it raised
      RecursionError, a 500, even on the public log-in).
    - JSON whose strings hold unpaired surrogate escapes: 400 (they reached
      bcrypt and the database as text that cannot be encoded: a 500).
    """

    def _raw_load_json(self, req):
        if not is_json_request(req):
            if req.get_data(cache=True):
                flask_smorest.abort(
                    415,
                    message=f"Send the request body as JSON with 'Content-Type: application/json' (got '{req.mimetype or 'none'}').",
                )
            return core.missing
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            flask_smorest.abort(
                400, message="The JSON body is nested too deeply.", errors={"json": ["Invalid JSON body."]}
            )
        if has_unpaired_surrogate(data):
            flask_smorest.abort(
                400,
                message="The JSON body is not valid Unicode: a string holds an unpaired surrogate escape such as \\ud800.",
                errors={"json": ["Invalid JSON body."]},
            )
        return data


class Blueprint(flask_smorest.Blueprint):
    """A resource blueprint of the Life Logger API."""

    ARGUMENTS_PARSER = JSONBodyParser()

    def alt_response(self, status_code, response=None, *, schema=None, **kwargs):
        """``@blp.alt_response(409, description="...")`` documents the failure with the ``Error`` schema.

        Without a schema flask-smorest documented a description alone, and a
        generated client could not read the error it got. A response of its
        own (``schema=`` or ``response=``) is kept, e.g. a report sent with a 422.
        """
        if response is None and schema is None and int(status_code) >= 400:
            schema = ErrorSchema
        return super().alt_response(status_code, response, schema=schema, **kwargs)

    def csv_response(self, columns: list[str], example: str, status_code: int = 200, description: str | None = None):
        """Document a ``text/csv`` answer beside the JSON one of ``@blp.response(status_code, ...)``.

        The same status code then lists both media types (``content``), each
        with its schema: a generator reads the JSON one as a model and the CSV
        one as text. Put it below ``@blp.response``.
        """
        return self.alt_response(
            status_code, schema=csv_schema(columns), content_type="text/csv", example=example,
            description=description, success=True,
        )



# --- Decorator order, checked at start-up -----------------------------------
# Our view decorators wrap the whole operation, so they go above flask-smorest's
# ``@blp.arguments``/``@blp.response`` (below them they would run after input
# validation), in this order from the top: authentication, then idempotency
# (the key belongs to the authenticated user). ``check_decorator_order`` walks
# every view's wrappers when the app is built and raises on any other order.
AUTHENTICATION, IDEMPOTENCY = "authentication", "idempotency"
_OUTER_DECORATORS: dict = {}  # wrapper code object -> AUTHENTICATION or IDEMPOTENCY
_SMOREST_WRAPPERS = ("arguments.py", "response.py")


def outer_decorator(kind: str):
    """Register a view decorator's wrapper as one of ours (``AUTHENTICATION`` or ``IDEMPOTENCY``)."""

    def register(wrapper):
        _OUTER_DECORATORS[wrapper.__code__] = kind
        return wrapper

    return register


def check_decorator_order(view) -> None:
    """Raise ``TypeError`` unless ``view``'s decorators stand in the one order that works."""
    seen_smorest, kinds, function = False, [], view
    while function is not None:
        code = getattr(function, "__code__", None)
        kind = _OUTER_DECORATORS.get(code)
        if kind is not None:
            if seen_smorest:
                raise TypeError(f"{view.__qualname__}: put @login_required/@idempotent above the @blp.arguments/@blp.response decorators.")
            kinds.append(kind)
        elif code is not None and code.co_filename.endswith(_SMOREST_WRAPPERS) and "flask_smorest" in code.co_filename:
            seen_smorest = True
        function = getattr(function, "__wrapped__", None)
    if IDEMPOTENCY in kinds and (AUTHENTICATION not in kinds or kinds.index(AUTHENTICATION) > kinds.index(IDEMPOTENCY)):
        raise TypeError(f"{view.__qualname__}: @idempotent needs @login_required above it.")


def check_views(app) -> None:
    """``check_decorator_order`` for every method of every class-based view of the app."""
    for view in app.view_functions.values():
        view_class = getattr(view, "view_class", None)
        for method in getattr(view_class, "methods", None) or ():
            check_decorator_order(getattr(view_class, method.lower()))
