"""The request's user is a read-only snapshot of its row, read without the ORM."""
import dataclasses

import pytest

from lifelogger.api import auth
from lifelogger.db.models import User


def test_the_snapshot_has_every_column_of_users():
    names = {field.name for field in dataclasses.fields(auth.AuthenticatedUser)}
    assert names == {column.key for column in User.__table__.columns}


def test_the_snapshot_refuses_changes_loudly(app, user):
    with app.test_request_context(headers={"Authorization": f"Bearer {user.token}"}):
        credential = auth.authenticate(f"Bearer {user.token}")
        assert credential.user.username == "yourname"
        assert credential.user.created_at.utcoffset().total_seconds() == 0  # an aware instant, like the model's
        with pytest.raises(dataclasses.FrozenInstanceError):
            credential.user.display_name = "lost"


def test_profile_changes_reach_the_next_request(user):
    assert user.patch("/me", json={"display_name": "Renamed"}).status_code == 200
    assert user.get("/me").json["display_name"] == "Renamed"


def test_a_personal_token_reads_the_same_profile(user):
    created = user.post("/tokens", json={"name": "script", "scope": "read"})
    assert created.status_code == 201, created.json
    pat = {"Authorization": f"Bearer {created.json['token']}"}
    assert user.get("/me", headers=pat).json == user.get("/me").json
