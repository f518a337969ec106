"""flask-smorest's Blueprint with a request parser that insists on JSON bodies."""
from __future__ import annotations

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class JSONBodyParser(FlaskParser):
    """Refuse a non-empty body that is not declared as JSON with 415.

    webargs alone treats such a body as absent, which would surface as a
    confusing "missing field" 422.
    """

    def _raw_load_json(self, req):
        if not is_json_request(req):
            if req.get_data(cache=True):
                flask_smorest.abort(
                    415,
                    message=f"Send the request body as JSON with 'Content-Type: application/json' (got '{req.mimetype or 'none'}').",
                )
            return core.missing
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    """A resource blueprint of the Life Logger API."""

    ARGUMENTS_PARSER = JSONBodyParser()
