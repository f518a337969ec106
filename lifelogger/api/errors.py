"""One error shape for the whole API: ``{code, status, message, errors?}``.

flask-smorest's handler produces the shape for ``abort(...)``; this module
makes sure every other failure (Werkzeug's own 404/405/413, validation, a
database conflict or outage, an unexpected exception) takes the same shape,
with a ``message`` a person can act on and never a stack trace.
"""
from __future__ import annotations

import logging
from http import HTTPStatus

from flask import current_app, has_request_context, request
from flask_smorest import Api
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from lifelogger.api.openapi import ContractPlugin, ErrorSchema
from lifelogger.db import db
from lifelogger.db.faults import is_database_unavailable
from lifelogger.db.models import ImportLeaseLost, LogBeingImported

log = logging.getLogger(__name__)

_DEFAULT_MESSAGES = {
    400: "The request could not be understood.",
    401: "Authentication required: send 'Authorization: Bearer <token>' from POST /api/v1/auth/login.",
    403: "You are not allowed to do this.",
    404: "Nothing found at this address.",
    405: "This method is not allowed here.",
    409: "This conflicts with data that already exists.",
    413: "The request body is too large.",  # the limit is added: it depends on the endpoint
    415: "Send the request body as JSON with 'Content-Type: application/json'.",
    422: "The request is invalid.",
    429: "Too many requests; slow down and try again later.",
    500: "Something went wrong on the server. Nothing was changed.",
    503: "The service is temporarily unavailable. Try again in a moment.",
    504: "The request took too long and was stopped. Check whether it took effect before repeating it.",
}


# The largest import writes for a few seconds (README "Export and import", bench/import_lock.py).
IMPORT_RETRY_AFTER_SECONDS = 2


class RequestTimedOut(Exception):
    """Raised inside a request that ran past gunicorn's worker timeout (see gunicorn.conf.py)."""


def describe_size(size: int) -> str:
    """65536 -> '64 KiB', 16777216 -> '16 MiB', 1000 -> '1,000 bytes'."""
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def describe_validation_errors(errors: dict) -> str:
    """Turn ``{"json": {"label": ["Missing ..."]}}`` into "label: Missing ..."."""
    parts = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, (list, tuple)):
            texts = [str(v) for v in value if not isinstance(v, (dict, list))]
            if texts:
                parts.append(f"{prefix}: {' '.join(texts)}" if prefix else " ".join(texts))
            for v in value:
                if isinstance(v, (dict, list)):
                    walk(prefix, v)
        else:
            parts.append(f"{prefix}: {value}" if prefix else str(value))

    for location_errors in errors.values():
        walk("", location_errors)
    return "Invalid input: " + "; ".join(parts) if parts else _DEFAULT_MESSAGES[422]


def _view_attribute(name: str):
    """An attribute of the request's MethodView class (None outside a request, or when it has none)."""
    if not has_request_context() or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    return getattr(getattr(view, "view_class", None), name, None)


def _propagate_exceptions() -> bool:
    """Flask's rule: PROPAGATE_EXCEPTIONS, defaulting to on under TESTING or DEBUG."""
    setting = current_app.config.get("PROPAGATE_EXCEPTIONS")
    return setting if setting is not None else (current_app.testing or current_app.debug)


class JSONErrorApi(Api):
    """flask-smorest's Api, completing its error payloads (and documenting them: ``ErrorSchema``)."""

    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, **kwargs):
        # A new plugin per app, as flask-smorest's default: the converter holds the app's spec.
        kwargs.setdefault("marshmallow_plugin", ContractPlugin())
        super()._init_spec(**kwargs)

    def _register_pagination_header(self):
        """Not registered: GET /events pages with keyset cursors (``next``), not
        flask-smorest's page numbers, and an unused component is lint (redocly)."""

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(IntegrityError, self.handle_integrity_error)
        self._app.register_error_handler(OperationalError, self.handle_operational_error)
        self._app.register_error_handler(RequestTimedOut, self.handle_timeout)
        self._app.register_error_handler(LogBeingImported, self.handle_log_being_imported)
        self._app.register_error_handler(ImportLeaseLost, self.handle_import_lease_lost)
        self._app.register_error_handler(Exception, self.handle_unexpected_error)

    def handle_http_exception(self, error: HTTPException):
        """Return the JSON payload, with a message always and Werkzeug's headers kept."""
        if error.code is not None and error.code >= 500:
            original = getattr(error, "original_exception", None)
            if original is not None:
                return self.handle_unexpected_error(original)
        payload, code, headers = super().handle_http_exception(error)
        # abort(..., extra={...}) adds fields beside code/message (e.g. an import report).
        payload.update((getattr(error, "data", None) or {}).get("extra", {}))
        if "message" not in payload:
            if code == 422 and payload.get("errors"):
                payload["message"] = describe_validation_errors(payload["errors"])
            elif code == 413 and request.max_content_length is not None:
                # This request's limit: 64 KiB, or what the view raised it to (an import: 16 MiB).
                payload["message"] = f"The request body is too large ({describe_size(request.max_content_length)} at most)."
            else:
                payload["message"] = _DEFAULT_MESSAGES.get(code) or error.description or error.name
        if code == 422 and (shape := _view_attribute("shape_refusal")) is not None:
            payload = shape(payload)  # a view whose 422s all share one documented body (the import's report)
        # flask-smorest drops the exception's own headers (Allow on 405,
        # WWW-Authenticate on 401 raised by Werkzeug); merge them back.
        merged = dict(error.get_headers())
        merged.pop("Content-Type", None)
        merged.update(headers or {})
        return payload, code, merged

    def handle_integrity_error(self, error: IntegrityError):
        """A constraint the database enforces: a conflict, not a crash."""
        db.session.rollback()
        log.info("integrity error answered as 409: %s", error.orig)
        return self._payload(409, _DEFAULT_MESSAGES[409])

    def handle_operational_error(self, error: OperationalError):
        """Database down, locked or read-only: 503 so clients retry; anything else is a 500."""
        db.session.rollback()
        if is_database_unavailable(error):
            log.warning("database unavailable: %s", error.orig)
            return self._payload(503, _DEFAULT_MESSAGES[503], {"Retry-After": "5"})
        return self.handle_unexpected_error(error)

    def handle_log_being_imported(self, _error: LogBeingImported):
        """A write while an import writes into the same log: 503, so the app's queue and the CLI send it again."""
        db.session.rollback()
        message = "An import is being written into your log; nothing was changed. Try again in a few seconds."
        return self._payload(503, message, {"Retry-After": str(IMPORT_RETRY_AFTER_SECONDS)})

    def handle_import_lease_lost(self, _error: ImportLeaseLost):
        """An import stalled past its lease and another write broke it: the import undid itself (transfer/service.py)."""
        db.session.rollback()
        message = "The import took too long and another change reached your log meanwhile; nothing was imported. Import the file again."
        return self._payload(503, message, {"Retry-After": str(IMPORT_RETRY_AFTER_SECONDS)})

    def handle_timeout(self, _error: RequestTimedOut):
        """The worker timeout cut the request short: roll back and answer 504 JSON.

        The transaction is rolled back unless it had already committed, so the
        client cannot know which: the message says to check before repeating.
        """
        # The route's rule, not the path: a calendar feed's path holds its secret token.
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        log.error("request stopped by the worker timeout: %s %s", request.method, route)
        db.session.rollback()
        return self._payload(504, _DEFAULT_MESSAGES[504])

    def handle_unexpected_error(self, error: Exception):
        """Log the stack trace for the operator; give the client the error shape only."""
        if isinstance(error, HTTPException):
            return self.handle_http_exception(error)
        if _propagate_exceptions():
            raise error  # let tests (and the debugger) see the real traceback
        log.exception("unhandled error", exc_info=error)
        try:
            db.session.rollback()
        except Exception:  # the session may be unusable; the request is failing anyway
            log.exception("rollback after unhandled error failed")
        return self._payload(500, _DEFAULT_MESSAGES[500])

    @staticmethod
    def _payload(code: int, message: str, headers: dict | None = None):
        return {"code": code, "status": HTTPStatus(code).phrase, "message": message}, code, headers or {}
