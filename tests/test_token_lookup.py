"""Authentication reads the database as it is now: never a stale session, never the wrong file."""
import os
import shutil

from flask_migrate import upgrade
from sqlalchemy import delete

from lifelogger import create_app
from lifelogger.db import db
from lifelogger.db.models import Session
from tests.support.api import PASSWORD, ApiClient
from tests.support.config import base_config


def test_a_session_ended_elsewhere_is_refused_on_the_very_next_request(app, user):
    """Another connection deletes the session: the lookup must not answer from a stale read."""
    assert user.get("/me").status_code == 200
    with app.app_context():
        db.session.execute(delete(Session))
        db.session.commit()
    assert user.get("/me").status_code == 401


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


def test_an_api_call_sets_no_cookie(user):
    """Bearer tokens only: nothing a browser would keep or send on its own."""
    response = user.get("/me")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
