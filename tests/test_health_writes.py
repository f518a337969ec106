"""/health says when writes would fail: a full disk lets every read through and fails every write.

The full disk is real: the database lives on a small tmpfs that the test fills up (root
may mount one here and in CI's container). Where mounting is not allowed, the test
fails rather than pretending.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask_migrate import upgrade

from lifelogger import create_app
from lifelogger.db import db
from tests.support.api import ApiClient
from tests.support.config import base_config


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 4 MiB tmpfs mounted for the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True, capture_output=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk is full; return it."""
    filler = disk / "filler"
    # Unbuffered: a buffered file would try to flush its remainder on close, and fail there.
    with open(filler, "wb", buffering=0) as out:
        try:
            while out.write(b"\0" * 65536):
                pass
        except OSError:
            pass
    return filler


def test_health_is_a_503_not_writable_on_a_full_disk_and_ok_again_when_there_is_room(small_disk):
    app = create_app(base_config(f"sqlite:///{small_disk / 'lifelogger.sqlite3'}"))
    with app.app_context():
        upgrade()
    client = ApiClient(app.test_client())
    assert client.get("/health").status_code == 200

    filler = fill(small_disk)
    response = client.get("/health")
    assert response.status_code == 503, response.json
    assert response.json["database"] == "not writable"
    assert response.json["code"] == 503 and response.json["message"] and response.headers["Retry-After"]
    assert str(small_disk) not in response.get_data(as_text=True)

    filler.unlink()
    assert client.get("/health").json == {"status": "ok", "database": "ok"}
    with app.app_context():
        db.engine.dispose()
