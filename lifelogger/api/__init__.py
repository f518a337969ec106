"""What every API resource shares: the flask-smorest ``Api`` (one error shape), its
``Blueprint``, shared fields and schemas, authentication, throttling, idempotency."""
from __future__ import annotations

from lifelogger.api.errors import JSONErrorApi

api = JSONErrorApi()
