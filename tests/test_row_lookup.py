"""The token lookup's own connection (lifelogger/row_lookup.py): cheap, and never stale.

On a SQLite file each thread keeps one connection for the lookup across
requests; these tests hold it to the pool's guarantees: it sees every change
at once, follows the file at its path, and is replaced after a driver error,
a new pool or in another thread. On PostgreSQL the lookup uses the pool, and
only the behaviour every backend shares is checked.
"""
import os
import shutil
import sqlite3
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete

from lifelogger import create_app, row_lookup
from lifelogger.db import db
from lifelogger.db.models import Session

from .conftest import PASSWORD, ApiClient, base_config


def kept_connection():
    return getattr(row_lookup._kept, "connection", None)


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the kept connection is SQLite's; PostgreSQL's lookups use the pool")


def test_a_session_ended_elsewhere_is_refused_on_the_very_next_request(app, user):
    """Another connection deletes the session: the lookup must not answer from a stale read."""
    assert user.get("/me").status_code == 200
    with app.app_context():
        db.session.execute(delete(Session))
        db.session.commit()
    assert user.get("/me").status_code == 401


def test_each_thread_keeps_one_connection_across_requests(sqlite_only, user):
    assert user.get("/me").status_code == 200
    first = kept_connection()
    assert user.get("/me").status_code == 200
    assert kept_connection() is first

    seen_by_other_thread = []

    def other_thread():
        assert user.get("/me").status_code == 200
        seen_by_other_thread.append(kept_connection())
        row_lookup._forget(kept_connection())  # closed, not left to the garbage collector with the thread

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen_by_other_thread[0] is not None and seen_by_other_thread[0] is not first
    assert kept_connection() is first


def test_a_new_pool_retires_the_kept_connection(sqlite_only, app, user):
    assert user.get("/me").status_code == 200
    before = kept_connection()
    with app.app_context():
        db.engine.dispose()  # what a restore does
    assert user.get("/me").status_code == 200
    assert kept_connection() is not before
    with pytest.raises(sqlite3.ProgrammingError):
        before.driver_connection.execute("SELECT 1")  # really closed, not leaked


def test_a_driver_error_falls_back_and_starts_afresh(sqlite_only, user):
    assert user.get("/me").status_code == 200
    broken = kept_connection()
    broken.driver_connection.close()  # any sqlite3 error on the kept connection
    assert user.get("/me").status_code == 200  # answered through SQLAlchemy instead
    assert kept_connection() is None
    assert user.get("/me").status_code == 200
    assert kept_connection() not in (None, broken)


def test_a_database_file_replaced_under_the_app_is_read_at_once(tmp_path):
    """A restore by moving another file (without the old -wal and -shm) to the path: the old connection must not answer."""
    path = tmp_path / "lifelogger.sqlite3"
    app = create_app(base_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()  # the last connection closed: the schema is in the file, not its WAL
    anon = ApiClient(app.test_client())
    pristine = tmp_path / "pristine.sqlite3"
    shutil.copy(path, pristine)  # a database without the account below
    assert anon.post("/auth/register", json={"username": "restored", "password": PASSWORD}).status_code == 201
    token = anon.post("/auth/login", json={"username": "restored", "password": PASSWORD}).json["token"]
    user = ApiClient(app.test_client(), token=token)
    assert user.get("/me").status_code == 200

    os.replace(pristine, path)  # a new inode at the same path
    for companion in ("-wal", "-shm"):  # they belong to the old file (SQLite would replay its WAL onto the new one)
        if os.path.exists(f"{path}{companion}"):
            os.remove(f"{path}{companion}")
    assert user.get("/me").status_code == 401
    with app.app_context():
        db.engine.dispose()


def test_an_in_memory_database_is_never_kept_apart_from_the_pool():
    """A connection of its own to ``sqlite://`` would be an empty database of its own."""
    engine = create_engine("sqlite://")
    try:
        assert row_lookup._kept_connection(engine) is None
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()
