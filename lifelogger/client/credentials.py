"""Where the client keeps its server URL and token: a 0600 file in the user's config dir."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click


def config_dir() -> Path:
    """``$LIFELOGGER_CONFIG_DIR``, else the platform's config dir (~/.config/lifelogger)."""
    override = os.environ.get("LIFELOGGER_CONFIG_DIR")
    return Path(override) if override else Path(click.get_app_dir("lifelogger"))


def credentials_path() -> Path:
    return config_dir() / "credentials.json"


def load() -> dict:
    """The stored {url, token}, overridden by LIFELOGGER_URL / LIFELOGGER_TOKEN."""
    stored = {}
    path = credentials_path()
    if path.exists():
        stored = json.loads(path.read_text())
    if os.environ.get("LIFELOGGER_URL"):
        stored["url"] = os.environ["LIFELOGGER_URL"]
    if os.environ.get("LIFELOGGER_TOKEN"):
        stored["token"] = os.environ["LIFELOGGER_TOKEN"]
    return stored


def save(url: str, token: str, token_id: int | None = None) -> Path:
    """Store the credentials readable by the user only (0600), atomically."""
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"url": url, "token": token, "token_id": token_id}, handle)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def forget() -> bool:
    """Delete the stored credentials; True if there were any."""
    path = credentials_path()
    if path.exists():
        path.unlink()
        return True
    return False
