"""The config every test app starts from."""
from __future__ import annotations

from dataclasses import dataclass


def base_config(database_url: str, **overrides) -> dict:
    """The config every test app starts from: cheap bcrypt, an explicit database."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "BCRYPT_ROUNDS": 4,
        "SESSION_IDLE_TIMEOUT": 3600,
        "ALLOW_REGISTRATION": True,
        "PROXY_FIX": 0,
        # Hardening (issue 5): the suite registers many users from one address;
        # tests/test_ratelimit.py turns the limits on. Tests of 64-bit instants
        # query 1900 to 9999; tests/test_resource_limits.py applies the 50-year default.
        "RATELIMIT_ENABLED": False,
        "MAX_RANGE_DAYS": 3_000_000,
        **overrides,
    }


@dataclass(frozen=True)
class FromFixture:
    """A config value that is a fixture's value: ``app_config(RATELIMIT_KEY_PREFIX=FromFixture("key_prefix"))``."""

    name: str


def config_overrides(request) -> dict:
    """The test's config overrides: its ``app_config`` markers (module, then class, then
    the test's own, the nearest winning), then an indirect parameter of ``app_config``."""
    overrides = {}
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        if marker.args:
            raise TypeError("app_config markers take keyword arguments only: @pytest.mark.app_config(NAME=value)")
        overrides.update(marker.kwargs)
    overrides.update(getattr(request, "param", {}))
    return {
        name: request.getfixturevalue(value.name) if isinstance(value, FromFixture) else value
        for name, value in overrides.items()
    }
