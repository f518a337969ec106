"""Goals per label and progress in the user's current day and week."""
import pytest


@pytest.fixture
def berliner(user, clock):
    user.patch("/me", json={"timezone": "Europe/Berlin"})
    return user


def test_set_get_list_and_delete_a_goal(user):
    response = user.put("/goals/Exercise", json={"kind": "at_least", "minutes": 30, "per": "day"})
    assert response.status_code == 200
    assert response.json == {"kind": "at_least", "minutes": 30, "per": "day", "label": "Exercise"}
    assert user.get("/goals/exercise").json["minutes"] == 30
    user.put("/goals/Exercise", json={"kind": "at_most", "minutes": 90, "per": "week"})
    assert user.get("/goals").json == {"goals": [{"kind": "at_most", "minutes": 90, "per": "week", "label": "Exercise"}]}
    assert user.delete("/goals/Exercise").status_code == 204
    assert user.get("/goals/Exercise").status_code == 404


def test_goals_need_an_existing_label_and_valid_targets(user):
    assert user.put("/goals/Knitting", json={"kind": "at_least", "minutes": 30, "per": "day"}).status_code == 404
    for bad in ({"kind": "about", "minutes": 30, "per": "day"}, {"kind": "at_least", "minutes": 0, "per": "day"}, {"kind": "at_least", "minutes": 30, "per": "month"}):
        assert user.put("/goals/Exercise", json=bad).status_code == 422
    assert user.get("/goals").json == {"goals": []}


def test_a_goal_follows_its_label(user):
    user.put("/goals/Reading", json={"kind": "at_least", "minutes": 20, "per": "day"})
    user.patch("/labels/Reading", json={"name": "Books"})
    assert user.get("/goals").json["goals"][0]["label"] == "Books"
    assert user.delete("/labels/Books").status_code == 204  # an unused label goes with its goal
    assert user.get("/goals").json == {"goals": []}


def test_progress_counts_today_and_this_week_in_the_users_zone(berliner, clock, make_event):
    user = berliner
    clock.set("2026-03-26T15:00:00Z")  # Thursday 16:00 in Berlin
    user.put("/goals/Exercise", json={"kind": "at_least", "minutes": 45, "per": "day"})
    user.put("/goals/Programming", json={"kind": "at_most", "minutes": 120, "per": "week"})
    make_event(user, "Exercise", "2026-03-25T22:30:00Z", "2026-03-25T23:30:00Z")  # 23:30-00:30 Berlin: 30 min today
    make_event(user, "Programming", "2026-03-23T08:00:00Z", "2026-03-23T09:00:00Z")  # Monday: this week
    make_event(user, "Programming", "2026-03-22T08:00:00Z", "2026-03-22T12:00:00Z")  # Sunday: last week
    user.post("/events/start", json={"label": "Programming"})  # running since 15:00Z
    clock.advance(minutes=30)

    goals = {goal["label"]: goal for goal in user.get("/goals/progress").json["goals"]}
    assert goals["Exercise"]["done_minutes"] == 30.0
    assert goals["Exercise"]["met"] is False
    assert goals["Exercise"]["period_start"] == "2026-03-25T23:00:00+00:00"
    assert goals["Programming"]["done_minutes"] == 90.0  # 60 on Monday + 30 running
    assert goals["Programming"]["met"] is True
    assert goals["Programming"]["period_start"] == "2026-03-22T23:00:00+00:00"

    clock.advance(minutes=31)
    goals = {goal["label"]: goal for goal in user.get("/goals/progress").json["goals"]}
    assert goals["Programming"]["done_minutes"] == 121.0
    assert goals["Programming"]["met"] is False


def test_progress_respects_the_day_start(berliner, clock, make_event):
    user = berliner
    user.patch("/me", json={"day_starts_at": "04:00"})
    clock.set("2026-03-26T01:00:00Z")  # 02:00 Berlin: still Wednesday's day for a night owl
    user.put("/goals/Reading", json={"kind": "at_least", "minutes": 60, "per": "day"})
    make_event(user, "Reading", "2026-03-25T22:00:00Z", "2026-03-26T00:00:00Z")
    goal = user.get("/goals/progress").json["goals"][0]
    assert goal["period_start"] == "2026-03-25T03:00:00+00:00"
    assert goal["done_minutes"] == 120.0 and goal["met"] is True


def test_goals_are_per_user(make_user):
    alice, bob = make_user("alice", labels=["Run"]), make_user("bob", labels=["Run"])
    alice.put("/goals/Run", json={"kind": "at_least", "minutes": 30, "per": "day"})
    assert bob.get("/goals").json == {"goals": []}
    assert bob.get("/goals/progress").json == {"goals": []}
    assert bob.delete("/goals/Run").status_code == 404
