"""The 10,000 most common passwords: refused whenever a password is chosen.

The list ships in ``lifelogger/security/data/common-passwords.txt`` (source and licence
in ``lifelogger/security/data/README.md``); it is read once, on first use, and never
fetched. The comparison ignores case and surrounding spaces: "Password1 " is
as guessable as "password1".
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files

from marshmallow import ValidationError, validate

COMMON_PASSWORD = "This is one of the 10,000 most common passwords, the first ones an attacker tries; choose another."


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, case-folded."""
    text = files("lifelogger.security").joinpath("data", "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def is_common(password: str) -> bool:
    """True when the password is on the list, ignoring case and surrounding spaces."""
    return password.strip().casefold() in common_passwords()


class NotCommon(validate.Validator):
    """A marshmallow validator refusing the 10,000 most common passwords."""

    def __call__(self, value: str) -> str:
        if is_common(value):
            raise ValidationError(COMMON_PASSWORD)
        return value
