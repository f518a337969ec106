"""Configuration: defaults, then ``instance/config.py``, then ``LIFELOGGER_*`` env vars.

Every setting a person may change is listed once in ``SETTINGS`` with its
converter and default; the README's configuration table mirrors it.
"""
from __future__ import annotations

import os
from pathlib import Path


def parse_bool(value: str) -> bool:
    """Read 'true/false', 'yes/no', 'on/off', '1/0' (any case)."""
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def parse_rate_limit(value: str) -> str:
    """Check a Flask-Limiter rate string ('10 per 15 minutes', '30/hour; 100/day')."""
    from limits import parse_many

    parse_many(value)  # raises ValueError naming the bad string
    return value.strip()


# Flask config key -> (converter for the env var's text, default).
# The env var is LIFELOGGER_<KEY>; a default of None means "computed at start-up".
SETTINGS: dict[str, tuple] = {
    "DATABASE_URL": (str, None),  # default: sqlite file in the instance folder
    "SESSION_IDLE_TIMEOUT": (int, 3600),
    "ALLOW_REGISTRATION": (parse_bool, True),
    "BCRYPT_ROUNDS": (int, 12),
    "PROXY_FIX": (int, 0),  # number of trusted reverse proxies in front of the app
    "MAX_IMPORT_BYTES": (int, 16 * 1024 * 1024),  # POST /import only; every other body: 64 KiB
    "SOURCE_URL": (str, ""),  # the project's repository, linked from the "Query your data" page
    # --- Hardening (issue 5): throttling, session lifetime, resource limits ---
    "RATELIMIT_ENABLED": (parse_bool, True),
    # memory:// counts per worker process; redis://host:6379/0 shares one count.
    "RATELIMIT_STORAGE_URI": (str, "memory://"),
    "RATELIMIT_LOGIN_PER_IP": (parse_rate_limit, "30 per 15 minutes"),
    "RATELIMIT_LOGIN_FAILURES_PER_USERNAME": (parse_rate_limit, "10 per 15 minutes"),
    "RATELIMIT_REGISTER_PER_IP": (parse_rate_limit, "10 per hour"),
    "RATELIMIT_PASSWORD_FAILURES_PER_SESSION": (parse_rate_limit, "10 per 15 minutes"),
    "SESSION_MAX_AGE": (int, 7 * 24 * 3600),  # seconds from log-in, however active
    # --- Staying signed in on a device (issue 16) ---
    "DEVICE_MAX_IDLE_DAYS": (int, 30),  # a device credential unused this long ends
    "RATELIMIT_REFRESH_PER_IP": (parse_rate_limit, "120 per 15 minutes"),
    "MAX_RANGE_DAYS": (int, 18262),  # longest /events or /stats range: 50 years
    "MAX_LABELS_PER_USER": (int, 500),
}

# Fixed for every deployment.
STATIC_DEFAULTS = {
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "JSON_SORT_KEYS": False,
    # Flask-Limiter (see lifelogger/api/ratelimit.py): "10 in any 15 minutes", not
    # per clock-aligned window; if Redis goes away, count in memory meanwhile.
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_KEY_PREFIX": "lifelogger",
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "API_TITLE": "Life Logger",
    "API_VERSION": "v1",
    # Not 3.1: the offline Swagger UI (swagger-ui-bundle 1.1 = Swagger UI 4.15) shows no
    # operation of a 3.1 document (tests/e2e/test_api_docs.py; docs/api.md).
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    # Assets are served by the app itself (see lifelogger/api/docs.py), never a CDN.
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    "OPENAPI_SWAGGER_UI_CONFIG": {"persistAuthorization": False, "tryItOutEnabled": True},
    "API_SPEC_OPTIONS": {
        "info": {
            "license": {"name": "MIT", "url": "https://opensource.org/license/mit"},
            "description": (
                "Every piece of your Life Logger data over HTTP. Log in with "
                "`POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`. "
                "Instants are UTC ISO 8601 with an explicit offset."
            )
        },
        # Relative to the document's own address: the paths already start with /api/v1,
        # so a generated client's base URL is the server's origin (https://time.example.org).
        "servers": [{"url": "/", "description": "The server this document was fetched from."}],
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "Session token from POST /auth/login"}
            }
        },
    },
}


def load_env(environ: dict[str, str] | None = None) -> dict:
    """Return the settings given as ``LIFELOGGER_*`` environment variables, converted."""
    environ = os.environ if environ is None else environ
    found = {}
    for key, (convert, _default) in SETTINGS.items():
        raw = environ.get(f"LIFELOGGER_{key}")
        if raw is not None:
            try:
                found[key] = convert(raw)
            except ValueError as exc:
                raise RuntimeError(f"LIFELOGGER_{key}: {exc}") from None
    return found


def fill_computed_defaults(config, instance_path: str) -> None:
    """Set the defaults that depend on the instance folder (the database file)."""
    instance = Path(instance_path)
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance / 'lifelogger.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]

