"""flask-smorest's Blueprint with a request parser that insists on sound JSON bodies."""
from __future__ import annotations

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


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
