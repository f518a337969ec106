"""Bearer tokens: made with ``secrets``, stored only as their SHA-256.

A session token is ``secrets.token_urlsafe(32)`` (256 bits); a personal
access token is the same with the ``llpat_`` prefix, so leaked-secret
scanners recognise it. The client sees a token once; the database keeps its
hash, so a leaked database opens nothing.
"""
from __future__ import annotations

import hashlib
import secrets

# Personal access tokens carry a prefix so leaked-secret scanners recognise them.
PAT_PREFIX = "llpat_"


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    # surrogatepass: whatever a header held, an unknown token is a 401, not a 500.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_session_token() -> tuple[str, str]:
    """A fresh session token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def new_personal_token() -> tuple[str, str]:
    """A fresh personal access token and the hash to store for it."""
    token = PAT_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def is_personal_token(token: str) -> bool:
    """True for a personal access token (by its prefix), False for a session token."""
    return token.startswith(PAT_PREFIX)


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme in any case), or None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def new_device_secret() -> tuple[str, str]:
    """A fresh secret for a device credential and the hash to store for it."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_token(secret)


def new_device_family() -> str:
    """The lifelong, random name of one signed-in device (the credential's first part)."""
    return secrets.token_urlsafe(16)
