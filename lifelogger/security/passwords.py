"""Passwords: bcrypt hashes, and the 10,000 most common passwords refused.

Hashes are bcrypt over base64(SHA-256(password)). bcrypt reads at most 72
bytes (bcrypt 5 refuses longer secrets); the pre-hash lets a 128-emoji
password work and keeps two passwords that share their first 72 bytes apart.

The common-password list ships in ``lifelogger/security/data/common-passwords.txt``
(source and licence in ``lifelogger/security/data/README.md``); it is read once,
on first use, and never fetched. The comparison ignores case and surrounding
spaces: "Password1 " is as guessable as "password1".
"""
from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files

import bcrypt
from flask import current_app

COMMON_PASSWORD = "This is one of the 10,000 most common passwords, the first ones an attacker tries; choose another."


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    """A bcrypt hash of the password, at the configured cost (``BCRYPT_ROUNDS``)."""
    rounds = current_app.config["BCRYPT_ROUNDS"]
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    """True when the password matches the stored hash."""
    return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, case-folded."""
    text = files("lifelogger.security").joinpath("data", "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def is_common(password: str) -> bool:
    """True when the password is on the list, ignoring case and surrounding spaces."""
    return password.strip().casefold() in common_passwords()
