"""WSGI entry point for the fault tests only: ``wsgi:app`` plus a way to stall a request.

A request carrying ``X-Test-Stall-Before-Commit: <seconds>`` sends all its
changes to the database (flush) and then sleeps before committing, so a test
can have gunicorn's worker timeout kill it while its writes sit in an open
transaction. Never deployed: only tests/test_faults.py serves it
(``gunicorn tests.fault_hooks:app``).
"""
import time

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from wsgi import app  # noqa: F401  (what gunicorn serves)

STALL_HEADER = "X-Test-Stall-Before-Commit"


@event.listens_for(Session, "before_commit")
def _stall_before_commit(session):
    seconds = request.headers.get(STALL_HEADER) if has_request_context() else None
    if seconds:
        session.flush()
        time.sleep(float(seconds))
